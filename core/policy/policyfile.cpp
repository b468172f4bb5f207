#include "policyfile.h"

#include "specreader.h"
#include "tomlreader.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

const QStringList templateTables{u"template"_s, u"repositories"_s, u"changes"_s,      u"commands"_s,
                                 u"tests"_s,    u"network"_s,      u"pull_request"_s, u"stop"_s,
                                 u"budgets"_s,  u"freeze"_s};
const QStringList policyTables{u"policy"_s, u"grant"_s};

QStringList identityKindNames()
{
    QStringList names;
    for (const IdentityKind kind :
         {IdentityKind::ClassicPat, IdentityKind::FineGrainedPat, IdentityKind::OAuthAppToken,
          IdentityKind::GitHubAppUserToken, IdentityKind::GitHubAppInstallationToken,
          IdentityKind::LocalUser})
        names.append(toString(kind));
    return names;
}

void appendSyntaxErrors(const QString &path, const TomlDocument &doc,
                        QList<PolicyFileError> *errors)
{
    for (const TomlError &e : doc.errors)
        errors->append(PolicyFileError{path, e.line, QString(), e.message});
}

void readHeader(SpecReader &r, const TomlValue &t, const QString &prefix, QString *id,
                QString *version, QString *name, QString *description)
{
    *id = r.identifier(t, prefix, u"id"_s, false);
    *version = r.identifier(t, prefix, u"version"_s, true);
    *name = r.string(t, prefix, u"name"_s);
    *description = r.string(t, prefix, u"description"_s);
}

void readRepositories(SpecReader &r, const TomlValue &root, TemplateSpec &spec)
{
    const QString p = u"repositories"_s;
    const TomlValue *t = r.table(root, p, false);
    if (!t)
        return;
    r.checkKeys(*t, p,
                {u"include"_s, u"exclude"_s, u"topics"_s, u"languages"_s, u"archived"_s, u"forks"_s,
                 u"required_files"_s});
    RepositoryScope &s = spec.repositories;
    s.include = r.patterns(*t, p, u"include"_s, PatternKind::Repository);
    s.exclude = r.patterns(*t, p, u"exclude"_s, PatternKind::Repository);
    s.topics = r.strings(*t, p, u"topics"_s);
    s.languages = r.strings(*t, p, u"languages"_s);
    s.allowArchived = r.boolean(*t, p, u"archived"_s).value_or(false);
    s.allowForks = r.boolean(*t, p, u"forks"_s).value_or(false);
    s.requiredFiles = r.patterns(*t, p, u"required_files"_s, PatternKind::Path);
}

void readRules(SpecReader &r, const TomlValue &root, TemplateSpec &spec)
{
    if (const TomlValue *t = r.table(root, u"changes"_s, false)) {
        const QString p = u"changes"_s;
        r.checkKeys(*t, p, {u"allow"_s, u"deny"_s, u"needs_approval"_s});
        spec.allowedFiles = r.patterns(*t, p, u"allow"_s, PatternKind::Path);
        spec.deniedFiles = r.patterns(*t, p, u"deny"_s, PatternKind::Path);
        spec.approvalFiles = r.patterns(*t, p, u"needs_approval"_s, PatternKind::Path);
    }
    if (const TomlValue *t = r.table(root, u"commands"_s, false)) {
        const QString p = u"commands"_s;
        r.checkKeys(*t, p, {u"allow"_s, u"needs_approval"_s});
        spec.allowedCommands = r.patterns(*t, p, u"allow"_s, PatternKind::Text);
        spec.approvalCommands = r.patterns(*t, p, u"needs_approval"_s, PatternKind::Text);
    }
    if (const TomlValue *t = r.table(root, u"tests"_s, false)) {
        r.checkKeys(*t, u"tests"_s, {u"required"_s});
        spec.requiredTests = r.patterns(*t, u"tests"_s, u"required"_s, PatternKind::Text);
    }
    if (const TomlValue *t = r.table(root, u"network"_s, false)) {
        r.checkKeys(*t, u"network"_s, {u"allow_hosts"_s});
        spec.allowedHosts = r.patterns(*t, u"network"_s, u"allow_hosts"_s, PatternKind::Host);
    }
    if (const TomlValue *t = r.table(root, u"pull_request"_s, false)) {
        const QString p = u"pull_request"_s;
        r.checkKeys(*t, p, {u"labels"_s, u"reviewers"_s});
        spec.labels = r.strings(*t, p, u"labels"_s);
        spec.reviewers = r.strings(*t, p, u"reviewers"_s);
    }
}

void readLimits(SpecReader &r, const TomlValue &root, TemplateSpec &spec)
{
    if (const TomlValue *t = r.table(root, u"stop"_s, false)) {
        const QString p = u"stop"_s;
        r.checkKeys(
            *t, p,
            {u"max_retries"_s, u"max_runtime"_s, u"max_files_changed"_s, u"max_lines_changed"_s});
        spec.maxRetries = r.limit(*t, p, u"max_retries"_s);
        spec.maxRuntimeMs = r.duration(*t, p, u"max_runtime"_s);
        spec.maxFilesChanged = r.limit(*t, p, u"max_files_changed"_s);
        spec.maxLinesChanged = r.limit(*t, p, u"max_lines_changed"_s);
    }
    if (const TomlValue *t = r.table(root, u"budgets"_s, false)) {
        const QString p = u"budgets"_s;
        r.checkKeys(*t, p,
                    {u"concurrency"_s, u"per_repository"_s, u"reviewer_team"_s,
                     u"reviews_per_day"_s, u"max_repositories"_s});
        spec.concurrency = r.limit(*t, p, u"concurrency"_s);
        spec.perRepository = r.limit(*t, p, u"per_repository"_s);
        spec.reviewerTeam = r.string(*t, p, u"reviewer_team"_s);
        spec.reviewsPerDay = r.limit(*t, p, u"reviews_per_day"_s);
        spec.maxRepositories = r.limit(*t, p, u"max_repositories"_s);
    }
}

void readFreezes(SpecReader &r, const TomlValue &root, TemplateSpec &spec)
{
    const QList<const TomlValue *> freezes = r.tables(root, u"freeze"_s);
    QSet<QString> names;
    for (qsizetype i = 0; i < freezes.size(); ++i) {
        const TomlValue &t = *freezes[i];
        const QString p = u"freeze[%1]"_s.arg(i + 1);
        r.checkKeys(t, p, {u"name"_s, u"from"_s, u"until"_s, u"repositories"_s});
        FreezeWindow f;
        f.name = r.string(t, p, u"name"_s, true);
        f.from = r.dateTime(t, p, u"from"_s, true);
        f.until = r.dateTime(t, p, u"until"_s, true);
        f.repositories = r.patterns(t, p, u"repositories"_s, PatternKind::Repository);
        if (f.from.isValid() && f.until.isValid() && f.from >= f.until)
            r.error(t.find(u"until"_s)->value.line, p % u".until"_s,
                    u"the freeze must end after it starts (from %1, until %2)"_s.arg(
                        f.from.toString(Qt::ISODate), f.until.toString(Qt::ISODate)));
        if (!f.name.isEmpty() && names.contains(f.name))
            r.error(t.find(u"name"_s)->value.line, p % u".name"_s,
                    u"another [[freeze]] is already named \"%1\""_s.arg(f.name));
        names.insert(f.name);
        spec.freezes.append(f);
    }
}

void readGrant(SpecReader &r, const TomlValue &t, const QString &p, PolicyGrant &g)
{
    r.checkKeys(t, p,
                {u"templates"_s, u"token_kinds"_s, u"scopes"_s, u"requesters"_s, u"principals"_s});
    g.templates = r.patterns(t, p, u"templates"_s, PatternKind::TemplateRef);
    const QStringList known = identityKindNames();
    if (const TomlEntry *e = r.typed(t, p, u"token_kinds"_s, TomlValue::Type::Array)) {
        for (std::size_t i = 0; i < e->value.array.size(); ++i) {
            const TomlValue &v = e->value.array[i];
            const QString name = p % u".token_kinds["_s % QString::number(i + 1) % u']';
            if (v.type != TomlValue::Type::String) {
                r.error(v.line, name, u"expected a string, got %1"_s.arg(describe(v.type)));
                continue;
            }
            if (known.contains(v.string)) {
                g.tokenKinds.append(identityKindFromString(v.string));
                continue;
            }
            const QString close = SpecReader::closest(v.string, known);
            r.error(v.line, name,
                    u"unknown token kind \"%1\"%2 (known: %3)"_s.arg(
                        v.string,
                        close.isEmpty() ? QString() : u"; did you mean \"%1\"?"_s.arg(close),
                        known.join(u", "_s)));
        }
    }
    g.scopes = r.strings(t, p, u"scopes"_s);
    g.requesters = r.patterns(t, p, u"requesters"_s, PatternKind::Text);
    g.principals = r.patterns(t, p, u"principals"_s, PatternKind::Text);
}

// Reads the file and checks that its main table is the expected one; nullopt on syntax
// errors or when the table is missing.
std::optional<TomlDocument> readKind(const QString &path, const QByteArray &text,
                                     const QString &table, QList<PolicyFileError> *errors)
{
    TomlDocument doc = parseToml(text);
    appendSyntaxErrors(path, doc, errors);
    if (!doc.errors.isEmpty())
        return std::nullopt;
    if (!doc.root.find(table)) {
        const std::optional<PolicyDocument::Kind> kind = policyKindFromString(doc.firstTable);
        errors->append(
            PolicyFileError{path, doc.firstTableLine, table,
                            kind ? u"this is a %1 file, not a %2 file"_s.arg(toString(*kind), table)
                                 : u"missing [%1] table"_s.arg(table)});
        return std::nullopt;
    }
    return doc;
}

// Orders the errors appended since `from` by line, so a file's problems read top to bottom.
void sortByLine(QList<PolicyFileError> *errors, qsizetype from)
{
    std::stable_sort(
        errors->begin() + from, errors->end(),
        [](const PolicyFileError &a, const PolicyFileError &b) { return a.line < b.line; });
}

} // namespace

QString PolicyFileError::toString() const
{
    QString out = file;
    if (line > 0)
        out += u':' + QString::number(line);
    out += u": "_s;
    if (!field.isEmpty())
        out += field % u": "_s;
    return out + message;
}

std::optional<PolicyDocument::Kind> policyFileKind(const QString &path, const QByteArray &text,
                                                   QList<PolicyFileError> *errors)
{
    QList<PolicyFileError> local;
    QList<PolicyFileError> *out = errors ? errors : &local;
    // The first header is known even when a later line has a syntax error.
    const TomlDocument doc = parseToml(text);
    if (const auto kind = policyKindFromString(doc.firstTable))
        return kind;
    if (!doc.errors.isEmpty())
        appendSyntaxErrors(path, doc, out);
    else if (doc.firstTable.isEmpty())
        out->append(PolicyFileError{path, 0, QString(),
                                    u"no [template] or [policy] table: not a template or "
                                    "policy file"_s});
    else
        out->append(PolicyFileError{
            path, doc.firstTableLine, QString(),
            u"the first table must be [template] or [policy], not [%1]"_s.arg(doc.firstTable)});
    return std::nullopt;
}

std::optional<TemplateSpec> parseTemplate(const QString &path, const QByteArray &text,
                                          QList<PolicyFileError> *errors)
{
    const std::optional<TomlDocument> doc = readKind(path, text, u"template"_s, errors);
    if (!doc)
        return std::nullopt;
    SpecReader r(path, errors);
    r.checkKeys(doc->root, QString(), templateTables);
    TemplateSpec spec;
    if (const TomlValue *t = r.table(doc->root, u"template"_s, true)) {
        r.checkKeys(*t, u"template"_s,
                    {u"id"_s, u"version"_s, u"name"_s, u"description"_s, u"prompt"_s});
        readHeader(r, *t, u"template"_s, &spec.id, &spec.version, &spec.name, &spec.description);
        spec.prompt = r.string(*t, u"template"_s, u"prompt"_s);
    }
    readRepositories(r, doc->root, spec);
    readRules(r, doc->root, spec);
    readLimits(r, doc->root, spec);
    readFreezes(r, doc->root, spec);
    if (r.errorCount() > 0) {
        sortByLine(errors, errors->size() - r.errorCount());
        return std::nullopt;
    }
    return spec;
}

std::optional<PolicySpec> parsePolicy(const QString &path, const QByteArray &text,
                                      QList<PolicyFileError> *errors)
{
    const std::optional<TomlDocument> doc = readKind(path, text, u"policy"_s, errors);
    if (!doc)
        return std::nullopt;
    SpecReader r(path, errors);
    r.checkKeys(doc->root, QString(), policyTables);
    PolicySpec spec;
    if (const TomlValue *t = r.table(doc->root, u"policy"_s, true)) {
        r.checkKeys(*t, u"policy"_s, {u"id"_s, u"version"_s, u"name"_s, u"description"_s});
        readHeader(r, *t, u"policy"_s, &spec.id, &spec.version, &spec.name, &spec.description);
    }
    const QList<const TomlValue *> grants = r.tables(doc->root, u"grant"_s);
    for (qsizetype i = 0; i < grants.size(); ++i) {
        PolicyGrant g;
        readGrant(r, *grants[i], u"grant[%1]"_s.arg(i + 1), g);
        spec.grants.append(g);
    }
    if (grants.isEmpty() && !doc->root.find(u"grant"_s))
        r.error(0, u"grant"_s, u"the policy grants nothing: add a [[grant]] table"_s);
    if (r.errorCount() > 0) {
        sortByLine(errors, errors->size() - r.errorCount());
        return std::nullopt;
    }
    return spec;
}

std::optional<qint64> parseDuration(QStringView text)
{
    static const QRegularExpression re(u"^(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$"_s);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch() || text.isEmpty())
        return std::nullopt;
    constexpr qint64 unitMs[] = {24 * 3600 * 1000LL, 3600 * 1000LL, 60 * 1000LL, 1000LL};
    qint64 total = 0;
    for (int i = 0; i < 4; ++i) {
        const QStringView digits = m.capturedView(i + 1);
        if (digits.size() > 9)
            return std::nullopt; // far beyond any sensible limit, and safe from overflow
        total += digits.toLongLong() * unitMs[i];
    }
    return total > 0 ? std::optional<qint64>(total) : std::nullopt;
}

int compareVersions(QStringView a, QStringView b)
{
    const QList<QStringView> pa = a.split(u'.');
    const QList<QStringView> pb = b.split(u'.');
    for (qsizetype i = 0; i < qMin(pa.size(), pb.size()); ++i) {
        bool na = false;
        bool nb = false;
        const qulonglong va = pa[i].toULongLong(&na);
        const qulonglong vb = pb[i].toULongLong(&nb);
        const int c = na && nb ? (va < vb ? -1 : va > vb ? 1 : 0) : pa[i].compare(pb[i]);
        if (c != 0)
            return c;
    }
    return pa.size() < pb.size() ? -1 : pa.size() > pb.size() ? 1 : 0;
}

} // namespace Tasktrail
