#include "cliverb.h"

#include "text/redactor.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {

void print(const QString &text, FILE *stream)
{
    // Everything the CLI prints passes the redaction step: what it read from the database
    // was redacted on the way in, but a message may quote an argument or a file's name.
    QString shown = text;
    Redactor::redactText(shown);
    const QByteArray utf8 = shown.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stream);
}

int fail(const QString &message)
{
    print(u"tasktrail-cli: "_s % message % u'\n', stderr);
    return Fatal;
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    print(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
}

QString defaultDatabase()
{
    const QString env = qEnvironmentVariable("TASKTRAIL_DB");
    if (!env.isEmpty())
        return env;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir % u"/tasktrail.db"_s;
}

VerbParser::VerbParser(const QString &verb, const QString &description, bool withFormat)
    : m_verb(verb)
    , m_withFormat(withFormat)
{
    m_parser.setApplicationDescription(description);
    m_options << m_parser.addHelpOption();
    addOption({u"db"_s,
               u"The database: an SQLite file, or a team database on PostgreSQL as "
               "postgresql://USER@HOST[:PORT]/DB or libpq's \"host=... dbname=...\" (passwords "
               "from ~/.pgpass, never here). Default: $TASKTRAIL_DB or the per-user data "
               "location."_s,
               u"FILE|postgresql://..."_s});
    if (withFormat)
        addOption({u"format"_s, u"Output format: text or json."_s, u"FORMAT"_s, u"text"_s});
}

void VerbParser::addOption(const QCommandLineOption &option)
{
    m_parser.addOption(option);
    m_options << option;
}

bool VerbParser::parse(const QStringList &args, int minPositional, int maxPositional)
{
    QStringList all = args;
    all.prepend(u"tasktrail-cli "_s + m_verb);
    if (!m_parser.parse(all)) {
        m_error = m_parser.errorText();
        return false;
    }
    if (m_parser.isSet(u"help"_s)) {
        print(m_parser.helpText());
        m_helped = true;
        return false;
    }
    // --db and --format may come before the verb and after it: twice is fine when they agree.
    for (const QString &name : {u"db"_s, u"format"_s}) {
        const bool defined =
            std::any_of(m_options.cbegin(), m_options.cend(),
                        [&name](const auto &o) { return o.names().contains(name); });
        if (!defined)
            continue;
        const QStringList values = m_parser.values(name);
        if (values.size() > 1 && values.count(values.constFirst()) != values.size()) {
            m_error = u"--%1 given twice with different values: '%2' and '%3'"_s.arg(
                name, values.constFirst(), values.constLast());
            return false;
        }
    }
    const qsizetype n = m_parser.positionalArguments().size();
    if (n < minPositional || (maxPositional >= 0 && n > maxPositional)) {
        m_error = u"wrong number of arguments; see tasktrail-cli %1 --help"_s.arg(m_verb);
        return false;
    }
    if (m_withFormat) {
        const QString f = m_parser.value(u"format"_s);
        if (f != u"text" && f != u"json") {
            m_error = u"--format must be text or json, not '%1'"_s.arg(f);
            return false;
        }
    }
    return true;
}

bool VerbParser::parseWords(const QStringList &args, int minPositional)
{
    // Options as QCommandLineParser spells them: "--db FILE", "--db=FILE", "-h".
    QStringList options;
    QStringList words;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == u"--") {
            words += args.mid(i + 1);
            break;
        }
        const QString name = arg.startsWith(u"--")  ? arg.mid(2).section(u'=', 0, 0)
                             : arg.startsWith(u'-') ? arg.mid(1)
                                                    : QString();
        const auto known = std::find_if(m_options.cbegin(), m_options.cend(),
                                        [&name](const QCommandLineOption &o) {
                                            return !name.isEmpty() && o.names().contains(name);
                                        });
        // An unknown "--word" stays an option, so that a mistyped option is an error and not a
        // silent search for it.
        if (known == m_options.cend() && !(arg.startsWith(u"--") && arg.size() > 2)) {
            words << arg;
            continue;
        }
        options << arg;
        // The value of "--limit 5" is the option's, not a word.
        if (known != m_options.cend() && !known->valueName().isEmpty() && !arg.contains(u'=') &&
            i + 1 < args.size())
            options << args.at(++i);
    }
    return parse(options + QStringList{u"--"_s} + words, minPositional, -1);
}

std::optional<int> VerbParser::intOption(const QString &name, int min, int max) const
{
    const QString text = m_parser.value(name);
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok) {
        fail(u"--%1 '%2': not a whole number"_s.arg(name, text));
        return std::nullopt;
    }
    if (value < min || value > max) {
        fail(value < min ? u"--%1 %2: must be at least %3"_s.arg(name).arg(value).arg(min)
                         : u"--%1 %2: must be at most %3"_s.arg(name).arg(value).arg(max));
        return std::nullopt;
    }
    return static_cast<int>(value);
}

bool VerbParser::json() const
{
    return m_withFormat && m_parser.value(u"format"_s) == u"json";
}

QString VerbParser::database() const
{
    return m_parser.isSet(u"db"_s) ? m_parser.value(u"db"_s) : defaultDatabase();
}

std::unique_ptr<RecordStore> VerbParser::open(int *exitCode, StoreAccess access) const
{
    QString error;
    auto store = openStore(database(), &error, access);
    if (!store)
        *exitCode = fail(error);
    return store;
}

std::unique_ptr<RecordStore> VerbParser::parseAndOpen(const QStringList &args, int minPositional,
                                                      int maxPositional, int *exitCode,
                                                      StoreAccess access)
{
    if (!parse(args, minPositional, maxPositional)) {
        *exitCode = usageExit();
        return nullptr;
    }
    return open(exitCode, access);
}

} // namespace Tasktrail::Cli
