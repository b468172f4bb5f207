#include "records/templatespec.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

QString toString(PolicyDocument::Kind kind)
{
    return kind == PolicyDocument::Kind::Template ? u"template"_s : u"policy"_s;
}

std::optional<PolicyDocument::Kind> policyKindFromString(QStringView text)
{
    if (text == u"template")
        return PolicyDocument::Kind::Template;
    if (text == u"policy")
        return PolicyDocument::Kind::Policy;
    return std::nullopt;
}

} // namespace Tasktrail
