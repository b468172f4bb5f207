#include "specreader.h"

#include "text/glob.h"

#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

int editDistance(QStringView a, QStringView b)
{
    std::vector<int> row(std::size_t(b.size() + 1));
    std::iota(row.begin(), row.end(), 0);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[std::size_t(j)];
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[std::size_t(j)] =
                std::min({above + 1, row[std::size_t(j - 1)] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row.back();
}

QString gotType(const TomlValue &v)
{
    return describe(v.isArrayOfTables() ? TomlValue::Type::Array : v.type);
}

} // namespace

SpecReader::SpecReader(const QString &file, QList<PolicyFileError> *errors)
    : m_file(file)
    , m_errors(errors)
    , m_start(int(errors->size()))
{}

void SpecReader::error(int line, const QString &field, const QString &message)
{
    m_errors->append(PolicyFileError{m_file, line, field, message});
}

QString SpecReader::field(const QString &prefix, const QString &key)
{
    return prefix.isEmpty() ? key : prefix % u'.' % key;
}

QString SpecReader::closest(const QString &word, const QStringList &candidates)
{
    QString best;
    int bestDistance = std::max<int>(2, int(word.size()) / 3) + 1;
    for (const QString &c : candidates) {
        const int d = editDistance(word, c);
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

void SpecReader::checkKeys(const TomlValue &table, const QString &prefix, const QStringList &known)
{
    for (const TomlEntry &e : table.table) {
        if (known.contains(e.key))
            continue;
        const QString suggestion = closest(e.key, known);
        QString message;
        if (prefix.isEmpty()) {
            const bool isTable = e.value.isTable() || e.value.isArrayOfTables();
            message = isTable ? u"unknown table [%1]"_s.arg(e.key)
                              : u"unknown key '%1' outside any table"_s.arg(e.key);
            if (!suggestion.isEmpty())
                message += u"; did you mean [%1]?"_s.arg(suggestion);
        } else {
            message = u"unknown key '%1' in [%2]"_s.arg(e.key, prefix);
            if (!suggestion.isEmpty())
                message += u"; did you mean '%1'?"_s.arg(suggestion);
        }
        error(e.line, field(prefix, e.key), message);
    }
}

const TomlValue *SpecReader::table(const TomlValue &root, const QString &name, bool required)
{
    const TomlEntry *e = root.find(name);
    if (!e) {
        if (required)
            error(0, name, u"missing [%1] table"_s.arg(name));
        return nullptr;
    }
    if (!e->value.isTable()) {
        error(e->line, name, u"expected a table ([%1]), got %2"_s.arg(name, gotType(e->value)));
        return nullptr;
    }
    return &e->value;
}

QList<const TomlValue *> SpecReader::tables(const TomlValue &root, const QString &name)
{
    QList<const TomlValue *> out;
    const TomlEntry *e = root.find(name);
    if (!e)
        return out;
    const bool ok = e->value.type == TomlValue::Type::Array &&
                    std::all_of(e->value.array.cbegin(), e->value.array.cend(),
                                [](const TomlValue &v) { return v.isTable(); });
    if (!ok) {
        error(e->line, name,
              u"expected an array of tables ([[%1]]), got %2"_s.arg(name, gotType(e->value)));
        return out;
    }
    for (const TomlValue &v : e->value.array)
        out.append(&v);
    return out;
}

void SpecReader::missing(const TomlValue &table, const QString &prefix, const QString &key)
{
    error(table.line, field(prefix, key), u"required, but missing"_s);
}

const TomlEntry *SpecReader::typed(const TomlValue &table, const QString &prefix,
                                   const QString &key, TomlValue::Type type)
{
    const TomlEntry *e = table.find(key);
    if (!e)
        return nullptr;
    if (e->value.type != type || e->value.isArrayOfTables()) {
        error(e->value.line, field(prefix, key),
              u"expected %1, got %2"_s.arg(describe(type), gotType(e->value)));
        return nullptr;
    }
    return e;
}

QString SpecReader::string(const TomlValue &table, const QString &prefix, const QString &key,
                           bool required)
{
    if (!table.find(key)) {
        if (required)
            missing(table, prefix, key);
        return QString();
    }
    const TomlEntry *e = typed(table, prefix, key, TomlValue::Type::String);
    if (e && required && e->value.string.trimmed().isEmpty())
        error(e->value.line, field(prefix, key), u"must not be empty"_s);
    return e ? e->value.string : QString();
}

QString SpecReader::identifier(const TomlValue &table, const QString &prefix, const QString &key,
                               bool integerAllowed)
{
    const TomlEntry *e = table.find(key);
    if (!e) {
        missing(table, prefix, key);
        return QString();
    }
    const TomlValue &v = e->value;
    if (integerAllowed && v.type == TomlValue::Type::Integer) {
        if (v.integer < 0)
            error(v.line, field(prefix, key), u"must be 0 or more, got %1"_s.arg(v.integer));
        return QString::number(v.integer);
    }
    if (v.type != TomlValue::Type::String) {
        error(v.line, field(prefix, key),
              u"expected a string%1, got %2"_s.arg(integerAllowed ? u" or an integer"_s : QString(),
                                                   gotType(v)));
        return QString();
    }
    static const QRegularExpression valid(u"^[A-Za-z0-9][A-Za-z0-9._-]*$"_s);
    if (v.string.isEmpty())
        error(v.line, field(prefix, key), u"must not be empty"_s);
    else if (!valid.match(v.string).hasMatch())
        error(v.line, field(prefix, key),
              u"\"%1\": use letters, digits, '.', '_' and '-' only, starting with a letter or "
              "digit"_s.arg(v.string));
    return v.string;
}

QStringList SpecReader::strings(const TomlValue &table, const QString &prefix, const QString &key)
{
    QStringList out;
    const TomlEntry *e = typed(table, prefix, key, TomlValue::Type::Array);
    if (!e)
        return out;
    for (std::size_t i = 0; i < e->value.array.size(); ++i) {
        const TomlValue &v = e->value.array[i];
        const QString name = field(prefix, key) % u'[' % QString::number(i + 1) % u']';
        if (v.type != TomlValue::Type::String)
            error(v.line, name, u"expected a string, got %1"_s.arg(gotType(v)));
        else if (v.string.trimmed().isEmpty())
            error(v.line, name, u"must not be empty"_s);
        else
            out.append(v.string);
    }
    return out;
}

QString SpecReader::patternError(const QString &pattern, PatternKind kind) const
{
    const QString glob = globError(pattern);
    if (!glob.isEmpty())
        return glob;
    switch (kind) {
    case PatternKind::Text:
        break;
    case PatternKind::TemplateRef:
        if (pattern.count(u'@') > 1 || pattern.startsWith(u'@') || pattern.endsWith(u'@'))
            return u"expected a template id or id@version"_s;
        break;
    case PatternKind::Path:
        if (pattern.startsWith(u'/'))
            return u"paths are relative to the repository root: drop the leading '/'"_s;
        break;
    case PatternKind::Repository:
        if (pattern.count(u'/') != 1 && !pattern.contains(u"**"))
            return u"expected an owner/name pattern such as \"acme-web/*\""_s;
        break;
    case PatternKind::Host:
        if (pattern.contains(u'/') || pattern.contains(u':'))
            return u"expected a host name such as \"registry.npmjs.org\", not a URL"_s;
        break;
    }
    return QString();
}

QStringList SpecReader::patterns(const TomlValue &table, const QString &prefix, const QString &key,
                                 PatternKind kind)
{
    const TomlEntry *e = table.find(key);
    if (!e || e->value.type != TomlValue::Type::Array) {
        typed(table, prefix, key, TomlValue::Type::Array); // reports the wrong type
        return {};
    }
    QStringList out;
    for (std::size_t i = 0; i < e->value.array.size(); ++i) {
        const TomlValue &v = e->value.array[i];
        const QString name = field(prefix, key) % u'[' % QString::number(i + 1) % u']';
        if (v.type != TomlValue::Type::String) {
            error(v.line, name, u"expected a string, got %1"_s.arg(gotType(v)));
            continue;
        }
        const QString problem = patternError(v.string, kind);
        if (problem.isEmpty())
            out.append(v.string);
        else
            error(v.line, name, u"invalid pattern \"%1\": %2"_s.arg(v.string, problem));
    }
    return out;
}

std::optional<bool> SpecReader::boolean(const TomlValue &table, const QString &prefix,
                                        const QString &key)
{
    const TomlEntry *e = typed(table, prefix, key, TomlValue::Type::Boolean);
    return e ? std::optional<bool>(e->value.boolean) : std::nullopt;
}

int SpecReader::limit(const TomlValue &table, const QString &prefix, const QString &key)
{
    const TomlEntry *e = typed(table, prefix, key, TomlValue::Type::Integer);
    if (!e)
        return -1;
    const qint64 n = e->value.integer;
    if (n < 0) {
        error(e->value.line, field(prefix, key), u"must be 0 or more, got %1"_s.arg(n));
        return -1;
    }
    if (n > std::numeric_limits<int>::max()) {
        error(e->value.line, field(prefix, key), u"%1 is too large"_s.arg(n));
        return -1;
    }
    return int(n);
}

qint64 SpecReader::duration(const TomlValue &table, const QString &prefix, const QString &key)
{
    const TomlEntry *e = table.find(key);
    if (!e)
        return -1;
    const TomlValue &v = e->value;
    const std::optional<qint64> ms =
        v.type == TomlValue::Type::String ? parseDuration(v.string) : std::nullopt;
    if (ms)
        return *ms;
    const QString got = v.type == TomlValue::Type::String ? u"\"%1\""_s.arg(v.string) : gotType(v);
    error(v.line, field(prefix, key),
          u"expected a duration such as \"30m\", \"2h\" or \"1h30m\", got %1"_s.arg(got));
    return -1;
}

QDateTime SpecReader::dateTime(const TomlValue &table, const QString &prefix, const QString &key,
                               bool required)
{
    if (!table.find(key)) {
        if (required)
            missing(table, prefix, key);
        return QDateTime();
    }
    const TomlEntry *e = typed(table, prefix, key, TomlValue::Type::DateTime);
    return e ? e->value.dateTime : QDateTime();
}

} // namespace Tasktrail
