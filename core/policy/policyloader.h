#pragma once

#include "policy/policyfile.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace Tasktrail {

class RecordStore;

struct PolicyLoadResult
{
    int files = 0;                   // files looked at
    int loaded = 0;                  // documents stored for the first time
    int unchanged = 0;               // documents stored before with the same text
    int rejected = 0;                // files with at least one error; none of them was stored
    int redactions = 0;              // secrets replaced in the stored texts
    QList<PolicyDocument> documents; // the valid documents, in the order of the files
    // Of those, the ones stored for the first time: the runs that name them are checked
    // against them. Runs that name an unchanged document were checked against the same text.
    QList<PolicyDocument> newDocuments;
    QList<PolicyFileError> errors;
};

// Parses and validates one template or policy file and builds the document to store: its
// kind, id, version and name, its text with secrets redacted, and the digest (hex SHA-256) of
// the bytes as read: the digest names the original file, which is never stored when it held a
// secret. Appends every problem to *errors and returns nullopt when there is one.
std::optional<PolicyDocument> readPolicyDocument(const QString &path, const QByteArray &bytes,
                                                 QList<PolicyFileError> *errors,
                                                 int *redactions = nullptr);

// False when the stored text is not the file its digest names: secrets were redacted from it.
bool isOriginalText(const PolicyDocument &doc);

// Loads template and policy files into the store: each path is a file, or a directory searched
// recursively for *.toml. Every file is validated; the valid ones are written in one batch,
// and a file whose id + version is stored with another text is rejected, since a released
// version never changes. Returns false only when the database failed (*error says why);
// rejected files are reported in result->errors.
bool loadPolicyFiles(RecordStore &store, const QStringList &paths, PolicyLoadResult *result,
                     QString *error);

} // namespace Tasktrail
