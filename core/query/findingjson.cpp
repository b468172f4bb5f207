#include "findingjson.h"

#include "text/tasktraillink.h"

using namespace Qt::StringLiterals;

namespace Tasktrail::RecordJson {

QJsonObject triage(const FindingTriage &t)
{
    const auto text = [](const QString &s) {
        return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
    };
    return QJsonObject{
        {u"state"_s, toString(t.state)},
        {u"by"_s, text(t.by)},
        {u"at"_s, t.at.isValid() ? QJsonValue(t.at.toUTC().toString(Qt::ISODateWithMs))
                                 : QJsonValue(QJsonValue::Null)},
        {u"note"_s, text(t.note)},
    };
}

QJsonObject finding(const Finding &f)
{
    return QJsonObject{
        {u"task_id"_s, f.taskId},
        {u"rule"_s, f.rule},
        {u"severity"_s, toString(f.severity)},
        {u"message"_s, f.message},
        {u"evidence_kind"_s, toString(f.evidenceKind)},
        {u"evidence_ref"_s, f.evidenceRef},
        {u"command_seq"_s, f.commandSeq},
        {u"line_no"_s, double(f.lineNo)},
        {u"at"_s, f.at.isValid() ? QJsonValue(f.at.toUTC().toString(Qt::ISODateWithMs))
                                 : QJsonValue(QJsonValue::Null)},
        {u"template_id"_s, f.templateId},
        {u"template_version"_s, f.templateVersion},
        {u"policy_id"_s, f.policyId},
        {u"policy_version"_s, f.policyVersion},
        {u"id"_s, double(f.id)},
        {u"triage"_s, triage(f.triage)},
        {u"link"_s, f.id > 0 ? QJsonValue(findingLinkUrl(f.id)) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonArray findings(const QList<Finding> &list)
{
    QJsonArray out;
    for (const Finding &f : list)
        out.append(finding(f));
    return out;
}

} // namespace Tasktrail::RecordJson
