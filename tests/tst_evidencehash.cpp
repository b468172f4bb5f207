// The log runs' digests (LogRunHasher) against RowHasher, the serialization the chain's read
// side recomputes a `log` entry's state with: interleaved commands, gaps, resumed runs, a batch
// past the flush size, and the record digests of lines that came from records. First, the
// SHA-256 the ingest and the evidence hash with.
#include "store/evidencehash.h"
#include "text/sha256.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

using namespace Tasktrail;
using namespace Qt::StringLiterals;

namespace {

struct Line
{
    qint64 commandKey = 0;
    qint64 lineNo = 0;
    std::optional<qint64> timestampMs;
    QByteArray text;
    std::optional<QByteArray> ansi;
    QByteArray recordHash;
};

qint64 idOf(const Line &line)
{
    return *logLineId(line.commandKey, line.lineNo); // the packing both stores use
}

// What the read side computes for the lines of one range, in id order.
QByteArray expectedState(std::vector<Line> lines)
{
    std::sort(lines.begin(), lines.end(),
              [](const Line &a, const Line &b) { return idOf(a) < idOf(b); });
    RowHasher rows;
    for (const Line &line : lines) {
        rows.beginRow("log_line", 4);
        rows.addInteger(idOf(line));
        line.timestampMs ? rows.addInteger(*line.timestampMs) : rows.addNull();
        rows.addText(line.text.constData(), line.text.size());
        line.ansi ? rows.addText(line.ansi->constData(), line.ansi->size()) : rows.addNull();
    }
    Sha256 scratch;
    return rows.finish(scratch);
}

void feed(LogRunHasher &hasher, const std::vector<Line> &lines)
{
    for (const Line &line : lines) {
        LogLine stored;
        stored.lineNo = line.lineNo;
        stored.timestampMs = line.timestampMs.value_or(0);
        stored.text = line.text;
        if (line.ansi)
            stored.ansi = *line.ansi;
        hasher.add(line.commandKey, stored, line.recordHash);
    }
}

std::vector<LogRunHasher::Run> finish(LogRunHasher &hasher)
{
    Sha256 scratch;
    std::vector<LogRunHasher::Run> runs;
    const bool ok = hasher.finish(scratch, [&runs](const LogRunHasher::Run &run) {
        runs.push_back(run);
        return true;
    });
    if (!ok)
        runs.clear();
    return runs;
}

Line line(qint64 key, qint64 no, QByteArray text = {})
{
    Line l;
    l.commandKey = key;
    l.lineNo = no;
    l.text =
        text.isNull() ? "line " + QByteArray::number(key) + '.' + QByteArray::number(no) : text;
    if (no % 3 == 0)
        l.timestampMs = 1'700'000'000'000 + no;
    if (no % 4 == 0)
        l.ansi = "\x1b[31m" + l.text + "\x1b[0m";
    return l;
}

// A sequential device that hands out its data 1,000 bytes at a time, and fails once
// `failAt` bytes were read.
class Trickle final : public QIODevice
{
public:
    explicit Trickle(QByteArray data, qsizetype failAt = -1)
        : m_data(std::move(data))
        , m_failAt(failAt)
    {}
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        if (m_failAt >= 0 && m_pos >= m_failAt)
            return -1;
        const qint64 n = std::min<qint64>({max, 1000, m_data.size() - m_pos});
        std::copy_n(m_data.constData() + m_pos, n, out);
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qsizetype m_failAt = -1;
    qsizetype m_pos = 0;
};

} // namespace

class TestEvidenceHash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sha256IsTheStandardOne();
    void sha256ReadsADeviceToItsEnd();
    void theSerializationIsFixed();
    void runsFollowCommandsAndGaps();
    void aLineMayContinueAnOlderRun();
    void aBatchPastTheFlushSizeHashesAlike();
    void runsAcrossAFlush();
    void recordDigestsMakeTheContent();
    void finishStopsAtTheFirstRefusal();
    void runsShareEntriesUpToTheLimit();
    void finishEntriesStopsAtTheFirstRefusal();
    void auditEventsShareEntriesUpToTheLimits();
};

// FIPS 180-2's examples, and Qt's own SHA-256 on data of many sizes: files, records and log
// lines hashed before are recognized by the same digest.
void TestEvidenceHash::sha256IsTheStandardOne()
{
    QCOMPARE(Sha256::of(QByteArray()).toHex(),
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QCOMPARE(Sha256::of(QByteArray("abc")).toHex(),
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QCOMPARE(
        Sha256::of(QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toHex(),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QCOMPARE(Sha256::of(QByteArray("abc")).size(), Sha256::digestSize);

    QRandomGenerator random(16);
    Sha256 pieces;
    QCryptographicHash qt(QCryptographicHash::Sha256);
    for (const int size : {1, 55, 56, 63, 64, 65, 1000, 64 * 1024 + 3, 1 << 20}) {
        QByteArray data(size, Qt::Uninitialized);
        for (char &c : data)
            c = char(random.bounded(256));
        QCOMPARE(Sha256::of(data), QCryptographicHash::hash(data, QCryptographicHash::Sha256));
        pieces.add(data);
        qt.addData(data);
    }
    QCOMPARE(pieces.finish(), qt.result());
    // finish() starts the next digest afresh.
    QCOMPARE(pieces.finish().toHex(),
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

void TestEvidenceHash::sha256ReadsADeviceToItsEnd()
{
    QByteArray data(3 * 64 * 1024 + 17, Qt::Uninitialized); // more than one read
    QRandomGenerator random(7);
    for (char &c : data)
        c = char(random.bounded(256));
    QBuffer device(&data);
    QVERIFY(device.open(QIODevice::ReadOnly));
    QVERIFY(device.seek(5));
    Sha256 hash;
    QVERIFY(hash.add(device));
    QVERIFY(device.atEnd());
    QCOMPARE(hash.finish(), Sha256::of(data.mid(5)));

    QBuffer closed(&data);
    QVERIFY(!hash.add(closed)); // not readable: no digest to trust

    // A pipe or a gzip stream: sequential, a little at a time.
    Trickle pipe(data);
    QVERIFY(pipe.open(QIODevice::ReadOnly));
    QVERIFY(hash.add(pipe));
    QCOMPARE(hash.finish(), Sha256::of(data));

    // A device that fails partway: false, so that no digest of part of a file is trusted.
    Trickle failing(data, data.size() / 2);
    QVERIFY(failing.open(QIODevice::ReadOnly));
    QVERIFY(!hash.add(failing));
}

// The digest the chain's read side and every stored entry agree on, computed apart from this
// code: SHA-256 over 'R', the label's length and bytes, the column count, then each value
// tagged ('I' and 8 bytes big-endian, 'T' with its length, 'N' for NULL).
void TestEvidenceHash::theSerializationIsFixed()
{
    Line a;
    a.commandKey = 1;
    a.lineNo = 1;
    a.text = "hello";
    Line b;
    b.commandKey = 1;
    b.lineNo = 2;
    b.timestampMs = 1'700'000'000'000;
    b.text = "w\xC3\xB6rld";
    b.ansi = "\x1b[1m" + b.text + "\x1b[0m";
    const QByteArray expected = "e1b0bd919bbda86368f4f288ee537ebb14f2422d98ec8f00378a27039a37759a";
    QCOMPARE(expectedState({a, b}).toHex(), expected);
    LogRunHasher hasher;
    feed(hasher, {a, b});
    const auto runs = finish(hasher);
    QCOMPARE(runs.size(), 1u);
    QCOMPARE(runs[0].state.toHex(), expected);
}

void TestEvidenceHash::runsFollowCommandsAndGaps()
{
    // Command 7 lines 1-3, command 2 lines 1-2, command 7 again (4-5, continuing its run),
    // then command 7 lines 9-10 after a gap: a second run of command 7.
    const std::vector<Line> lines{line(7, 1), line(7, 2), line(7, 3), line(2, 1), line(2, 2),
                                  line(7, 4), line(7, 5), line(7, 9), line(7, 10)};
    LogRunHasher hasher;
    QVERIFY(hasher.isEmpty());
    feed(hasher, lines);
    QVERIFY(!hasher.isEmpty());
    const auto runs = finish(hasher);
    QVERIFY(hasher.isEmpty());
    QCOMPARE(runs.size(), 3u);
    // In the order of command key, then first line.
    QCOMPARE(runs[0].commandKey, 2);
    QCOMPARE(std::pair(runs[0].firstLine, runs[0].lastLine), std::pair(qint64(1), qint64(2)));
    QCOMPARE(runs[1].commandKey, 7);
    QCOMPARE(std::pair(runs[1].firstLine, runs[1].lastLine), std::pair(qint64(1), qint64(5)));
    QCOMPARE(runs[2].commandKey, 7);
    QCOMPARE(std::pair(runs[2].firstLine, runs[2].lastLine), std::pair(qint64(9), qint64(10)));
    QCOMPARE(runs[0].state.toHex(), expectedState({lines[3], lines[4]}).toHex());
    QCOMPARE(runs[1].state.toHex(),
             expectedState({lines[0], lines[1], lines[2], lines[5], lines[6]}).toHex());
    QCOMPARE(runs[2].state.toHex(), expectedState({lines[7], lines[8]}).toHex());
    for (const auto &run : runs)
        QCOMPARE(run.content, run.state); // no records: the content is the state

    // The next batch starts empty: the same lines again give the same runs.
    feed(hasher, lines);
    const auto again = finish(hasher);
    QCOMPARE(again.size(), 3u);
    for (std::size_t i = 0; i < again.size(); ++i)
        QCOMPARE(again[i].state, runs[i].state);
}

void TestEvidenceHash::aLineMayContinueAnOlderRun()
{
    // Lines 1-3, then 10, then 4: line 4 continues the first run, not the latest one.
    const std::vector<Line> lines{line(7, 1), line(7, 2), line(7, 3), line(7, 10), line(7, 4)};
    LogRunHasher hasher;
    feed(hasher, lines);
    const auto runs = finish(hasher);
    QCOMPARE(runs.size(), 2u);
    QCOMPARE(std::pair(runs[0].firstLine, runs[0].lastLine), std::pair(qint64(1), qint64(4)));
    QCOMPARE(std::pair(runs[1].firstLine, runs[1].lastLine), std::pair(qint64(10), qint64(10)));
    QCOMPARE(runs[0].state.toHex(),
             expectedState({lines[0], lines[1], lines[2], lines[4]}).toHex());
    QCOMPARE(runs[1].state.toHex(), expectedState({lines[3]}).toHex());
}

void TestEvidenceHash::aBatchPastTheFlushSizeHashesAlike()
{
    // Two commands interleaved line by line, their text past the flush size together: each
    // run's digest is hashed in parts and must not change.
    const QByteArray big(64 * 1024, 'x');
    const int perCommand = int(LogRunHasher::flushBytes / big.size()) / 2 + 40;
    std::map<qint64, std::vector<Line>> byCommand;
    std::vector<Line> lines;
    for (int no = 1; no <= perCommand; ++no) {
        for (const qint64 key : {3, 4}) {
            Line l = line(key, no, big + QByteArray::number(no));
            byCommand[key].push_back(l);
            lines.push_back(std::move(l));
        }
    }
    LogRunHasher hasher;
    feed(hasher, lines);
    QCOMPARE(hasher.flushes(), 1);
    const auto runs = finish(hasher);
    QCOMPARE(runs.size(), 2u);
    for (const auto &run : runs) {
        QCOMPARE(run.lastLine, perCommand);
        QCOMPARE(run.state.toHex(), expectedState(byCommand[run.commandKey]).toHex());
    }
}

void TestEvidenceHash::runsAcrossAFlush()
{
    // Command 1 ends before the flush, command 2 starts after it, and command 3 runs through
    // it line after line (one piece of the buffer until the flush, one after).
    const QByteArray big(256 * 1024, 'y');
    std::vector<Line> lines{line(1, 1), line(1, 2)};
    const int through = int(LogRunHasher::flushBytes / big.size()) + 8;
    std::vector<Line> third;
    for (int no = 1; no <= through; ++no)
        third.push_back(line(3, no, big + QByteArray::number(no)));
    lines.insert(lines.end(), third.begin(), third.end());
    lines.push_back(line(2, 1));
    lines.push_back(line(2, 2));
    LogRunHasher hasher;
    feed(hasher, lines);
    QCOMPARE(hasher.flushes(), 1);
    const auto runs = finish(hasher);
    QCOMPARE(runs.size(), 3u);
    QCOMPARE(runs[0].state.toHex(), expectedState({lines[0], lines[1]}).toHex());
    QCOMPARE(runs[1].state.toHex(), expectedState({lines[lines.size() - 2], lines.back()}).toHex());
    QCOMPARE(runs[2].lastLine, through);
    QCOMPARE(runs[2].state.toHex(), expectedState(third).toHex());
}

void TestEvidenceHash::recordDigestsMakeTheContent()
{
    const QByteArray a = Sha256::of(QByteArray("record a"));
    const QByteArray b = Sha256::of(QByteArray("record b"));
    std::vector<Line> lines{line(5, 1), line(5, 2), line(5, 3), line(6, 1)};
    lines[0].recordHash = lines[1].recordHash = a; // one record's lines count it once
    lines[2].recordHash = b;
    lines[3].recordHash = b;
    LogRunHasher hasher;
    feed(hasher, lines);
    const auto runs = finish(hasher);
    QCOMPARE(runs.size(), 2u);
    QCOMPARE(runs[0].content.toHex(), Sha256::of(a + b).toHex());
    QCOMPARE(runs[0].content, Evidence::combined({a, b}));
    QCOMPARE(runs[1].content, b); // one record's digest stands for itself
    QCOMPARE(runs[0].state.toHex(), expectedState({lines[0], lines[1], lines[2]}).toHex());
}

void TestEvidenceHash::finishStopsAtTheFirstRefusal()
{
    LogRunHasher hasher;
    feed(hasher, {line(1, 1), line(2, 1), line(3, 1)});
    Sha256 scratch;
    int visited = 0;
    QVERIFY(!hasher.finish(scratch, [&visited](const LogRunHasher::Run &) {
        ++visited;
        return visited < 2;
    }));
    QCOMPARE(visited, 2);
    QVERIFY(hasher.isEmpty()); // what was not visited is dropped with the rest
}

// A batch's runs, 64 to an entry (the last entry takes the rest): each entry's ref is its runs'
// ranges in order, its content and state their digests combined; a single run's entry is the
// run itself, as every entry was before runs shared entries.
void TestEvidenceHash::runsShareEntriesUpToTheLimit()
{
    constexpr int perEntry = SharedEntries::maxRecords;
    QCOMPARE(perEntry, 64);
    std::vector<Line> lines;
    // 130 commands (keys 1000..1129), fed last to first, two lines each; the second line of
    // command 1005 from a record.
    for (qint64 key = 1000 + 2 * perEntry + 1; key >= 1000; --key) {
        lines.push_back(line(key, 1));
        lines.push_back(line(key, 2));
        if (key == 1005)
            lines.back().recordHash = Sha256::of(QByteArray("a record"));
    }
    LogRunHasher hasher;
    feed(hasher, lines);
    LogRunHasher same;
    feed(same, lines);
    const auto runs = finish(same);
    QCOMPARE(int(runs.size()), 2 * perEntry + 2);

    Sha256 scratch;
    std::vector<SharedEntries::Entry> entries;
    QVERIFY(hasher.finishEntries(scratch, [&entries](const SharedEntries::Entry &entry) {
        entries.push_back(entry);
        return true;
    }));
    QVERIFY(hasher.isEmpty());
    QCOMPARE(entries.size(), 3u);
    std::size_t next = 0;
    for (std::size_t e = 0; e < entries.size(); ++e) {
        const std::size_t count = e < 2 ? std::size_t(perEntry) : 2;
        QByteArrayList refs;
        QList<QByteArray> contents, states;
        for (std::size_t i = next; i < next + count; ++i) {
            refs << Evidence::logRef(runs[i].commandKey, runs[i].firstLine, runs[i].lastLine);
            contents << runs[i].content;
            // What the read side computes for the range, independently of the hasher.
            const qint64 key = runs[i].commandKey;
            const auto it = std::find_if(lines.begin(), lines.end(),
                                         [key](const Line &l) { return l.commandKey == key; });
            states << expectedState({*it, *(it + 1)});
            QCOMPARE(runs[i].state.toHex(), states.constLast().toHex());
        }
        next += count;
        QCOMPARE(entries[e].ref, refs.join(','));
        QCOMPARE(entries[e].state.toHex(), Sha256::of(states.join()).toHex());
        QCOMPARE(entries[e].content.toHex(), Sha256::of(contents.join()).toHex());
        const auto parsed = Evidence::parseLogRefs(QString::fromLatin1(entries[e].ref));
        QVERIFY(parsed);
        QCOMPARE(parsed->size(), qsizetype(count));
        QCOMPARE(parsed->constFirst().commandKey, runs[next - count].commandKey);
    }
    // In key order: the first entry starts at command 1000, the last ends at 1129.
    QVERIFY(entries[0].ref.startsWith("1000:1-2,1001:1-2,"));
    QVERIFY(entries[2].ref == "1128:1-2,1129:1-2");
    // The record's digest is in the content of its run's entry, not in its state.
    QVERIFY(entries[0].content != entries[0].state);
    QCOMPARE(entries[1].content, entries[1].state);

    // One run: its own ref, content and state.
    feed(hasher, {line(9, 1), line(9, 2), line(9, 3)});
    entries.clear();
    QVERIFY(hasher.finishEntries(scratch, [&entries](const SharedEntries::Entry &entry) {
        entries.push_back(entry);
        return true;
    }));
    QCOMPARE(entries.size(), 1u);
    QCOMPARE(entries[0].ref, QByteArray("9:1-3"));
    QCOMPARE(entries[0].state.toHex(), expectedState({line(9, 1), line(9, 2), line(9, 3)}).toHex());
    QCOMPARE(entries[0].content, entries[0].state);
}

void TestEvidenceHash::finishEntriesStopsAtTheFirstRefusal()
{
    LogRunHasher hasher;
    for (qint64 key = 1; key <= 3 * SharedEntries::maxRecords; ++key)
        feed(hasher, {line(key, 1)});
    Sha256 scratch;
    int visits = 0;
    QVERIFY(!hasher.finishEntries(scratch, [&visits](const SharedEntries::Entry &) {
        ++visits;
        return false;
    }));
    QCOMPARE(visits, 1);
    QVERIFY(hasher.isEmpty());
    // An empty batch has no entry.
    QVERIFY(hasher.finishEntries(scratch, [&visits](const SharedEntries::Entry &) {
        ++visits;
        return true;
    }));
    QCOMPARE(visits, 1);
}

// Audit events, in id order, 64 to an entry or fewer where their ids would make the ref
// longer than 2,000 bytes; an id longer than that alone has an entry of its own.
void TestEvidenceHash::auditEventsShareEntriesUpToTheLimits()
{
    QCOMPARE(SharedEntries::maxRecords, 64);
    QCOMPARE(SharedEntries::maxRefBytes, 2000);
    struct Event
    {
        QString id;
        QByteArray content;
        QByteArray state;
    };
    std::vector<Event> events;
    const auto event = [&events](const QString &id) {
        events.push_back(
            {id, Sha256::of("content " + id.toUtf8()), Sha256::of("state " + id.toUtf8())});
    };
    for (int i = 0; i < 130; ++i) // 64, 64, 2
        event(u"AE-%1"_s.arg(i, 4, 10, QChar(u'0')));
    for (int i = 0; i < 30; ++i) // 100-character ids: after two short ones, 19 of them fit
        event(QString(92, u'x') + u"-%1"_s.arg(i, 7, 10, QChar(u'0')));
    event(QString(2500, u'y')); // alone
    event(u"AE-last"_s);

    std::vector<SharedEntries::Entry> entries;
    const auto keep = [&entries](const SharedEntries::Entry &entry) {
        entries.push_back(entry);
        return true;
    };
    SharedEntries groups("[", "]");
    for (const Event &e : events)
        QVERIFY(groups.add(Evidence::jsonString(e.id), e.content, e.state, keep));
    QVERIFY(groups.finish(keep));
    QVERIFY(groups.finish(keep)); // nothing left: no entry
    std::vector<int> sizes;
    std::size_t next = 0;
    for (const auto &entry : entries) {
        const auto ids = Evidence::parseGroupRef(QString::fromUtf8(entry.ref));
        QVERIFY(ids);
        sizes.push_back(int(ids->size()));
        QList<QByteArray> contents, states;
        for (const QString &id : *ids) {
            QVERIFY(next < events.size());
            QCOMPARE(id, events[next].id);
            contents << events[next].content;
            states << events[next].state;
            ++next;
        }
        QCOMPARE(entry.ref, Evidence::groupRef(*ids));
        QCOMPARE(entry.content, Evidence::combined(contents));
        QCOMPARE(entry.state, Evidence::combined(states));
        QVERIFY(ids->size() == 1 || entry.ref.size() <= SharedEntries::maxRefBytes);
    }
    QCOMPARE(next, events.size());
    QCOMPARE(sizes, (std::vector<int>{64, 64, 2 + 19, 11, 1, 1}));
    // '[', two quoted 7-character ids and a comma (20 bytes), 19 times a comma and a quoted
    // 100-character id (1,957), ']': 1,978 bytes; a 20th id would make 2,081.
    QCOMPARE(entries[2].ref.size(), 1978);
    // An entry of one event: its content and state are the event's own.
    QCOMPARE(entries.back().state, events.back().state);
    QCOMPARE(entries.back().content, events.back().content);

    // A refusal ends it.
    SharedEntries refused("[", "]");
    int visits = 0;
    bool ok = true;
    for (const Event &e : events) {
        ok = refused.add(Evidence::jsonString(e.id), e.content, e.state, [&visits](const auto &) {
            ++visits;
            return false;
        });
        if (!ok)
            break;
    }
    QVERIFY(!ok);
    QCOMPARE(visits, 1);
}

QTEST_GUILESS_MAIN(TestEvidenceHash)

#include "tst_evidencehash.moc"
