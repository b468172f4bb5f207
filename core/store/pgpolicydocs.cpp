// PgStore's PolicyDocuments: template and policy files as loaded, the same rules as
// sqlitepolicyquery.cpp (a released version never changes) and the same evidence entries.
#include "evidencehash.h"
#include "pgevidence.h"
#include "pgstore.h"
#include "recordredaction.h"

#include "records/templatespec.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr const char *documentColumns =
    "SELECT kind, id, version, name, digest, text, source_path, loaded_at FROM policy_document ";

PolicyDocument readDocument(const PgResult &r, int row)
{
    PolicyDocument d;
    d.kind = policyKindFromString(r.text(row, 0)).value_or(PolicyDocument::Kind::Template);
    d.id = r.text(row, 1);
    d.version = r.text(row, 2);
    d.name = r.text(row, 3);
    d.digest = r.text(row, 4);
    d.text = r.text(row, 5);
    d.sourcePath = r.text(row, 6);
    d.loadedAt = r.isNull(row, 7)
                     ? QDateTime()
                     : QDateTime::fromMSecsSinceEpoch(r.int64(row, 7), QTimeZone::utc());
    return d;
}

QString reference(const PolicyDocument &d)
{
    return toString(d.kind) % u' ' % d.id % u'@' % d.version;
}

} // namespace

bool PgStore::writePolicyDocument(const PolicyDocument &given, bool *changed)
{
    PolicyDocument doc = given;
    m_redactions += RecordRedaction::redact(doc);
    *changed = false;
    const auto sameAsStored = [this, &doc]() -> std::optional<bool> {
        const auto stored = policyDocument(doc.kind, doc.id, doc.version);
        if (!stored)
            return std::nullopt;
        if (stored->digest == doc.digest)
            return true;
        m_error =
            u"%1 is already stored with digest %2 (from %3); this text has digest %4. "
            "A released version never changes: give the new text a new version"_s.arg(
                reference(doc), stored->digest.left(12), stored->sourcePath, doc.digest.left(12));
        return false;
    };
    if (const auto same = sameAsStored())
        return *same;
    // Another connection may store the same version between the look-up and the insert: the
    // insert then does nothing, and the stored digest decides as above.
    PgParams p;
    p.add(toString(doc.kind)).add(doc.id).add(doc.version).add(doc.name).add(doc.digest);
    p.add(doc.text).add(doc.sourcePath);
    p.add(doc.loadedAt.isValid() ? doc.loadedAt : QDateTime::currentDateTimeUtc());
    const PgResult r =
        run("INSERT INTO policy_document (kind, id, version, name, digest, text, source_path, "
            "loaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            p);
    if (!r.ok())
        return false;
    if (r.affected() == 0) {
        if (const auto same = sameAsStored())
            return *same;
        return fail(u"cannot store %1"_s.arg(reference(doc)));
    }
    *changed = true;
    m_evidence->touch(doc.kind == PolicyDocument::Kind::Policy ? "policy_document"
                                                               : "template_document",
                      Evidence::joinRef(doc.id, u'@', doc.version), doc.digest.toUtf8());
    if (doc.kind == PolicyDocument::Kind::Policy)
        return writePolicy(PolicyRecord{doc.id, doc.version, doc.name, QString(), doc.digest});
    return writeTemplate(TemplateRecord{doc.id, doc.version, doc.name, doc.digest});
}

std::optional<PolicyDocument> PgStore::policyDocument(PolicyDocument::Kind kind, const QString &id,
                                                      const QString &version)
{
    static const QByteArray sql =
        QByteArray(documentColumns) + "WHERE kind = $1 AND id = $2 AND version = $3";
    const PgResult r = run(sql.constData(), PgParams().add(toString(kind)).add(id).add(version));
    if (r.rows() == 0)
        return std::nullopt;
    return readDocument(r, 0);
}

QList<PolicyDocument> PgStore::policyDocuments(PolicyDocument::Kind kind)
{
    // SQLite breaks ties between documents loaded in the same millisecond by rowid, later
    // insert first. Rows of policy_document are only ever inserted (a released version never
    // changes), so their physical position, ctid, grows with each insert the same way; a key
    // column for it would change the rows the evidence chain hashes.
    static const QByteArray sql = QByteArray(documentColumns) +
                                  "WHERE kind = $1 ORDER BY loaded_at DESC NULLS LAST, ctid DESC";
    const PgResult r = run(sql.constData(), PgParams().add(toString(kind)));
    QList<PolicyDocument> out;
    for (int i = 0; i < r.rows(); ++i)
        out.append(readDocument(r, i));
    return out;
}

} // namespace Tasktrail
