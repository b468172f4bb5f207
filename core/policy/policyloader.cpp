#include "policyloader.h"

#include "policy/tomlreader.h"
#include "store/recordstore.h"
#include "text/redactor.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The files under each path, directories expanded to their *.toml files in name order; a
// path that does not exist is kept, so reading it reports the error.
QStringList expand(const QStringList &paths)
{
    QStringList files;
    for (const QString &path : paths) {
        if (!QFileInfo(path).isDir()) {
            files.append(path);
            continue;
        }
        QStringList found;
        QDirIterator it(path, {u"*.toml"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            found.append(it.next());
        std::sort(found.begin(), found.end());
        files += found;
    }
    return files;
}

// The line of the version key, for a message about the version as a whole.
int versionLine(const QByteArray &bytes, PolicyDocument::Kind kind)
{
    const TomlDocument doc = parseToml(bytes);
    const TomlEntry *table = doc.root.find(toString(kind));
    const TomlEntry *version = table ? table->value.find(u"version"_s) : nullptr;
    return version ? version->line : 0;
}

} // namespace

std::optional<PolicyDocument> readPolicyDocument(const QString &path, const QByteArray &bytes,
                                                 QList<PolicyFileError> *errors, int *redactions)
{
    const std::optional<PolicyDocument::Kind> kind = policyFileKind(path, bytes, errors);
    if (!kind)
        return std::nullopt;
    PolicyDocument doc;
    doc.kind = *kind;
    if (*kind == PolicyDocument::Kind::Template) {
        const std::optional<TemplateSpec> spec = parseTemplate(path, bytes, errors);
        if (!spec)
            return std::nullopt;
        doc.id = spec->id;
        doc.version = spec->version;
        doc.name = spec->name;
    } else {
        const std::optional<PolicySpec> spec = parsePolicy(path, bytes, errors);
        if (!spec)
            return std::nullopt;
        doc.id = spec->id;
        doc.version = spec->version;
        doc.name = spec->name;
    }
    doc.digest =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    doc.text = QString::fromUtf8(bytes); // valid UTF-8: the reader checked
    // Line for line, and inside a quoted value up to its quote: the text still parses, so
    // runs are checked against what was stored.
    const int redacted = Redactor::redactText(doc.text);
    if (redactions)
        *redactions = redacted;
    doc.sourcePath = QFileInfo(path).absoluteFilePath();
    return doc;
}

bool isOriginalText(const PolicyDocument &doc)
{
    return QString::fromLatin1(
               QCryptographicHash::hash(doc.text.toUtf8(), QCryptographicHash::Sha256).toHex()) ==
           doc.digest;
}

bool loadPolicyFiles(RecordStore &store, const QStringList &paths, PolicyLoadResult *result,
                     QString *error)
{
    *result = PolicyLoadResult();
    struct Candidate
    {
        QString path; // as given, like the paths of the other errors
        QByteArray bytes;
        PolicyDocument doc;
    };
    QList<Candidate> valid;
    for (const QString &path : expand(paths)) {
        ++result->files;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            const QString why =
                file.exists() ? u"cannot read: "_s + file.errorString() : u"no such file"_s;
            result->errors.append(PolicyFileError{path, 0, QString(), why});
            ++result->rejected;
            continue;
        }
        const QByteArray bytes = file.readAll();
        int redactions = 0;
        if (auto doc = readPolicyDocument(path, bytes, &result->errors, &redactions)) {
            valid.append(Candidate{path, bytes, *doc});
            result->redactions += redactions;
        } else
            ++result->rejected;
    }
    if (valid.isEmpty())
        return true;

    if (!store.beginBatch()) {
        *error = store.errorString();
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (Candidate &c : valid) {
        c.doc.loadedAt = now;
        const auto before = store.policyDocument(c.doc.kind, c.doc.id, c.doc.version);
        bool changed = false;
        if (store.writePolicyDocument(c.doc, &changed)) {
            ++(changed ? result->loaded : result->unchanged);
            result->documents.append(changed ? c.doc : *before);
            if (changed)
                result->newDocuments.append(c.doc);
            continue;
        }
        if (!before || before->digest == c.doc.digest) {
            *error = store.errorString();
            store.rollbackBatch();
            return false;
        }
        result->errors.append(PolicyFileError{c.path, versionLine(c.bytes, c.doc.kind),
                                              toString(c.doc.kind) + u".version"_s,
                                              store.errorString()});
        ++result->rejected;
    }
    if (!store.commitBatch()) {
        *error = store.errorString();
        store.rollbackBatch();
        return false;
    }
    return true;
}

} // namespace Tasktrail
