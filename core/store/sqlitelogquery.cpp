// Finding lines in one command's log: the id range of the command, read in id order, so a
// search stops at the first match instead of collecting every hit of a million-line log.
#include "sqlitestatement.h"
#include "sqlitestore.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards taken literally.
QString containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' % escaped % u'%';
}

} // namespace

std::optional<qint64> SqliteStore::findLogLine(qint64 commandKey, qint64 fromLine,
                                               const QString &text, bool backwards)
{
    return findLogLineAny(commandKey, fromLine, QStringList{text}, backwards);
}

std::optional<qint64> SqliteStore::findLogLineAny(qint64 commandKey, qint64 fromLine,
                                                  const QStringList &fragments, bool backwards)
{
    QStringList patterns;
    for (const QString &fragment : fragments) {
        // SQLite's LIKE reads a pattern only up to a NUL: "\0x" would match every line.
        if (!fragment.isEmpty() && !fragment.contains(QChar::Null))
            patterns << containsPattern(fragment);
    }
    const qint64 lineMask = (qint64(1) << lineBits) - 1;
    if (patterns.isEmpty() || fromLine > lineMask || (backwards && fromLine < 1))
        return std::nullopt;

    // Only the number of placeholders varies; every value is bound.
    QByteArray sql = "SELECT id FROM log_line WHERE id >= ? AND id <= ? AND (";
    for (qsizetype i = 0; i < patterns.size(); ++i)
        sql += i == 0 ? "text LIKE ? ESCAPE '\\'" : " OR text LIKE ? ESCAPE '\\'";
    sql += backwards ? ") ORDER BY id DESC LIMIT 1" : ") ORDER BY id LIMIT 1";

    const qint64 first = commandKey << lineBits;
    const qint64 from = first | qMax<qint64>(fromLine, 0);
    SqliteStatement stmt(m_db, sql.constData());
    if (!stmt.isValid()) {
        fail(u"log search could not be prepared"_s);
        return std::nullopt;
    }
    stmt.bind(1, backwards ? first : from);
    stmt.bind(2, backwards ? from : (first | lineMask));
    for (qsizetype i = 0; i < patterns.size(); ++i)
        stmt.bind(int(i) + 3, patterns.at(i));
    if (!stmt.next())
        return std::nullopt;
    return stmt.int64(0) & lineMask;
}

} // namespace Tasktrail
