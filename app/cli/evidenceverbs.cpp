#include "evidenceverbs.h"

#include "cliverb.h"
#include "policy/findingsverify.h"
#include "query/attestation.h"
#include "store/recordstore.h"
#include "text/redactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {

namespace {

// "seq 12: task T-1: edited after ingest"; a record without any entry has no seq, an entry
// that is gone no kind and ref.
QString problemLine(const EvidenceProblem &p)
{
    QString out;
    if (p.seq != 0)
        out += u"seq "_s % QString::number(p.seq) % u": "_s;
    if (!p.kind.isEmpty())
        out += p.kind % u' ' % p.ref % u": "_s;
    return out % p.problem % u'\n';
}

QString reportText(const EvidenceReport &r)
{
    QString out = u"%1 entries checked, head %2\n"_s.arg(r.entries).arg(
        r.head.isEmpty() ? u"-"_s : QString::fromLatin1(r.head));
    out += u"checked:\n"_s;
    for (const EvidenceCoverage &c : r.covered)
        out += u"  %1 (%2): %3\n"_s.arg(c.what).arg(c.count).arg(c.how);
    out += u"not checked:\n"_s;
    for (const QString &n : r.notCovered)
        out += u"  "_s % n % u'\n';
    for (const EvidenceProblem &p : r.problems)
        out += problemLine(p);
    out += r.problems.isEmpty() ? u"intact\n"_s : u"%1 problems found\n"_s.arg(r.problems.size());
    return out;
}

QJsonObject reportJson(const EvidenceReport &r)
{
    QJsonArray problems;
    for (const EvidenceProblem &p : r.problems)
        problems << QJsonObject{{u"seq"_s, p.seq ? QJsonValue(double(p.seq)) : QJsonValue()},
                                {u"kind"_s, p.kind},
                                {u"ref"_s, p.ref},
                                {u"problem"_s, p.problem}};
    QJsonArray covered;
    for (const EvidenceCoverage &c : r.covered)
        covered << QJsonObject{
            {u"what"_s, c.what}, {u"count"_s, double(c.count)}, {u"how"_s, c.how}};
    return {{u"intact"_s, r.intact()},
            {u"entries"_s, double(r.entries)},
            {u"head"_s, QString::fromLatin1(r.head)},
            {u"covered"_s, covered},
            {u"not_covered"_s, QJsonArray::fromStringList(r.notCovered)},
            {u"problems"_s, problems}};
}

} // namespace

int runVerify(const QStringList &args)
{
    VerbParser v(u"verify"_s,
                 u"Recomputes the evidence chain and checks every record against it: edited, "
                 "deleted, reordered and unrecorded records are reported by id. Recomputes "
                 "the audit links, the search index and the findings and reports each row "
                 "that differs."_s,
                 true);
    v.parser().addOption({u"head"_s,
                          u"A chain head shown earlier (stats, attest) that must still be in "
                          "the chain."_s,
                          u"HEX"_s});
    int code = Ok;
    auto store = v.parseAndOpen(args, 0, 0, &code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    EvidenceReport report = store->verifyEvidence(v.parser().value(u"head"_s).toLatin1());
    if (!report.error.isEmpty())
        return fail(report.error);
    verifyFindings(*store, report);
    if (v.json())
        printJson(reportJson(report));
    else
        print(reportText(report));
    return report.intact() ? Ok : Rejected;
}

int runAttest(const QStringList &args)
{
    VerbParser v(u"attest"_s,
                 u"Writes an in-toto Statement (SLSA provenance v1) for a task: its pull "
                 "request's head commit, request, template, policy, identity and command "
                 "log digests."_s,
                 false);
    v.parser().addPositionalArgument(u"task"_s, u"The task id."_s);
    v.parser().addOption({u"out"_s, u"Write to this file instead of stdout."_s, u"FILE"_s});
    int code = Ok;
    auto store = v.parseAndOpen(args, 1, 1, &code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    const QString taskId = v.parser().positionalArguments().constFirst();
    QString error;
    const auto inputs = Attestation::collect(*store, taskId, &error);
    if (!inputs)
        return fail(error);
    QString statement = QString::fromUtf8(
        QJsonDocument(Attestation::statement(*inputs)).toJson(QJsonDocument::Indented));
    Redactor::redactText(statement); // a file is printed text too
    const QByteArray json = statement.toUtf8();
    const QString out = v.parser().value(u"out"_s);
    if (out.isEmpty()) {
        print(statement);
    } else {
        QSaveFile file(out);
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit())
            return fail(u"cannot write %1: %2"_s.arg(out, file.errorString()));
    }
    if (!inputs->taskMatchesEvidence()) {
        print(u"tasktrail-cli: warning: task %1 does not match its evidence entry; see "
              "tasktrail-cli verify\n"_s.arg(taskId),
              stderr);
        return Rejected;
    }
    return Ok;
}

} // namespace Tasktrail::Cli
