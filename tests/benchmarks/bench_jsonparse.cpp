// JSON parsing benchmark: which reader the ingest should use. Not a test: run it by hand, see
// README.md ("Benchmark").
//
//   bench_jsonparse [--scale 10] [--demo DIR] [--rounds 3]
//
// Reads the demo set's JSON inputs (Tasktrail records and audit events, a JSON value per line;
// GitHub documents, one value per file) into memory and parses them, in one run:
//   1. Qt's QJsonDocument::fromJson, every value then read as the readers read it (each string
//      as a QString): what the ingest does now (baseline);
//   2. simdjson's DOM parser, every value read the same way (strings made QStrings);
//   3. simdjson's DOM parser alone, strings left where they are: the parser's own floor;
//   4. for the records, fromJson plus the conversion into Tasktrail's record types
//      (parseTasktrailRecord), the preparing thread's work short of redaction and hashing;
// and then ingests each source into a fresh database in a child process, whose time the
// parsing's is set against: the parsing runs on the preparing thread, beside the one that writes.
// simdjson is used when CMake found it (Debian's libsimdjson-dev); Qt has no streaming JSON
// reader to measure (QJsonParseError is only fromJson's error report).
#include "ingestchild.h"

#include "demo/demogenerator.h"
#include "ingest/tasktrailrecord.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#ifdef TASKTRAIL_HAVE_SIMDJSON
#include <simdjson.h>
#endif

#include <algorithm>
#include <cstdio>
#include <functional>
#include <type_traits>

using namespace Qt::StringLiterals;
using IngestChild::say;
using namespace Tasktrail;

namespace {

// One source's inputs in memory: JSON values, each a line or a whole file.
struct Inputs
{
    QString name;
    QString dir;
    QList<QByteArray> values;
    qint64 bytes = 0;
};

Inputs load(const QString &demo, const QString &part, bool perLine)
{
    Inputs in{part, demo + u'/' + part, {}, 0};
    QStringList files;
    QDirIterator it(in.dir, QDir::Files);
    while (it.hasNext())
        files << it.next();
    std::sort(files.begin(), files.end());
    for (const QString &path : std::as_const(files)) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray content = f.readAll();
        in.bytes += content.size();
        if (!perLine) {
            in.values << content;
            continue;
        }
        for (const QByteArray &line : content.split('\n')) {
            if (!line.trimmed().isEmpty())
                in.values << line;
        }
    }
    return in;
}

// What reading every value costs in Qt types: a QString per string, a double per number.
struct Tally
{
    qint64 values = 0;
    qint64 chars = 0;
};

void walk(const QJsonValue &value, Tally &tally)
{
    ++tally.values;
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            tally.chars += it.key().size();
            walk(it.value(), tally);
        }
        break;
    }
    case QJsonValue::Array:
        for (const QJsonValue &v : value.toArray())
            walk(v, tally);
        break;
    case QJsonValue::String:
        tally.chars += value.toString().size();
        break;
    case QJsonValue::Double:
        tally.chars += value.toDouble() != 0;
        break;
    default:
        break;
    }
}

#ifdef TASKTRAIL_HAVE_SIMDJSON
template<bool toQt> void walk(simdjson::dom::element element, Tally &tally)
{
    using simdjson::dom::element_type;
    ++tally.values;
    switch (element.type()) {
    case element_type::OBJECT:
        for (const auto field : simdjson::dom::object(element)) {
            tally.chars +=
                toQt ? QString::fromUtf8(field.key.data(), qsizetype(field.key.size())).size()
                     : qsizetype(field.key.size());
            walk<toQt>(field.value, tally);
        }
        break;
    case element_type::ARRAY:
        for (const auto v : simdjson::dom::array(element))
            walk<toQt>(v, tally);
        break;
    case element_type::STRING: {
        const std::string_view s = element.get_string().value_unsafe();
        tally.chars +=
            toQt ? QString::fromUtf8(s.data(), qsizetype(s.size())).size() : qsizetype(s.size());
        break;
    }
    case element_type::DOUBLE:
        tally.chars += element.get_double().value_unsafe() != 0;
        break;
    case element_type::INT64:
        tally.chars += element.get_int64().value_unsafe() != 0;
        break;
    default:
        break;
    }
}
#endif

// The best of `rounds` runs of `parse` over every value, in seconds; the tally of the last.
double best(int rounds, const Inputs &in,
            const std::function<bool(const QByteArray &, Tally &)> &parse, Tally *tally,
            qint64 *failures)
{
    double fastest = -1;
    for (int r = 0; r < rounds; ++r) {
        Tally t;
        qint64 failed = 0;
        QElapsedTimer timer;
        timer.start();
        for (const QByteArray &value : in.values)
            failed += parse(value, t) ? 0 : 1;
        const double s = double(timer.nsecsElapsed()) / 1e9;
        fastest = fastest < 0 ? s : std::min(fastest, s);
        *tally = t;
        *failures = failed;
    }
    return fastest;
}

QString rate(double seconds, qint64 bytes, double baseline)
{
    if (seconds < 0)
        return u"–"_s;
    QString text =
        u"%1 s, %2 MB/s"_s.arg(seconds, 0, 'f', 3).arg(double(bytes) / 1e6 / seconds, 0, 'f', 1);
    if (baseline > 0)
        text += u", %1x"_s.arg(baseline / seconds, 0, 'f', 2);
    return text;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Measures JSON parsers on the demo set's inputs."_s);
    parser.addHelpOption();
    parser.addOption({u"scale"_s, u"Demo scale to generate (default 10)."_s, u"N"_s, u"10"_s});
    parser.addOption({u"demo"_s, u"Use the demo set generated before in DIR."_s, u"DIR"_s});
    parser.addOption(
        {u"rounds"_s, u"Runs of each parser; the best counts (default 3)."_s, u"N"_s, u"3"_s});
    IngestChild::addChildOptions(parser);
    parser.process(app);
    if (IngestChild::isChild(parser))
        return IngestChild::runChild(parser);
    const int rounds = qMax(1, parser.value(u"rounds"_s).toInt());

    QTemporaryDir work;
    QString demo = parser.value(u"demo"_s);
    if (demo.isEmpty()) {
        demo = work.filePath(u"demo"_s);
        QString error;
        DemoGenerator generator;
        if (!generator.generate({demo, parser.value(u"scale"_s).toDouble(), 20261124}, &error)) {
            say(u"cannot generate the demo set: "_s + error);
            return 1;
        }
    }

#ifdef TASKTRAIL_HAVE_SIMDJSON
    say(u"simdjson %1 (implementation: %2)"_s.arg(
        QLatin1StringView(SIMDJSON_STRINGIFY(SIMDJSON_VERSION)),
        QString::fromStdString(simdjson::get_active_implementation()->name())));
#else
    say(u"simdjson was not found when this was built: its columns are empty"_s);
#endif
    say(u"Best of %1 runs of each parser over values held in memory; x: speed against Qt's."_s.arg(
        rounds));
    say(u"| source | input | Qt fromJson, values read | simdjson DOM, values read | simdjson DOM "
        "alone | Qt fromJson + Tasktrail records | ingest of the source |"_s);
    say(u"|---|---|---|---|---|---|---|"_s);

    const struct
    {
        const char *part;
        bool perLine;
    } sources[] = {{"records", true}, {"audit", true}, {"github", false}};
    for (const auto &source : sources) {
        const Inputs in = load(demo, QLatin1StringView(source.part), source.perLine);
        Tally qtTally;
        qint64 qtFailed = 0;
        const double qt = best(
            rounds, in,
            [](const QByteArray &value, Tally &t) {
                QJsonParseError error;
                const QJsonDocument doc = QJsonDocument::fromJson(value, &error);
                if (error.error != QJsonParseError::NoError)
                    return false;
                walk(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()), t);
                return true;
            },
            &qtTally, &qtFailed);

        double simdRead = -1, simdAlone = -1;
#ifdef TASKTRAIL_HAVE_SIMDJSON
        simdjson::dom::parser dom;
        // Parses with simdjson and reads every value, as QStrings when `toQt`.
        const auto simd = [&dom](auto toQt) {
            return [&dom](const QByteArray &value, Tally &t) {
                simdjson::dom::element root;
                if (dom.parse(value.constData(), size_t(value.size())).get(root))
                    return false;
                walk<decltype(toQt)::value>(root, t);
                return true;
            };
        };
        Tally simdTally, floorTally;
        qint64 simdFailed = 0, floorFailed = 0;
        simdRead = best(rounds, in, simd(std::true_type()), &simdTally, &simdFailed);
        simdAlone = best(rounds, in, simd(std::false_type()), &floorTally, &floorFailed);
        // The same values, or the comparison says nothing.
        if (simdTally.values != qtTally.values || simdFailed != qtFailed)
            say(u"%1: simdjson read %2 values (%3 failed), Qt %4 (%5 failed)"_s.arg(in.name)
                    .arg(simdTally.values)
                    .arg(simdFailed)
                    .arg(qtTally.values)
                    .arg(qtFailed));
#endif

        double records = -1;
        if (in.name == u"records") {
            Tally unused;
            qint64 rejected = 0;
            records = best(
                rounds, in,
                [](const QByteArray &value, Tally &t) {
                    const QJsonDocument doc = QJsonDocument::fromJson(value);
                    TasktrailRecord record;
                    QString error;
                    int hashed = 0;
                    ++t.values;
                    return parseTasktrailRecord(doc.object(), &record, &error, &hashed);
                },
                &unused, &rejected);
        }
        // In a child process, as bench_ingest measures each source.
        QString error;
        const auto ingested = IngestChild::measure({demo + u"/policies"_s, in.dir},
                                                   work.filePath(in.name + u".db"_s), &error);
        if (!ingested)
            say(error);
        const double ingest = ingested ? ingested->seconds : -1;

        say(u"| %1 | %2 MB, %3 values | %4 | %5 | %6 | %7 | %8 |"_s.arg(in.name)
                .arg(double(in.bytes) / 1e6, 0, 'f', 1)
                .arg(in.values.size())
                .arg(rate(qt, in.bytes, -1), rate(simdRead, in.bytes, qt),
                     rate(simdAlone, in.bytes, qt), rate(records, in.bytes, -1),
                     rate(ingest, in.bytes, -1)));
    }
    return 0;
}
