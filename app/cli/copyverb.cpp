#include "copyverb.h"

#include "cliverb.h"
#include "store/pgconnection.h"
#include "store/storecopy.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {

int runCopy(const QStringList &args)
{
    VerbParser v(u"copy"_s,
                 u"Copies an SQLite database into an empty team database on PostgreSQL: every "
                 "record with its evidence chain, so both have the same chain head and verify "
                 "passes on both. Progress goes to stderr. A copy that was stopped goes on "
                 "where it stopped when started again with the same --from and --to."_s,
                 false);
    v.parser().addOption({u"from"_s, u"The SQLite file to copy (only read)."_s, u"FILE"_s});
    v.parser().addOption({u"to"_s,
                          u"The team database: postgresql://USER@HOST[:PORT]/DB or "
                          "host=... dbname=..."_s,
                          u"LOCATION"_s});
    v.parser().addOption({u"batch-rows"_s, u"Rows per committed batch (default 5000)."_s, u"N"_s});
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    const QString from = v.parser().value(u"from"_s);
    const QString to = v.parser().value(u"to"_s);
    if (from.isEmpty() || to.isEmpty())
        return fail(u"copy: --from FILE and --to postgresql://... are both needed"_s);
    if (!isPostgresLocation(to))
        return fail(u"copy: --to must name a PostgreSQL database (postgresql://USER@HOST/DB "
                    "or host=... dbname=...), not a file"_s);
    StoreCopyJob job;
    if (v.parser().isSet(u"batch-rows"_s)) {
        const std::optional<int> rows = v.intOption(u"batch-rows"_s, 1, 1000000);
        if (!rows)
            return Fatal;
        job.setBatchRows(*rows);
    }
    // A line per table and at most one a second within a table: enough to see it move.
    QElapsedTimer sinceLine;
    QString lastTable;
    QObject::connect(&job, &StoreCopyJob::progress, &job, [&](const StoreCopyProgress &p) {
        if (p.tableRows == 0 || (p.table == lastTable && sinceLine.isValid() &&
                                 sinceLine.elapsed() < 1000 && p.tableDone < p.tableRows))
            return;
        lastTable = p.table;
        sinceLine.start();
        print(u"copy: %1 %2/%3 rows, %4/%5 in all\n"_s.arg(p.table)
                  .arg(p.tableDone)
                  .arg(p.tableRows)
                  .arg(p.done)
                  .arg(p.total),
              stderr);
    });
    QString error;
    QEventLoop loop;
    QObject::connect(&job, &StoreCopyJob::finished, &loop, [&](const QString &e) {
        error = e;
        loop.quit();
    });
    job.start(from, to);
    loop.exec();
    if (!error.isEmpty())
        return fail(u"copy: "_s + error);
    const StoreCopy &copy = job.copy();
    print(u"copied %1 rows%2; evidence chain head %3\n"_s.arg(copy.rowsCopied())
              .arg(copy.resumed() ? u" (resumed)"_s : QString())
              .arg(copy.head().isEmpty() ? u"(empty)"_s : QString::fromLatin1(copy.head())));
    return Ok;
}

} // namespace Tasktrail::Cli
