#include "records/finding.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr std::array severityNames{
    std::pair{Severity::Info, u"info"},         std::pair{Severity::Low, u"low"},
    std::pair{Severity::Medium, u"medium"},     std::pair{Severity::High, u"high"},
    std::pair{Severity::Critical, u"critical"},
};

constexpr std::array evidenceKindNames{
    std::pair{EvidenceKind::Task, u"task"},
    std::pair{EvidenceKind::Request, u"request"},
    std::pair{EvidenceKind::Identity, u"identity"},
    std::pair{EvidenceKind::Command, u"command"},
    std::pair{EvidenceKind::LogLine, u"log_line"},
    std::pair{EvidenceKind::File, u"file"},
    std::pair{EvidenceKind::Test, u"test"},
    std::pair{EvidenceKind::Contact, u"contact"},
    std::pair{EvidenceKind::PullRequest, u"pull_request"},
    std::pair{EvidenceKind::Review, u"review"},
    std::pair{EvidenceKind::CheckRun, u"check_run"},
    std::pair{EvidenceKind::AuditEvent, u"audit_event"},
};

constexpr std::array triageStateNames{
    std::pair{TriageState::New, u"new"},
    std::pair{TriageState::Acknowledged, u"acknowledged"},
    std::pair{TriageState::FalsePositive, u"false_positive"},
    std::pair{TriageState::NeedsFollowUp, u"needs_follow_up"},
    std::pair{TriageState::Fixed, u"fixed"},
};

template<typename Enum, typename Table> QString nameOf(const Table &table, Enum value)
{
    for (const auto &[e, name] : table) {
        if (e == value)
            return QString::fromUtf16(name);
    }
    return QString::fromUtf16(table.front().second);
}

template<typename Enum, typename Table> Enum valueOf(const Table &table, QStringView text)
{
    for (const auto &[e, name] : table) {
        if (text.compare(QStringView(name), Qt::CaseInsensitive) == 0)
            return e;
    }
    return table.front().first;
}

} // namespace

QString toString(Severity severity)
{
    return nameOf(severityNames, severity);
}

Severity severityFromString(QStringView text)
{
    return valueOf<Severity>(severityNames, text);
}

QString toString(EvidenceKind kind)
{
    return nameOf(evidenceKindNames, kind);
}

EvidenceKind evidenceKindFromString(QStringView text)
{
    return valueOf<EvidenceKind>(evidenceKindNames, text);
}

QString toString(TriageState state)
{
    return nameOf(triageStateNames, state);
}

QString displayName(TriageState state)
{
    if (state == TriageState::NeedsFollowUp)
        return u"needs follow-up"_s;
    return toString(state).replace(u'_', u' ');
}

std::optional<TriageState> triageStateFromString(QStringView text)
{
    QString key = text.trimmed().toString().toLower();
    key.replace(u'-', u'_').replace(u' ', u'_');
    for (const auto &[state, name] : triageStateNames) {
        if (key == QStringView(name))
            return state;
    }
    return std::nullopt;
}

QList<TriageState> allTriageStates()
{
    QList<TriageState> states;
    for (const auto &entry : triageStateNames)
        states << entry.first;
    return states;
}

} // namespace Tasktrail
