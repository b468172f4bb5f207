#include "createguard.h"

#include "store/recordstore.h"
#include "text/redactor.h"

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail::CreateGuard {
namespace {

QString clock(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s) : u"-"_s;
}

QString redacted(QString text)
{
    Redactor::redactText(text);
    return text;
}

// The first attempt whose outcome is open, if any. Not only the last attempt counts: a start
// that ended before sending anything (cancelled while it looked) settles nothing.
const LaunchAttempt *firstOpen(const QList<LaunchAttempt> &attempts)
{
    for (const LaunchAttempt &a : attempts) {
        if (isOpen(a))
            return &a;
    }
    return nullptr;
}

QString eventReason(const LaunchAttempt &a)
{
    const QString n = QString::number(a.attempt);
    switch (a.outcome) {
    case CreateOutcome::Created:
        return u"attempt %1 created remote task %2"_s.arg(n, a.remoteId) %
               (a.lookup.isEmpty() ? QString() : u" (%1)"_s.arg(a.lookup));
    case CreateOutcome::Adopted:
        return u"attempt %1 sent nothing and follows remote task %2: %3"_s.arg(
            n, a.remoteId, a.lookup.isEmpty() ? a.answer : a.lookup);
    case CreateOutcome::NotCreated:
        return u"attempt %1 created nothing: %2"_s.arg(n, a.answer);
    case CreateOutcome::Uncertain:
        return u"attempt %1's create has no certain answer (%2): the next attempt looks for "
               "the task before it creates one"_s.arg(n, a.answer);
    case CreateOutcome::Undecided:
        return u"attempt %1 could not tell whether an earlier create made the task: %2"_s.arg(
            n, a.lookup);
    case CreateOutcome::Pending:
        break;
    }
    return u"attempt %1 started"_s.arg(n);
}

} // namespace

bool isOpen(const LaunchAttempt &a)
{
    return a.resolution.isEmpty() &&
           (a.outcome == CreateOutcome::Pending || a.outcome == CreateOutcome::Uncertain ||
            a.outcome == CreateOutcome::Undecided);
}

Plan plan(const QList<LaunchAttempt> &attempts, const QDateTime &now, qint64 settleMs)
{
    Plan p;
    if (attempts.isEmpty())
        return p;
    const LaunchAttempt &last = attempts.last();
    if (last.resolution == u"created" && !last.remoteId.isEmpty()) {
        p.adoptRemoteId = last.remoteId;
        p.note = u"follows remote task %1 (%2)"_s.arg(last.remoteId, last.resolvedBy);
        return p;
    }
    if (last.resolution == u"not_created") {
        p.note = u"creates the task once more (%1)"_s.arg(last.resolvedBy);
        return p;
    }
    const bool following =
        last.outcome == CreateOutcome::Created || last.outcome == CreateOutcome::Adopted;
    if (following && !last.remoteId.isEmpty() && !last.endedAt.isValid()) {
        p.adoptRemoteId = last.remoteId;
        p.note = u"re-attaches to remote task %1, which attempt %2 was following"_s.arg(
            last.remoteId, QString::number(last.attempt));
        return p;
    }
    const LaunchAttempt *first = firstOpen(attempts);
    if (!first)
        return p;
    p.lookSince = first->startedAt;
    p.note = u"looks for a task created since attempt %1 started (%2) before creating one"_s.arg(
        QString::number(first->attempt), clock(first->startedAt));
    // The look lists what the server has listed so far: a create still in flight (its answer
    // not yet come, or its task not yet listed) is not there, and a POST then would be the
    // second one. Until the create's answer must have come, "not found" only means "not yet".
    const QDateTime settled = first->startedAt.addMSecs(settleMs);
    if (settleMs > 0 && now.isValid() && settled > now) {
        p.conclusiveAt = settled;
        p.note += u"; not finding it is no answer before %1"_s.arg(clock(settled));
    }
    return p;
}

QString fingerprint(const QJsonObject &request)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(request).toJson(QJsonDocument::Compact),
                                 QCryptographicHash::Sha256)
            .toHex());
}

LaunchAttempt pending(const QString &taskId, int attempt, const QDateTime &now,
                      const QJsonObject &request)
{
    LaunchAttempt a;
    a.taskId = taskId;
    a.attempt = attempt;
    a.startedAt = now;
    a.fingerprint = fingerprint(request);
    for (auto it = request.constBegin(); it != request.constEnd(); ++it)
        a.request.insert(it.key(), it->isString() ? QJsonValue(redacted(it->toString())) : *it);
    return a;
}

bool record(RecordStore &store, const QString &taskId, int attempt, const CreateReport &report,
            const QDateTime &now, QString *reason)
{
    QList<LaunchAttempt> all = store.launchAttempts(taskId);
    LaunchAttempt current;
    current.taskId = taskId;
    current.attempt = attempt;
    current.startedAt = now;
    for (const LaunchAttempt &a : std::as_const(all)) {
        if (a.attempt == attempt)
            current = a;
    }
    current.outcome = report.outcome;
    current.status = report.status;
    current.answer = redacted(report.answer);
    current.remoteId = report.remoteId;
    current.lookup = redacted(report.lookup);
    current.candidates = report.candidates;
    *reason = eventReason(current);
    if (!store.writeLaunchAttempt(current))
        return false;
    // A look that decided settles the earlier attempts it looked for.
    if (report.lookup.isEmpty() || report.outcome == CreateOutcome::Undecided)
        return true;
    const bool found = report.outcome == CreateOutcome::Adopted;
    for (LaunchAttempt &a : all) {
        if (a.attempt >= attempt || !isOpen(a))
            continue;
        a.resolution = found ? u"created"_s : u"not_created"_s;
        a.remoteId = found ? report.remoteId : QString();
        a.resolvedBy =
            u"the look before attempt %1 at %2"_s.arg(QString::number(attempt), clock(now));
        if (!store.writeLaunchAttempt(a))
            return false;
    }
    return true;
}

bool end(RecordStore &store, const QString &taskId, int attempt, const QDateTime &now)
{
    for (LaunchAttempt a : store.launchAttempts(taskId)) {
        if (a.attempt == attempt) {
            a.endedAt = now;
            return store.writeLaunchAttempt(a);
        }
    }
    return true;
}

QString candidateText(const QJsonObject &c)
{
    const QJsonValue creator = c.value("creator_id"_L1);
    return u"task %1, created %2 by %3, %4, \"%5\": %6"_s.arg(
        c.value("id"_L1).toString(), c.value("created_at"_L1).toString(),
        creator.isDouble() ? u"user "_s % QString::number(creator.toInteger()) : u"?"_s,
        c.value("state"_L1).toString(), c.value("name"_L1).toString(),
        c.value("why"_L1).toString());
}

QStringList evidence(const QList<LaunchAttempt> &attempts, bool withCandidates)
{
    QStringList lines;
    for (const LaunchAttempt &a : attempts) {
        const QString prompt = a.request.value("prompt"_L1).toString().simplified();
        lines << u"attempt %1, started %2: %3 (prompt \"%4\", base %5, head %6, fingerprint "
                 "%7)"_s.arg(QString::number(a.attempt), clock(a.startedAt), toString(a.outcome),
                             prompt.left(80), a.request.value("base_ref"_L1).toString(u"-"_s),
                             a.request.value("head_ref"_L1).toString(u"-"_s),
                             a.fingerprint.left(16));
        if (!a.answer.isEmpty())
            lines << u"  answer: "_s % a.answer;
        if (!a.lookup.isEmpty())
            lines << u"  looked: "_s % a.lookup;
        if (!a.remoteId.isEmpty())
            lines << u"  remote task: "_s % a.remoteId;
        if (!a.resolution.isEmpty())
            lines << u"  settled: %1, by %2"_s.arg(a.resolution, a.resolvedBy);
        if (withCandidates) {
            for (const QJsonValue &c : a.candidates)
                lines << u"  candidate: "_s % candidateText(c.toObject());
        }
    }
    return lines;
}

} // namespace Tasktrail::CreateGuard
