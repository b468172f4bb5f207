// Hostile text in records stays text in every report: HTML parses as well-formed markup with
// no element, attribute or script a record put there; Markdown tables keep their columns; CSV
// rows keep theirs; invisible and direction-changing characters are shown, not obeyed; JSON
// keeps the exact values.
#include "query/runsentence.h"
#include "report/csvreportwriter.h"
#include "report/markdownreportwriter.h"
#include "report/reportformat.h"
#include "report/reportrunner.h"
#include "report/reporttext.h"
#include "store/recordstore.h"
#include "text/tasktraillink.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

const QStringList hostile{
    u"<script>alert(1)</script>"_s,
    u"\"><img src=x onerror=alert(1)>"_s,
    u"' onmouseover='alert(1)' x='"_s,
    u"&lt;b&gt;entity&lt;/b&gt; &amp;amp; &#60;script&#62; &#x3C;"_s,
    u"invoice\u202Etxt.exe"_s,
    u"zero\u200Bwidth\u200Djoin\uFEFFbom \u2066isolate\u2069 \u200Fmark"_s,
    u"</svg></td></table><script>x()</script>"_s,
    u"]]><!-- comment --><![CDATA[x]]>"_s,
    u"| pipe | [link](javascript:alert(1)) *bold* _it_ `code` # head ~~s~~ \\"_s,
    u"=cmd|' /C calc'!A0"_s,
    u"line\nbreak\r\nCRLF, \"quoted\", bell\u0007 nul-ish\u0001"_s,
    u"javascript:alert(document.cookie)"_s,
};

const QString campaignId = u"cmp-\"<evil>"_s;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString hostileId(qsizetype i)
{
    return u"t%1 "_s.arg(i) % hostile[i];
}

// Invisible and bidi characters that must never reach a human-readable report as themselves.
bool hasHiddenCharacters(const QString &text)
{
    for (const QChar c : text) {
        if (c == u'\n' || c == u'\t' || c == u'\r')
            continue;
        const auto cat = c.category();
        if (cat == QChar::Other_Format || cat == QChar::Other_Control)
            return true;
    }
    return false;
}

// RFC 4180, read back.
QList<QStringList> readCsv(const QString &csv)
{
    QList<QStringList> rows{{}};
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < csv.size(); ++i) {
        const QChar c = csv[i];
        if (quoted) {
            if (c == u'"' && i + 1 < csv.size() && csv[i + 1] == u'"')
                cell += csv[++i];
            else if (c == u'"')
                quoted = false;
            else
                cell += c;
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            rows.last() << cell;
            cell.clear();
        } else if (c == u'\r' && i + 1 < csv.size() && csv[i + 1] == u'\n') {
            rows.last() << cell;
            cell.clear();
            rows << QStringList();
            ++i;
        } else {
            cell += c;
        }
    }
    rows.removeLast();
    return rows;
}

} // namespace

class TestReportEscaping final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void htmlIsWellFormedAndInert();
    void markdownKeepsItsTables();
    void csvKeepsItsColumns();
    void jsonKeepsExactValues();

private:
    QString write(ReportFormat format, const QString &name);
    // Each task's one-sentence summary, as RunSentence builds it from the stored chain.
    QStringList sentences();
    QTemporaryDir m_dir;
    QString m_db;
};

void TestReportEscaping::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(u"hostile.db"_s);
    QString error;
    auto store = openStore(m_db, &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY(store->beginBatch());
    const QDateTime t0(QDate(2026, 5, 4), QTime(10, 0), Qt::UTC);
    CampaignRecord campaign{campaignId, u"req-1"_s, hostile[0] % hostile[4],
                            u"tmpl"_s,  u"1"_s,     u"pol"_s,
                            u"2"_s,     t0,         {}};
    QVERIFY(store->writeRequest({u"req-1"_s, hostile[3], hostile[1], hostile[7], {}, t0}));
    for (qsizetype i = 0; i < hostile.size(); ++i) {
        const QString h = hostile[i];
        const QString repo = u"acme/r%1"_s.arg(i);
        campaign.decisions << RepoDecision{
            campaignId, u"acme/skip%1 "_s.arg(i) % h, RepoVerdict::Skipped, h, h, h, {}, t0};
        QVERIFY(
            store->writeIdentity({u"id-%1"_s.arg(i), IdentityKind::ClassicPat, h, h, {h}, {}, {}}));
        TaskRecord t;
        t.id = hostileId(i);
        t.repo = repo;
        t.campaignId = campaignId;
        t.requestId = u"req-1"_s;
        t.identityId = u"id-%1"_s.arg(i);
        t.policyId = h;
        t.policyVersion = h;
        t.state = TaskState::Completed;
        t.stateReason = h;
        t.prompt = h;
        t.createdAt = t0.addSecs(60 * i);
        t.startedAt = t.createdAt;
        t.completedAt = t.startedAt.addSecs(600);
        t.prNumber = int(i + 1);
        t.retries = 1;
        t.usage = QJsonObject{{h, 3}};
        t.commands << CommandRecord{t.id, 1, {u"echo"_s, h}, {}, 0, t.startedAt, t.completedAt};
        QVERIFY2(store->writeTask(t), qPrintable(store->errorString()));
        PullRequestRecord pr;
        pr.repo = repo;
        pr.number = int(i + 1);
        pr.title = h;
        pr.state = u"open"_s;
        pr.requestedTeams = {h};
        pr.createdAt = t.completedAt;
        QVERIFY(store->writePullRequest(pr));
        Finding f;
        f.taskId = t.id;
        f.rule = h;
        f.message = h;
        f.severity = Severity::High;
        f.evidenceKind = EvidenceKind::Command;
        f.evidenceRef = h;
        f.commandSeq = 1;
        QVERIFY(store->replaceFindings(t.id, {f}));
    }
    QVERIFY(store->writeCampaign(campaign));
    QVERIFY2(store->commitBatch(), qPrintable(store->errorString()));
}

QString TestReportEscaping::write(ReportFormat format, const QString &name)
{
    QString error;
    auto store = openStore(m_db, &error);
    if (!store)
        return {};
    ReportQuery query = ReportQuery::forCampaign(campaignId);
    query.title = hostile[1] % hostile[4];
    const QString path = m_dir.filePath(name);
    auto writer = createReportWriter(format, path);
    ReportRunner runner(*store);
    if (!runner.run(query, *writer)) {
        qWarning("%s", qPrintable(runner.errorString()));
        return {};
    }
    return path;
}

QStringList TestReportEscaping::sentences()
{
    QString error;
    auto store = openStore(m_db, &error);
    QStringList out;
    for (qsizetype i = 0; store && i < hostile.size(); ++i) {
        if (const auto chain = store->taskChain(hostileId(i)))
            out << RunSentence::of(*chain);
    }
    return out;
}

void TestReportEscaping::htmlIsWellFormedAndInert()
{
    const QString path = write(ReportFormat::Html, u"r.html"_s);
    QVERIFY(!path.isEmpty());
    const QByteArray bytes = readAll(path);
    QVERIFY(!hasHiddenCharacters(QString::fromUtf8(bytes)));
    const QSet<QString> allowed{
        u"html"_s, u"head"_s, u"meta"_s,  u"style"_s,   u"title"_s,    u"body"_s, u"h1"_s,
        u"h2"_s,   u"h3"_s,   u"table"_s, u"thead"_s,   u"tbody"_s,    u"tr"_s,   u"th"_s,
        u"td"_s,   u"bdi"_s,  u"p"_s,     u"section"_s, u"ol"_s,       u"li"_s,   u"footer"_s,
        u"svg"_s,  u"rect"_s, u"text"_s,  u"line"_s,    u"polyline"_s, u"a"_s};
    QStringList links;
    QXmlStreamReader xml(bytes);
    QString text;
    int svgs = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QString name = xml.name().toString();
            QVERIFY2(allowed.contains(name), qPrintable(u"element "_s % name));
            svgs += name == u"svg";
            for (const QXmlStreamAttribute &a : xml.attributes()) {
                QVERIFY2(!a.name().startsWith(u"on"_s, Qt::CaseInsensitive),
                         qPrintable(a.name().toString()));
                QVERIFY(!a.value().contains(u"javascript:"_s, Qt::CaseInsensitive));
                // The only hyperlinks are the tasks' tasktrail:// links.
                QCOMPARE(a.name() == u"href", name == u"a");
                if (name == u"a")
                    links << a.value().toString();
            }
        } else if (xml.isCharacters()) {
            text += xml.text();
        } else if (xml.isComment() || xml.isCDATA()) {
            QFAIL("a record opened a comment or CDATA section");
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(svgs >= 2); // charts, inline
    // Each task's id, whatever it holds, is one link that parses back to it.
    QCOMPARE(links.size(), hostile.size());
    for (qsizetype i = 0; i < hostile.size(); ++i) {
        QVERIFY2(links.contains(taskLinkUrl(hostileId(i))), qPrintable(hostileId(i)));
        const std::optional<TasktrailLink> link = parseTasktrailLink(links.at(i));
        QVERIFY2(link, qPrintable(links.at(i)));
    }
    // Every hostile string is there as text, shown as ReportText::visible() shows it.
    for (const QString &h : hostile)
        QVERIFY2(text.contains(ReportText::visible(h)), qPrintable(h));
    QVERIFY(text.contains(u"invoice[U+202E]txt.exe"_s));
    QVERIFY(text.contains(u"&lt;b&gt;entity"_s)); // an entity in a record stays those characters
    // Each chain opens with its sentence, whose requester, trigger and principal are markup.
    const QStringList summaries = sentences();
    QCOMPARE(summaries.size(), hostile.size());
    for (const QString &sentence : summaries) {
        QVERIFY2(sentence.contains(hostile[1]), qPrintable(sentence));
        QVERIFY2(text.contains(ReportText::visible(sentence)), qPrintable(sentence));
        QVERIFY(bytes.contains(ReportText::html(sentence).toUtf8()));
    }
}

void TestReportEscaping::markdownKeepsItsTables()
{
    const QString path = write(ReportFormat::Markdown, u"r.md"_s);
    QVERIFY(!path.isEmpty());
    const QString md = QString::fromUtf8(readAll(path));
    QVERIFY(!hasHiddenCharacters(md));
    // No markup: every < from a record is escaped (the report itself writes none).
    static const QRegularExpression rawAngle(u"(?<!\\\\)<"_s);
    QVERIFY2(!md.contains(rawAngle), qPrintable(rawAngle.match(md).captured()));
    QVERIFY(md.contains(u"\\<script"_s));
    QVERIFY(!md.contains(u"[link](javascript"_s));
    QVERIFY(md.contains(u"\\[link\\]"_s));
    for (const QString &sentence : sentences())
        QVERIFY2(md.contains(u"\n\n"_s % MarkdownReportWriter::escape(sentence) % u"\n\n"_s),
                 qPrintable(sentence));
    // Each row of a table has as many unescaped pipes as its header.
    qsizetype expected = -1;
    for (const QString &line : md.split(u'\n')) {
        if (!line.startsWith(u'|')) {
            expected = -1;
            continue;
        }
        qsizetype pipes = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            if (line[i] == u'\\')
                ++i;
            else if (line[i] == u'|')
                ++pipes;
        }
        if (expected < 0)
            expected = pipes;
        QVERIFY2(pipes == expected, qPrintable(line));
    }
}

void TestReportEscaping::csvKeepsItsColumns()
{
    const QString path = write(ReportFormat::Csv, u"r.csv"_s);
    QVERIFY(!path.isEmpty());
    const QString csv = QString::fromUtf8(readAll(CsvReportWriter::tablePath(path, u"tasks"_s)));
    QVERIFY(!hasHiddenCharacters(csv));
    const QList<QStringList> rows = readCsv(csv);
    QCOMPARE(rows.size(), hostile.size() + 1);
    QSet<QString> ids;
    for (const QStringList &row : std::as_const(rows)) {
        QCOMPARE(row.size(), rows.first().size());
        ids << row.first();
    }
    for (qsizetype i = 0; i < hostile.size(); ++i) {
        const QString shown = ReportText::visible(hostileId(i));
        QVERIFY2(ids.contains(shown), qPrintable(shown));
    }
    // A formula in a text cell is not run by a spreadsheet.
    for (const QStringList &row : std::as_const(rows)) {
        for (const QString &c : row)
            QVERIFY2(c.isEmpty() || !QStringView(u"=+@").contains(c.front()), qPrintable(c));
    }
    // The chains table: a task, its sentence and its link per row, each cell shown as visible()
    // shows it; the link, percent-encoded, needs nothing shown differently.
    const QString chains =
        QString::fromUtf8(readAll(CsvReportWriter::tablePath(path, u"chains"_s)));
    QVERIFY(!hasHiddenCharacters(chains));
    const QList<QStringList> chainRows = readCsv(chains);
    QCOMPARE(chainRows.size(), hostile.size() + 1);
    QCOMPARE(chainRows.first(), (QStringList{u"Task"_s, u"Summary"_s, u"Link"_s}));
    QSet<QString> shownSentences;
    QSet<QString> shownLinks;
    for (const QStringList &row : chainRows.mid(1)) {
        QCOMPARE(row.size(), 3);
        shownSentences << row.at(1);
        shownLinks << row.at(2);
    }
    for (qsizetype i = 0; i < hostile.size(); ++i)
        QVERIFY2(shownLinks.contains(taskLinkUrl(hostileId(i))), qPrintable(hostileId(i)));
    for (const QString &sentence : sentences())
        QVERIFY2(shownSentences.contains(ReportText::visible(sentence)), qPrintable(sentence));
}

void TestReportEscaping::jsonKeepsExactValues()
{
    const QString path = write(ReportFormat::Json, u"r.json"_s);
    QVERIFY(!path.isEmpty());
    QJsonParseError error;
    const QJsonObject doc = QJsonDocument::fromJson(readAll(path), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QSet<QString> ids;
    for (const QJsonValue &t : doc.value(u"tasks"_s).toArray())
        ids << t.toObject().value(u"id"_s).toString();
    for (qsizetype i = 0; i < hostile.size(); ++i)
        QVERIFY2(ids.contains(hostileId(i)), qPrintable(hostileId(i)));
    QCOMPARE(doc.value(u"report"_s).toObject().value(u"title"_s).toString(),
             hostile[1] % hostile[4]);
    // Each chain's summary is the sentence itself, exact.
    QSet<QString> summaries;
    for (const QJsonValue &c : doc.value(u"chains"_s).toArray())
        summaries << c.toObject().value(u"summary"_s).toString();
    for (const QString &sentence : sentences())
        QVERIFY2(summaries.contains(sentence), qPrintable(sentence));
}

QTEST_GUILESS_MAIN(TestReportEscaping)
#include "tst_reportescaping.moc"
