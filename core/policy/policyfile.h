#pragma once

#include "records/templatespec.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Tasktrail {

// One problem of a template or policy file. `field` is the dotted path of the value
// ("stop.max_retries", "freeze[2].until"; [[...]] entries count from 1), empty for a syntax
// error; `line` is 0 when the problem is the file as a whole.
struct PolicyFileError
{
    QString file;
    int line = 0;
    QString field;
    QString message;

    // "templates/deps-bump.toml:12: stop.max_retries: expected an integer, got a string"
    QString toString() const;

    friend bool operator==(const PolicyFileError &, const PolicyFileError &) = default;
};

// Which kind a file is, from its first table header: [template] or [policy]. When it is
// neither (or the file cannot be read as TOML) returns nullopt and appends why to *errors.
std::optional<PolicyDocument::Kind> policyFileKind(const QString &path, const QByteArray &text,
                                                   QList<PolicyFileError> *errors = nullptr);

// Parse and validate a file (docs/policy-files.md). Every problem found is appended to
// *errors, not just the first; the spec is returned only when there was none.
std::optional<TemplateSpec> parseTemplate(const QString &path, const QByteArray &text,
                                          QList<PolicyFileError> *errors);
std::optional<PolicySpec> parsePolicy(const QString &path, const QByteArray &text,
                                      QList<PolicyFileError> *errors);

// "90s", "30m", "2h", "1h30m", "1d" in milliseconds; nullopt for anything else or zero.
std::optional<qint64> parseDuration(QStringView text);

// Orders versions the way people number them: dot-separated parts, numeric parts compared
// as numbers ("10" after "9"), others as text. Negative when a comes first.
int compareVersions(QStringView a, QStringView b);

} // namespace Tasktrail
