#include "inputformat.h"

#include "actionslog.h"
#include "fileingest.h"
#include "text/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <string_view>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString whatIsRead =
    u"Tasktrail reads UTF-8 text (with or without a BOM): its own JSON lines, GitHub JSON, "
    "GitHub audit logs, GitHub Actions job logs, Copilot session logs, Claude Code session "
    "transcripts, Codex CLI rollouts, SWE-agent trajectories (.traj), OpenHands trajectories, "
    "Inspect AI logs (.json), OpenTelemetry traces (OTLP JSON lines) and command logs, plain "
    "or gzip-compressed, and ZIP archives: GitHub Actions log archives and Inspect AI logs "
    "(.eval)"_s;

qsizetype skipSpace(const QByteArray &head, qsizetype i)
{
    while (i < head.size() &&
           (head.at(i) == ' ' || head.at(i) == '\t' || head.at(i) == '\r' || head.at(i) == '\n'))
        ++i;
    return i;
}

using namespace std::string_view_literals;

struct Magic
{
    std::string_view bytes;
    const char *what;
};

// Files people drop into an ingest by mistake, by their first bytes.
constexpr Magic magics[] = {
    {"SQLite format 3\0"sv, "a SQLite database (open it with --db; it is not ingested)"},
    {"%PDF-"sv, "a PDF document"},
    {"\x7F"
     "ELF"sv,
     "an executable (ELF)"},
    {"\xFD"
     "7zXZ\0"sv,
     "xz-compressed data (decompress it first: xz -d)"},
    {"\x28\xB5\x2F\xFD"sv, "zstd-compressed data (decompress it first: zstd -d)"},
    {"BZh"sv, "bzip2-compressed data (decompress it first: bzip2 -d)"},
    {"\x1F\x8B"sv, "gzip data inside gzip data"},
};

bool startsWith(QByteArrayView head, std::string_view prefix)
{
    return head.startsWith(QByteArrayView(prefix.data(), qsizetype(prefix.size())));
}

struct Encoding
{
    QString description; // empty: UTF-8 (or ASCII) text
    QString iconvName;   // empty: binary data
};

// UTF-16 and UTF-32 by their byte order mark, else by where the zero bytes of mostly-ASCII
// text fall; other bytes with NULs are binary.
Encoding encodingOf(QByteArrayView head)
{
    if (startsWith(head, "\xFF\xFE\0\0"sv))
        return {u"UTF-32 (little-endian) text"_s, u"UTF-32"_s};
    if (startsWith(head, "\0\0\xFE\xFF"sv))
        return {u"UTF-32 (big-endian) text"_s, u"UTF-32"_s};
    if (startsWith(head, "\xFF\xFE"sv))
        return {u"UTF-16 (little-endian) text"_s, u"UTF-16"_s};
    if (startsWith(head, "\xFE\xFF"sv))
        return {u"UTF-16 (big-endian) text"_s, u"UTF-16"_s};
    const QByteArrayView sample = head.first(std::min<qsizetype>(head.size(), 4096) & ~3);
    if (!sample.contains('\0'))
        return {};
    qsizetype zeros[4] = {0, 0, 0, 0};
    for (qsizetype i = 0; i < sample.size(); ++i) {
        if (sample.at(i) == '\0')
            ++zeros[i % 4];
    }
    const qsizetype quarter = sample.size() / 4;
    const auto most = [quarter](qsizetype n) { return quarter > 0 && n * 10 >= quarter * 9; };
    const auto few = [quarter](qsizetype n) { return n * 10 <= quarter; };
    if (few(zeros[0]) && most(zeros[1]) && most(zeros[2]) && most(zeros[3]))
        return {u"UTF-32 (little-endian) text without a byte order mark"_s, u"UTF-32LE"_s};
    if (most(zeros[0]) && most(zeros[1]) && most(zeros[2]) && few(zeros[3]))
        return {u"UTF-32 (big-endian) text without a byte order mark"_s, u"UTF-32BE"_s};
    if (few(zeros[0] + zeros[2]) && most((zeros[1] + zeros[3]) / 2))
        return {u"UTF-16 (little-endian) text without a byte order mark"_s, u"UTF-16LE"_s};
    if (most((zeros[0] + zeros[2]) / 2) && few(zeros[1] + zeros[3]))
        return {u"UTF-16 (big-endian) text without a byte order mark"_s, u"UTF-16BE"_s};
    return {u"binary data (a NUL byte at offset %1)"_s.arg(sample.indexOf('\0')), {}};
}

bool isJsonName(const QString &fileName)
{
    for (const QLatin1StringView suffix : {".json"_L1, ".jsonl"_L1, ".ndjson"_L1}) {
        if (fileName.endsWith(suffix, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// A file named as JSON that holds no object or array: what it holds instead.
QString notJsonRecords(const QByteArray &head, qsizetype start, bool wholeFile)
{
    QJsonParseError error;
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + head.mid(start) + ']', &error);
    if (wholeFile && error.error == QJsonParseError::NoError && wrapped.array().size() == 1)
        return u"a JSON document holding %1"_s.arg(jsonTypeName(wrapped.array().at(0)));
    return u"named as JSON but not starting with '{' or '['"_s;
}

InputDetection unreadable(const QString &looksLike, const QString &advice = {})
{
    return {InputFormat::Unreadable,
            looksLike % u"; "_s % (advice.isEmpty() ? whatIsRead : advice)};
}

} // namespace

QString readableFormats()
{
    return whatIsRead;
}

QString formatName(InputFormat f)
{
    switch (f) {
    case InputFormat::Empty:
        return u"empty"_s;
    case InputFormat::TasktrailRecords:
        return u"tasktrail-jsonl"_s;
    case InputFormat::GitHubJson:
        return u"github-json"_s;
    case InputFormat::AuditLogLines:
        return u"github-audit-ndjson"_s;
    case InputFormat::AuditLogJson:
        return u"github-audit-json"_s;
    case InputFormat::GitHubRepositories:
        return u"github-repositories"_s;
    case InputFormat::CommandLog:
        return u"command-log"_s;
    case InputFormat::ActionsJobLog:
        return u"github-actions-log"_s;
    case InputFormat::ActionsRunArchive:
        return u"github-actions-archive"_s;
    case InputFormat::CopilotSessionLog:
        return u"copilot-session-log"_s;
    case InputFormat::ClaudeCodeSession:
        return u"claude-code-jsonl"_s;
    case InputFormat::CodexRollout:
        return u"codex-rollout-jsonl"_s;
    case InputFormat::InspectLog:
        return u"inspect-json"_s;
    case InputFormat::InspectEvalLog:
        return u"inspect-eval"_s;
    case InputFormat::OtlpTraces:
        return u"otlp-json"_s;
    case InputFormat::SweAgentTrajectory:
        return u"swe-agent-traj"_s;
    case InputFormat::OpenHandsTrajectory:
        return u"openhands-trajectory"_s;
    case InputFormat::Unreadable:
        return u"unreadable"_s;
    }
    return {};
}

namespace {

// The first line that is not blank starts with "data: {" (a server-sent event's data field).
bool looksLikeSessionLog(const QByteArray &head, qsizetype start)
{
    const QByteArrayView rest = QByteArrayView(head).sliced(start);
    return rest.startsWith("data: {") || rest.startsWith("data:{");
}

// A coding agent's transcript, by the shape of its first object lines (a line that is not
// JSON is looked past: the reader reports it).
InputFormat agentTranscriptFormat(QByteArrayView head)
{
    int objects = 0;
    while (!head.isEmpty() && objects < 5) {
        const qsizetype nl = head.indexOf('\n');
        if (nl < 0)
            break; // a line cut off by the end of the head
        const QByteArrayView line = head.first(nl).trimmed();
        head = head.sliced(nl + 1);
        if (line.isEmpty())
            continue;
        ++objects;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray());
        if (!doc.isObject())
            continue;
        if (looksLikeCodexRollout(doc.object()))
            return InputFormat::CodexRollout;
        if (looksLikeClaudeCodeSession(doc.object()))
            return InputFormat::ClaudeCodeSession;
    }
    return InputFormat::Empty;
}

// One JSON object per line that no reader of JSON lines recognised: the first object's keys
// (a few), when the first line is a whole object and the next one opens another; else empty.
// A GitHub JSON document is one value, however many lines it spans.
QString unknownObjectLines(QByteArrayView head)
{
    const qsizetype nl = head.indexOf('\n');
    if (nl < 0)
        return {};
    const QJsonDocument first = QJsonDocument::fromJson(head.first(nl).toByteArray());
    const QByteArrayView rest = head.sliced(nl + 1).trimmed();
    if (!first.isObject() || !rest.startsWith('{'))
        return {};
    QStringList keys = first.object().keys();
    if (keys.size() > 6)
        keys = keys.mid(0, 6) << u"..."_s;
    return keys.isEmpty() ? u"none"_s : keys.join(u", "_s);
}

} // namespace

InputDetection detectInputFormat(const QByteArray &head, const QString &fileName, bool wholeFile)
{
    // A ZIP archive (or an empty one): an Inspect AI log by its first member, else GitHub's
    // archive of a run's logs, checked when read.
    if (head.startsWith("PK\x03\x04") || head.startsWith("PK\x05\x06"))
        return {looksLikeInspectEvalHead(head) ? InputFormat::InspectEvalLog
                                               : InputFormat::ActionsRunArchive,
                {}};
    for (const Magic &m : magics) {
        if (startsWith(head, m.bytes))
            return unreadable(QString::fromLatin1(m.what));
    }
    if (const Encoding encoding = encodingOf(head); !encoding.description.isEmpty()) {
        if (encoding.iconvName.isEmpty())
            return unreadable(encoding.description);
        return unreadable(encoding.description,
                          u"Tasktrail reads UTF-8 text; convert it first, e.g. with iconv -f "
                          "%1 -t UTF-8"_s.arg(encoding.iconvName));
    }
    const qsizetype i = skipSpace(head, head.startsWith("\xEF\xBB\xBF") ? 3 : 0);
    if (i >= head.size())
        return {InputFormat::Empty, {}};
    const char c = head.at(i);
    if (c == '{') {
        const qsizetype nl = head.indexOf('\n', i);
        const QByteArray firstLine = head.mid(i, nl < 0 ? -1 : nl - i);
        if (looksLikeInspectLog(QByteArrayView(head).sliced(i)))
            return {InputFormat::InspectLog, {}};
        if (looksLikeOtlpTraces(QByteArrayView(head).sliced(i)))
            return {InputFormat::OtlpTraces, {}};
        if (const InputFormat agent = agentTranscriptFormat(QByteArrayView(head).sliced(i));
            agent != InputFormat::Empty)
            return {agent, {}};
        if (looksLikeSweAgentTrajectory(QByteArrayView(head).sliced(i)))
            return {InputFormat::SweAgentTrajectory, {}};
        if (firstLine.contains("\"tasktrail\""))
            return {InputFormat::TasktrailRecords, {}};
        if (looksLikeAuditLog(QByteArrayView(head).sliced(i)))
            return {InputFormat::AuditLogLines, {}};
        if (const QString keys = unknownObjectLines(QByteArrayView(head).sliced(i));
            !keys.isEmpty())
            return unreadable(u"JSON lines of a kind Tasktrail does not read (the first object's "
                              "keys: %1)"_s.arg(keys));
        return {InputFormat::GitHubJson, {}};
    }
    if (c == '[') {
        const qsizetype next = skipSpace(head, i + 1);
        if (looksLikeAuditLog(QByteArrayView(head).sliced(i)))
            return {InputFormat::AuditLogJson, {}};
        if (looksLikeOpenHandsTrajectory(QByteArrayView(head).sliced(i)))
            return {InputFormat::OpenHandsTrajectory, {}};
        // A file named as JSON is JSON: its elements that are no objects are reported.
        if (next >= head.size() || head.at(next) == '{' || head.at(next) == ']' ||
            isJsonName(fileName))
            return {InputFormat::GitHubJson, {}};
    }
    if (looksLikeActionsJobLog(head))
        return {InputFormat::ActionsJobLog, {}};
    if (looksLikeSessionLog(head, i))
        return {InputFormat::CopilotSessionLog, {}};
    if (isJsonName(fileName))
        return unreadable(notJsonRecords(head, i, wholeFile),
                          u"a JSON file must hold an object, an array of objects or one object "
                          "per line. "_s %
                              whatIsRead);
    return {InputFormat::CommandLog, {}};
}

} // namespace Tasktrail
