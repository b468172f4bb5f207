#include "evidencehash.h"
#include "recordredaction.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include "records/templatespec.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

PolicyDocument readDocument(const SqliteStatement &stmt)
{
    PolicyDocument d;
    d.kind = policyKindFromString(stmt.text(0)).value_or(PolicyDocument::Kind::Template);
    d.id = stmt.text(1);
    d.version = stmt.text(2);
    d.name = stmt.text(3);
    d.digest = stmt.text(4);
    d.text = stmt.text(5);
    d.sourcePath = stmt.text(6);
    d.loadedAt = stmt.dateTime(7);
    return d;
}

QString reference(const PolicyDocument &d)
{
    return toString(d.kind) % u' ' % d.id % u'@' % d.version;
}

} // namespace

bool SqliteStore::writePolicyDocument(const PolicyDocument &given, bool *changed)
{
    PolicyDocument doc = given;
    m_redactions += RecordRedaction::redact(doc);
    *changed = false;
    if (const auto stored = policyDocument(doc.kind, doc.id, doc.version)) {
        if (stored->digest == doc.digest)
            return true;
        m_error =
            u"%1 is already stored with digest %2 (from %3); this text has digest %4. "
            "A released version never changes: give the new text a new version"_s.arg(
                reference(doc), stored->digest.left(12), stored->sourcePath, doc.digest.left(12));
        return false;
    }
    auto &stmt = statement("INSERT INTO policy_document (kind, id, version, name, digest, text, "
                           "source_path, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, toString(doc.kind));
    stmt.bind(2, doc.id);
    stmt.bind(3, doc.version);
    stmt.bind(4, doc.name);
    stmt.bind(5, doc.digest);
    stmt.bind(6, doc.text);
    stmt.bind(7, doc.sourcePath);
    stmt.bind(8, doc.loadedAt.isValid() ? doc.loadedAt : QDateTime::currentDateTimeUtc());
    if (!run(stmt))
        return false;
    *changed = true;
    m_evidence->touch(doc.kind == PolicyDocument::Kind::Policy ? "policy_document"
                                                               : "template_document",
                      Evidence::joinRef(doc.id, u'@', doc.version), doc.digest.toUtf8());
    if (doc.kind == PolicyDocument::Kind::Policy)
        return writePolicy(PolicyRecord{doc.id, doc.version, doc.name, QString(), doc.digest});
    return writeTemplate(TemplateRecord{doc.id, doc.version, doc.name, doc.digest});
}

std::optional<PolicyDocument> SqliteStore::policyDocument(PolicyDocument::Kind kind,
                                                          const QString &id, const QString &version)
{
    auto &stmt = statement("SELECT kind, id, version, name, digest, text, source_path, loaded_at "
                           "FROM policy_document WHERE kind = ? AND id = ? AND version = ?");
    stmt.bind(1, toString(kind));
    stmt.bind(2, id);
    stmt.bind(3, version);
    std::optional<PolicyDocument> doc;
    if (stmt.next())
        doc = readDocument(stmt);
    stmt.reset();
    return doc;
}

QList<PolicyDocument> SqliteStore::policyDocuments(PolicyDocument::Kind kind)
{
    // rowid breaks ties between documents loaded in the same millisecond: later insert first.
    auto &stmt = statement("SELECT kind, id, version, name, digest, text, source_path, loaded_at "
                           "FROM policy_document WHERE kind = ? "
                           "ORDER BY loaded_at DESC, rowid DESC");
    stmt.bind(1, toString(kind));
    QList<PolicyDocument> out;
    while (stmt.next())
        out.append(readDocument(stmt));
    stmt.reset();
    return out;
}

} // namespace Tasktrail
