// JsonElements: the elements of a JSON array cut out of its bytes, so that each is read on
// its own and one malformed element costs only itself.
#include "text/jsonelements.h"

#include <QBuffer>
#include <QJsonObject>
#include <QTest>

#include <cstring>
#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestJsonElements final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scan_data();
    void scan();
    void parse_data();
    void parse();
    void keyedArray_data();
    void keyedArray();
    void keyedValue_data();
    void keyedValue();
    void memberValues_data();
    void memberValues();
    void stream_data();
    void stream();
    void streamMembers_data();
    void streamMembers();
    void streamTooLarge();
    void streamMemoryBounded();
};

void TestJsonElements::scan_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArrayList>("elements");
    QTest::addColumn<QList<qint64>>("lines");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<qint64>("problemLine");

    QTest::newRow("one per line") << "[\n{\"a\":1},\n{\"b\":2}\n]\n"_ba
                                  << QByteArrayList{"{\"a\":1}", "{\"b\":2}"} << QList<qint64>{2, 3}
                                  << QString() << qint64(0);
    QTest::newRow("empty") << "[ ]"_ba << QByteArrayList{} << QList<qint64>{} << QString()
                           << qint64(0);
    QTest::newRow("commas and brackets inside strings")
        << "[{\"a\":\"x,]}\"},{\"b\":\"\\\"],\"}]"_ba
        << QByteArrayList{"{\"a\":\"x,]}\"}", "{\"b\":\"\\\"],\"}"} << QList<qint64>{1, 1}
        << QString() << qint64(0);
    QTest::newRow("nested arrays and objects")
        << "[{\"a\":[1,{\"b\":[2,3]}]},4]"_ba << QByteArrayList{"{\"a\":[1,{\"b\":[2,3]}]}", "4"}
        << QList<qint64>{1, 1} << QString() << qint64(0);
    QTest::newRow("a malformed element in the middle")
        << "[\n {\"a\": 1},\n {\"b\": },\n {\"c\": 3}\n]"_ba
        << QByteArrayList{"{\"a\": 1}", "{\"b\": }", "{\"c\": 3}"} << QList<qint64>{2, 3, 4}
        << QString() << qint64(0);
    QTest::newRow("a missing quote spoils one element of a pretty-printed list")
        << "[\n {\"a\": \"x},\n {\"c\": 3}\n]"_ba << QByteArrayList{"{\"a\": \"x}", "{\"c\": 3}"}
        << QList<qint64>{2, 3} << QString() << qint64(0);
    QTest::newRow("a bracket closed by the wrong one spoils one element")
        << "[\n  {\n    \"a\": [1, 2}\n  },\n  {\n    \"c\": 3\n  }\n]"_ba
        << QByteArrayList{"{\n    \"a\": [1, 2}\n  }", "{\n    \"c\": 3\n  }"}
        << QList<qint64>{2, 5} << QString() << qint64(0);
    QTest::newRow("cut off inside an element")
        << "[\n {\"a\": 1},\n {\"b\": [1, 2"_ba << QByteArrayList{"{\"a\": 1}", "{\"b\": [1, 2"}
        << QList<qint64>{2, 3} << QString() << qint64(0);
    QTest::newRow("cut off after an element")
        << "[\n {\"a\": 1},\n {\"b\": 2}\n\n"_ba << QByteArrayList{"{\"a\": 1}", "{\"b\": 2}"}
        << QList<qint64>{2, 3} << u"the list is not closed: the document ends before its ']'"_s
        << qint64(3);
    QTest::newRow("text after the list")
        << "[{\"a\": 1}]\n,{\"b\": 2}"_ba << QByteArrayList{"{\"a\": 1}"} << QList<qint64>{1}
        << u"text after the end of the list"_s << qint64(2);
    QTest::newRow("byte order mark") << "\xEF\xBB\xBF[{\"a\":1}]"_ba << QByteArrayList{"{\"a\":1}"}
                                     << QList<qint64>{1} << QString() << qint64(0);
}

void TestJsonElements::scan()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArrayList, elements);
    QFETCH(QList<qint64>, lines);
    QFETCH(QString, problem);
    QFETCH(qint64, problemLine);

    const qsizetype open = JsonElements::rootArray(json);
    QVERIFY(open >= 0);
    const JsonElements::Scan scan = JsonElements::scanArray(json, open);
    QByteArrayList gotElements;
    QList<qint64> gotLines;
    for (const JsonElements::Element &e : scan.elements) {
        gotElements << e.bytes.toByteArray();
        gotLines << e.line;
    }
    QCOMPARE(gotElements, elements);
    QCOMPARE(gotLines, lines);
    QCOMPARE(scan.problem, problem);
    QCOMPARE(scan.problemLine, problemLine);
}

void TestJsonElements::parse_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<bool>("cutOff");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("error");
    QTest::addColumn<qint64>("errorLine");

    QTest::newRow("object") << "{\"a\": 1}"_ba << qint64(5) << false << true << QString()
                            << qint64(0);
    QTest::newRow("number") << "42"_ba << qint64(5) << false << true << QString() << qint64(0);
    QTest::newRow("error on the element's third line")
        << "{\n \"a\": 1,\n \"b\": ?\n}"_ba << qint64(10) << false << false
        << u"JSON syntax error: illegal number"_s << qint64(12);
    QTest::newRow("cut off") << "{\"a\": [1"_ba << qint64(7) << true << false
                             << u"the document ends inside this element: the list is cut off"_s
                             << qint64(7);
    QTest::newRow("two values") << "{} {}"_ba << qint64(3) << false << false
                                << u"JSON syntax error: missing value separator"_s << qint64(3);
    QTest::newRow("empty element")
        << ""_ba << qint64(4) << false << false
        << u"an empty element: a comma without a value before it"_s << qint64(4);
    QTest::newRow("invalid UTF-8") << "{\"a\": \"\xff\"}"_ba << qint64(2) << false << false
                                   << u"invalid UTF-8 in a string"_s << qint64(2);
}

void TestJsonElements::parse()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, line);
    QFETCH(bool, cutOff);
    QFETCH(bool, valid);
    QFETCH(QString, error);
    QFETCH(qint64, errorLine);

    const JsonElements::Parsed parsed = JsonElements::parse({bytes, line, cutOff});
    QCOMPARE(parsed.value.has_value(), valid);
    QCOMPARE(parsed.error, error);
    QCOMPARE(parsed.errorLine, errorLine);
}

void TestJsonElements::keyedArray_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<qsizetype>("offset");

    QTest::newRow("first key") << "{\"tasks\": [1]}"_ba
                               << "tasks"_ba << qsizetype(10);
    QTest::newRow("after other members")
        << "{\"total_count\": 2, \"x\": {\"tasks\": []}, \"tasks\": [1"_ba
        << "tasks"_ba << qsizetype(48);
    QTest::newRow("the last of repeated keys") << "{\"tasks\": [], \"tasks\": [1]}"_ba
                                               << "tasks"_ba << qsizetype(23);
    QTest::newRow("not an array") << "{\"tasks\": 3}"_ba
                                  << "tasks"_ba << qsizetype(-1);
    QTest::newRow("nested only") << "{\"a\": {\"tasks\": [1]}}"_ba
                                 << "tasks"_ba << qsizetype(-1);
    QTest::newRow("root array") << "[{\"tasks\": [1]}]"_ba
                                << "tasks"_ba << qsizetype(-1);
}

void TestJsonElements::keyedArray()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, key);
    QFETCH(qsizetype, offset);
    QCOMPARE(JsonElements::keyedArray(json, key), offset);
}

// A member's value cut out whole, with its line, whatever its type; a malformed member
// before it does not hide it.
void TestJsonElements::keyedValue_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("value"); // empty: none
    QTest::addColumn<qint64>("line");
    QTest::addColumn<bool>("cutOff");

    QTest::newRow("object") << "{\"a\": 1,\n \"info\": {\"x\": [1, 2]} }"_ba
                            << "info"_ba
                            << "{\"x\": [1, 2]}"_ba << qint64(2) << false;
    QTest::newRow("string") << "{\"cfg\": \"{\\\"k\\\": 1}\", \"b\": 2}"_ba
                            << "cfg"_ba
                            << "\"{\\\"k\\\": 1}\""_ba << qint64(1) << false;
    QTest::newRow("the last of repeated keys") << "{\"n\": 1, \"n\": 2}"_ba
                                               << "n"_ba
                                               << "2"_ba << qint64(1) << false;
    QTest::newRow("after a malformed member")
        << "{\"steps\": [{\"a\": 0.1.5}],\n\"info\": {\"ok\": true}}"_ba
        << "info"_ba
        << "{\"ok\": true}"_ba << qint64(2) << false;
    QTest::newRow("nested only") << "{\"a\": {\"info\": 1}}"_ba
                                 << "info"_ba << QByteArray() << qint64(0) << false;
    QTest::newRow("cut off") << "{\"info\": {\"x\": [1,"_ba
                             << "info"_ba
                             << "{\"x\": [1,"_ba << qint64(1) << true;
}

void TestJsonElements::keyedValue()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, value);
    QFETCH(qint64, line);
    QFETCH(bool, cutOff);
    const std::optional<JsonElements::Element> element = JsonElements::keyedValue(json, key);
    QCOMPARE(element.has_value(), !value.isEmpty());
    if (!element)
        return;
    QCOMPARE(element->bytes.toByteArray(), value);
    QCOMPARE(element->line, line);
    QCOMPARE(element->cutOff, cutOff);
}

void TestJsonElements::memberValues_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("whole");
    QTest::addColumn<QByteArrayList>("values"); // of "kind" and "id"; "-": none

    QTest::newRow("both") << R"({"kind": "task", "n": [1, {"id": 2}], "id":"T-1" })"_ba << true
                          << QByteArrayList{R"("task")", R"("T-1")"};
    QTest::newRow("one missing") << R"({"kind":"task"})"_ba << true
                                 << QByteArrayList{R"("task")", "-"};
    QTest::newRow("empty object") << "{}"_ba << true << QByteArrayList{"-", "-"};
    QTest::newRow("nested only") << R"({"a": {"kind": "x", "id": 1}})"_ba << true
                                 << QByteArrayList{"-", "-"};
    QTest::newRow("the last of repeated keys")
        << R"({"id": "a", "kind": 1, "id": "b"})"_ba << true << QByteArrayList{"1", R"("b")"};
    QTest::newRow("escapes in a value")
        << R"({"id": "a\"}\u0062"})"_ba << true << QByteArrayList{"-", R"("a\"}\u0062")"};
    // The key may be "id", or a later member may be: what the object holds is not known.
    QTest::newRow("a key with an escape")
        << R"({"id": "a", "i\u0064": "b"})"_ba << false << QByteArrayList{"-", R"("a")"};
    QTest::newRow("not closed") << R"({"id": "a", )"_ba << false << QByteArrayList{"-", R"("a")"};
    QTest::newRow("not an object") << R"(["id", "a"])"_ba << false << QByteArrayList{"-", "-"};
}

// One pass over the top-level members gives each named value, and says whether the walk saw
// them all.
void TestJsonElements::memberValues()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, whole);
    QFETCH(QByteArrayList, values);
    std::optional<QByteArrayView> found[2] = {QByteArrayView("stale"), QByteArrayView("stale")};
    QCOMPARE(JsonElements::memberValues(json, {"kind", "id"}, found), whole);
    QByteArrayList got;
    for (const std::optional<QByteArrayView> &value : found)
        got << (value ? value->toByteArray() : "-"_ba);
    QCOMPARE(got, values);
}

// A device read in pieces of every size gives the elements that scanArray() cuts out of the
// whole document, with the same lines and problems.
void TestJsonElements::stream_data()
{
    scan_data();
}

void TestJsonElements::stream()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArrayList, elements);
    QFETCH(QList<qint64>, lines);
    QFETCH(QString, problem);
    QFETCH(qint64, problemLine);

    for (const qsizetype chunk : {qsizetype(1), qsizetype(2), qsizetype(3), qsizetype(5),
                                  JsonElements::Stream::defaultChunk}) {
        QBuffer device(&json);
        QVERIFY(device.open(QIODevice::ReadOnly));
        JsonElements::Stream stream(device, JsonElements::Stream::defaultMaxElement, chunk);
        QCOMPARE(stream.root(), '[');
        QVERIFY(stream.enterArray());
        QByteArrayList gotElements;
        QList<qint64> gotLines;
        while (const std::optional<JsonElements::Element> e = stream.nextElement()) {
            gotElements << e->bytes.toByteArray();
            gotLines << e->line;
        }
        QCOMPARE(gotElements, elements);
        QCOMPARE(gotLines, lines);
        QCOMPARE(stream.problem(), problem);
        QCOMPARE(stream.problemLine(), problemLine);
        if (problem.isEmpty() && !json.contains("[1, 2"))
            QCOMPARE(stream.position(), json.size());
    }
}

void TestJsonElements::streamMembers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("read"); // key=value, key[element...], in order

    QTest::newRow("values and lists in file order")
        << "{\"a\": 1,\n \"steps\": [\n  {\"x\": 1},\n  {\"y\": 2}\n ],\n \"info\": {\"z\": [3]}}"_ba
        << QStringList{u"a=1"_s, u"steps[{\"x\": 1}@3|{\"y\": 2}@4]"_s, u"info={\"z\": [3]}"_s};
    QTest::newRow("a repeated key is met twice")
        << "{\"n\": 1, \"n\": 2}"_ba << QStringList{u"n=1"_s, u"n=2"_s};
    QTest::newRow("a member passed over")
        << "{\"skip\": {\"deep\": [1, {\"a\": \"}\"}]}, \"b\": 2}"_ba
        << QStringList{u"skip"_s, u"b=2"_s};
    QTest::newRow("an escaped key ends the walk")
        << "{\"a\": 1, \"b\\\"c\": 2, \"d\": 3}"_ba << QStringList{u"a=1"_s};
    QTest::newRow("cut off") << "{\"info\": {\"x\": [1,"_ba << QStringList{u"info={\"x\": [1,"_s};
}

void TestJsonElements::streamMembers()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, read);

    for (const qsizetype chunk : {qsizetype(1), qsizetype(4), JsonElements::Stream::defaultChunk}) {
        QBuffer device(&json);
        QVERIFY(device.open(QIODevice::ReadOnly));
        JsonElements::Stream stream(device, JsonElements::Stream::defaultMaxElement, chunk);
        QCOMPARE(stream.root(), '{');
        QStringList got;
        while (const std::optional<QByteArray> key = stream.nextKey()) {
            const QString name = QString::fromUtf8(*key);
            if (name == u"skip") {
                stream.skipValue();
                got << name;
            } else if (stream.enterArray()) {
                QStringList items;
                while (const std::optional<JsonElements::Element> e = stream.nextElement())
                    items << QString::fromUtf8(e->bytes.toByteArray()) % u'@' %
                                 QString::number(e->line);
                got << name % u'[' % items.join(u'|') % u']';
            } else {
                got << name % u'=' % QString::fromUtf8(stream.value()->bytes.toByteArray());
            }
        }
        QCOMPARE(got, read);
    }
}

// An element larger than the stream keeps is passed over without being held: it is reported
// with its size and line, and the elements after it are read.
void TestJsonElements::streamTooLarge()
{
    QByteArray json = "[\n{\"a\": 1},\n{\"big\": \"" + QByteArray(10000, 'x') +
                      "\", \"n\": [1, 2]},\n{\"c\": 3}\n]\n";
    QBuffer device(&json);
    QVERIFY(device.open(QIODevice::ReadOnly));
    JsonElements::Stream stream(device, 1000, 64);
    QCOMPARE(stream.root(), '[');
    QVERIFY(stream.enterArray());
    QCOMPARE(stream.nextElement()->bytes, "{\"a\": 1}");
    const JsonElements::Element big = *stream.nextElement();
    QCOMPARE(big.line, 3);
    QVERIFY(big.bytes.isEmpty());
    QCOMPARE(big.tooLarge, qint64(10000 + 24));
    const JsonElements::Parsed parsed = JsonElements::parse(big);
    QVERIFY(!parsed.value);
    QCOMPARE(parsed.errorLine, 3);
    QVERIFY2(parsed.error.contains(u"10024 bytes"_s), qPrintable(parsed.error));
    const JsonElements::Element last = *stream.nextElement();
    QCOMPARE(last.bytes, "{\"c\": 3}");
    QCOMPARE(last.line, 4);
    QVERIFY(!stream.nextElement());
    QVERIFY(stream.problem().isEmpty());
}

namespace {

// A JSON list of `count` elements of about 1 KiB each, made up as it is read: nothing of it is
// in memory but the piece asked for.
class GeneratedList final : public QIODevice
{
public:
    explicit GeneratedList(qint64 count)
        : m_count(count)
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }
    qint64 bytes() const { return m_bytes; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        qint64 given = 0;
        while (given < maxSize) {
            if (m_at >= m_piece.size()) {
                if (m_next > m_count + 1)
                    break;
                m_piece = m_next == 0 ? QByteArray("[\n")
                          : m_next > m_count
                              ? QByteArray("\n]\n")
                              : (m_next > 1 ? ",\n" : "") + QByteArray("  {\"n\": ") +
                                    QByteArray::number(m_next) + ", \"text\": \"" +
                                    QByteArray(1000, 'x') + "\"}";
                ++m_next;
                m_at = 0;
            }
            const qint64 n = std::min<qint64>(maxSize - given, m_piece.size() - m_at);
            std::memcpy(data + given, m_piece.constData() + m_at, size_t(n));
            m_at += n;
            given += n;
        }
        m_bytes += given;
        return given;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_count;
    qint64 m_next = 0;
    QByteArray m_piece;
    qsizetype m_at = 0;
    qint64 m_bytes = 0;
};

qint64 peakKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

// A list far larger than the memory its walk may take is read whole, every element parsed,
// while the process's peak resident memory grows by a small part of its size.
void TestJsonElements::streamMemoryBounded()
{
    GeneratedList device(120'000); // about 120 MB
    const qint64 before = peakKb();
    JsonElements::Stream stream(device);
    QCOMPARE(stream.root(), '[');
    QVERIFY(stream.enterArray());
    qint64 count = 0;
    while (const std::optional<JsonElements::Element> e = stream.nextElement()) {
        const JsonElements::Parsed parsed = JsonElements::parse(*e);
        QVERIFY(parsed.value);
        QCOMPARE(parsed.value->toObject().value(u"n"_s).toInteger(), ++count);
    }
    QCOMPARE(count, 120'000);
    QVERIFY(stream.problem().isEmpty());
    QCOMPARE(stream.position(), device.bytes());
    const qint64 grownKb = peakKb() - before;
    QVERIFY2(device.bytes() > 100ll * 1024 * 1024, qPrintable(QString::number(device.bytes())));
    QVERIFY2(
        grownKb < 16 * 1024,
        qPrintable(u"the peak grew by %1 kB over %2 bytes"_s.arg(grownKb).arg(device.bytes())));
}

QTEST_GUILESS_MAIN(TestJsonElements)
#include "tst_jsonelements.moc"
