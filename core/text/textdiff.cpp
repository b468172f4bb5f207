#include "text/textdiff.h"

#include <QList>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

enum class Op : char
{
    Same,
    Removed,
    Added,
};

struct Edit
{
    Op op;
    qsizetype oldLine; // 0-based index into the old lines (for Same and Removed)
    qsizetype newLine; // 0-based index into the new lines (for Same and Added)
};

QStringList linesOf(const QString &text)
{
    QStringList lines = text.split(u'\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast(); // a final newline ends the last line; it does not start another
    return lines;
}

// The edit script from the longest common subsequence table.
QList<Edit> editScript(const QStringList &a, const QStringList &b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    QList<QList<int>> lcs(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[i][j] =
                a.at(i) == b.at(j) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    QList<Edit> edits;
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(i) == b.at(j)) {
            edits.append({Op::Same, i++, j++});
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            edits.append({Op::Removed, i++, j}); // removals first, as diff prints them
        } else {
            edits.append({Op::Added, i, j++});
        }
    }
    return edits;
}

// "@@ -start,count +start,count @@" with diff's conventions for empty ranges.
QString range(qsizetype start, qsizetype count)
{
    return count == 1 ? QString::number(start + 1)
                      : u"%1,%2"_s.arg(count == 0 ? start : start + 1).arg(count);
}

} // namespace

QString unifiedDiff(const QString &before, const QString &after, int context)
{
    const QStringList a = linesOf(before);
    const QStringList b = linesOf(after);
    const QList<Edit> edits = editScript(a, b);
    QString out;
    qsizetype k = 0;
    const auto changed = [&edits](qsizetype at) { return edits.at(at).op != Op::Same; };
    while (k < edits.size()) {
        if (!changed(k)) {
            ++k;
            continue;
        }
        // A hunk: from `context` lines before this change to `context` lines after the last
        // change that is at most 2 * context unchanged lines away.
        const qsizetype first = std::max<qsizetype>(0, k - context);
        qsizetype last = k;
        for (qsizetype scan = k; scan < edits.size(); ++scan) {
            if (changed(scan))
                last = scan;
            else if (scan - last > 2 * context)
                break;
        }
        const qsizetype end = std::min<qsizetype>(edits.size(), last + context + 1);
        qsizetype oldCount = 0;
        qsizetype newCount = 0;
        QString body;
        for (qsizetype e = first; e < end; ++e) {
            const Edit &edit = edits.at(e);
            switch (edit.op) {
            case Op::Same:
                body += u' ' % a.at(edit.oldLine) % u'\n';
                ++oldCount;
                ++newCount;
                break;
            case Op::Removed:
                body += u'-' % a.at(edit.oldLine) % u'\n';
                ++oldCount;
                break;
            case Op::Added:
                body += u'+' % b.at(edit.newLine) % u'\n';
                ++newCount;
                break;
            }
        }
        out += u"@@ -"_s % range(edits.at(first).oldLine, oldCount) % u" +"_s %
               range(edits.at(first).newLine, newCount) % u" @@\n"_s % body;
        k = end;
    }
    return out;
}

} // namespace Tasktrail
