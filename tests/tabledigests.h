#pragma once

// A SQLite database compared table by table: each table's rows, without the columns that say
// when or in which order this machine did something, digested in a canonical order. Two
// ingests of the same input give the same digests, however their batches fell.
#include <QCryptographicHash>
#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>

#include <sqlite3.h>

namespace Tasktrail::TableDigests {

using namespace Qt::StringLiterals;

// Columns that say when or in which order this machine did something, not what the input
// holds; they differ between any two ingests of the same input.
inline const QHash<QString, QStringList> runSpecific{
    {u"ingested_file"_s, {u"ingested_at"_s}},   // when the file was read
    {u"policy_document"_s, {u"loaded_at"_s}},   // when the file was loaded
    {u"task_check"_s, {u"checked_at"_s}},       // when the task was checked
    {u"finding"_s, {u"id"_s, u"checked_at"_s}}, // row id in check order, check time
    {u"schema_version"_s, {u"applied_at"_s}},   // when the database was created
    {u"sync_cursor"_s, {u"updated_at"_s}},      // when a run marked its linking
};

// The evidence chain without what hashes a time: evidence.at (the commit time), the state hash
// of template and policy document entries (their rows hold loaded_at) and therefore every
// chain_hash from the first of them on. Every other column of every entry is compared; verify
// checks the chain hashes themselves.
inline constexpr const char *evidenceSql =
    "SELECT seq, kind, ref, content_hash, CASE WHEN kind IN ('template_document', "
    "'policy_document') THEN NULL ELSE state_hash END FROM evidence ORDER BY seq";

// FTS5's segment tables hold the index in the layout its writes produced (one segment per
// batch, merged at its own pace): the index's content is compared through fts5vocab instead.
inline bool isSegmentTable(const QString &table)
{
    return table.endsWith(u"_fts_data"_s) || table.endsWith(u"_fts_idx"_s);
}

class Db
{
public:
    explicit Db(const QString &path)
    {
        sqlite3_open_v2(path.toUtf8().constData(), &m_db, SQLITE_OPEN_READONLY, nullptr);
    }
    ~Db() { sqlite3_close(m_db); }
    Db(const Db &) = delete;
    Db &operator=(const Db &) = delete;

    // Every row of a query, each value with its type, as text lines.
    QStringList rows(const QByteArray &sql) const
    {
        QStringList out;
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK)
            return {u"error: "_s % QString::fromUtf8(sqlite3_errmsg(m_db))};
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            QStringList values;
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                const int type = sqlite3_column_type(stmt, c);
                const auto *data = static_cast<const char *>(sqlite3_column_blob(stmt, c));
                const QByteArray bytes(data, sqlite3_column_bytes(stmt, c));
                values << QString::number(type) % u':' % QString::fromLatin1(bytes.toHex());
            }
            out << values.join(u',');
        }
        sqlite3_finalize(stmt);
        return out;
    }
    qint64 number(const QByteArray &sql) const
    {
        const QStringList r = rows(sql);
        return r.isEmpty()
                   ? -1
                   : QByteArray::fromHex(r.constFirst().section(u':', 1).toLatin1()).toLongLong();
    }
    QStringList columns(const QString &table) const
    {
        QStringList names;
        for (const QString &row :
             rows("SELECT name FROM pragma_table_info('" + table.toUtf8() + "')"))
            names << QString::fromUtf8(QByteArray::fromHex(row.section(u':', 1).toLatin1()));
        return names;
    }

private:
    sqlite3 *m_db = nullptr;
};

// A table's rows (without its run-specific columns) in a canonical order, digested.
struct TableDigest
{
    qint64 rows = 0;
    QByteArray sha256;
    friend bool operator==(const TableDigest &, const TableDigest &) = default;
};

inline QMap<QString, TableDigest> digests(const QString &path)
{
    Db db(path);
    QMap<QString, TableDigest> out;
    QStringList tables;
    for (const QString &row : db.rows("SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                                      "name NOT LIKE 'sqlite_%' ORDER BY name"))
        tables << QString::fromUtf8(QByteArray::fromHex(row.section(u':', 1).toLatin1()));
    for (const QString &table : std::as_const(tables)) {
        if (isSegmentTable(table) || table.startsWith(u"fts5vocab_"_s))
            continue;
        QByteArray sql;
        if (table == u"evidence") {
            sql = evidenceSql;
        } else if (table.endsWith(u"_fts"_s)) {
            // (term, row, column, position): what the index holds, however it is laid out.
            sql = "SELECT term, doc, col, offset FROM fts5vocab_" + table.toUtf8() +
                  " ORDER BY 1, 2, 3, 4";
        } else {
            QStringList keep = db.columns(table);
            for (const QString &c : runSpecific.value(table))
                keep.removeAll(c);
            QStringList order;
            for (qsizetype i = 1; i <= keep.size(); ++i)
                order << QString::number(i);
            sql = "SELECT " + keep.join(u", "_s).toUtf8() + " FROM " + table.toUtf8() +
                  " ORDER BY " + order.join(u", "_s).toUtf8();
        }
        const QStringList rows = db.rows(sql);
        out.insert(table, {rows.size(), QCryptographicHash::hash(rows.join(u'\n').toUtf8(),
                                                                 QCryptographicHash::Sha256)});
    }
    return out;
}

} // namespace Tasktrail::TableDigests
