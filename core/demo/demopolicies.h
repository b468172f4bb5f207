#pragma once

#include "records/templatespec.h"

#include <QByteArray>
#include <QList>
#include <QString>

class QDir;

// The template and policy files of resources/policies, compiled into the library: the texts
// the demo's runs were launched under. The demo writes them next to its records, so ingesting
// its output checks every run against them, and its catalog records carry their digests.
namespace Tasktrail::Demo {

struct ShippedPolicyFile
{
    QString path; // relative to the demo's output: "policies/templates/deps-bump-3.toml"
    QByteArray bytes;
    PolicyDocument document; // kind, id, version, name and digest, as `policy load` stores them
};

// Every shipped file, in path order; parsed once. A file that does not parse is left out and
// reported by shippedPolicyErrors() (the tests make sure there is none).
const QList<ShippedPolicyFile> &shippedPolicyFiles();
QStringList shippedPolicyErrors();

// The shipped file of a template or policy version, or null.
const ShippedPolicyFile *findShippedPolicy(PolicyDocument::Kind kind, QStringView id,
                                           QStringView version);

// Writes every shipped file below `root`, byte for byte, each through QSaveFile.
bool writeShippedPolicies(const QDir &root, qint64 *written, QString *error);

} // namespace Tasktrail::Demo
