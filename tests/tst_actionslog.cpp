// GitHub Actions job logs and run log archives: detected by content, steps as commands.
#include "clirun.h"
#include "ingest/actionslog.h"
#include "ingest/inputformat.h"
#include "ingestfixture.h"
#include "records/taskchain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <zip.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::Scene;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TASKTRAIL_TEST_DATA) + u"/actions/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

// A run's log archive as GitHub lays it out, built with libzip: `entries` are (path, text).
QByteArray makeArchive(const QList<std::pair<QByteArray, QByteArray>> &entries)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *out = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(out);
    zip_t *zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    if (!zip)
        qFatal("cannot create a zip");
    for (const auto &[path, text] : entries) {
        zip_source_t *data = zip_source_buffer(zip, text.constData(), zip_uint64_t(text.size()), 0);
        if (zip_file_add(zip, path.constData(), data, ZIP_FL_ENC_UTF_8) < 0)
            qFatal("cannot add %s", path.constData());
    }
    if (zip_close(zip) != 0)
        qFatal("cannot write the zip");
    zip_stat_t stat;
    zip_source_stat(out, &stat);
    QByteArray bytes(qsizetype(stat.size), '\0');
    zip_source_open(out);
    zip_source_read(out, bytes.data(), stat.size);
    zip_source_close(out);
    zip_source_free(out);
    zip_error_fini(&error);
    return bytes;
}

QByteArray timed(const char *time, const char *text)
{
    return "2026-02-03T" + QByteArray(time) + ".0000000Z " + text + '\n';
}

QList<std::pair<QByteArray, QByteArray>> runEntries()
{
    const QByteArray buildSetup = timed("09:00:00", "Current runner version: '2.321.0'");
    const QByteArray buildTest = timed("09:00:05", "##[group]Run npm test") +
                                 timed("09:00:06", "npm test") +
                                 timed("09:00:07", "##[error]Process completed with exit code 2.");
    const QByteArray lint = timed("09:01:00", "Current runner version: '2.321.0'") +
                            timed("09:01:02", "##[group]Run npm run lint") +
                            timed("09:01:04", "ok");
    return {{"0_build.txt", buildSetup + buildTest},
            {"build/1_Set up job.txt", buildSetup},
            {"build/2_Run npm test.txt", buildTest},
            {"1_lint.txt", lint},
            {"-2147483648_lint.txt", timed("09:09:09", "placeholder")}};
}

QStringList argvs(const TaskChain &chain)
{
    QStringList out;
    for (const TaskChain::Command &c : chain.commands)
        out << c.record.argv.join(u' ');
    return out;
}

} // namespace

class TestActionsLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detection_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("name");
        QTest::addColumn<InputFormat>("format");
        QTest::newRow("job log") << fixture(u"job-log.txt"_s) << u"x.log"_s
                                 << InputFormat::ActionsJobLog;
        QTest::newRow("job log named .json") << timed("09:00:00", "a") + timed("09:00:01", "b")
                                             << u"x.json"_s << InputFormat::ActionsJobLog;
        QTest::newRow("offset times are another CI's")
            << QByteArray("2026-02-03T09:00:00+02:00 a\n2026-02-03T09:00:01+02:00 b\n")
            << u"x.txt"_s << InputFormat::CommandLog;
        QTest::newRow("first line untimed") << QByteArray("hello\n") + timed("09:00:00", "a")
                                            << u"x.txt"_s << InputFormat::CommandLog;
        QTest::newRow("tasktrail header") << QByteArray("##[tasktrail] task=T command=1\nx\n")
                                          << u"x.txt"_s << InputFormat::CommandLog;
        QTest::newRow("session log") << QByteArray("data: {\"object\":\"x\"}\n") << u"x.txt"_s
                                     << InputFormat::CopilotSessionLog;
        QTest::newRow("zip") << makeArchive(runEntries()) << u"logs.bin"_s
                             << InputFormat::ActionsRunArchive;
    }
    void detection()
    {
        QFETCH(QByteArray, head);
        QFETCH(QString, name);
        QFETCH(InputFormat, format);
        QCOMPARE(detectInputFormat(head, name, true).format, format);
    }

    void stepTitlesAndExitCodes()
    {
        QCOMPARE(actionsStepTitle("##[group]Run npm ci"), u"npm ci"_s);
        QCOMPARE(actionsStepTitle("##[group]Operating System"), QString());
        QCOMPARE(actionsExitCode("##[error]Process completed with exit code 127."), 127);
        QCOMPARE(actionsExitCode("##[error]Process completed with exit code 99999."), -1);
        QCOMPARE(actionsExitCode("##[error]Something else"), -1);
    }

    void jobLogStepsAreCommands()
    {
        Scene scene;
        const QString file = scene.write(u"job.txt"_s, fixture(u"job-log.txt"_s));
        const auto run = scene.ingest({file}, IngestOptions{u"run-1"_s, 5, {}, {}, 2000, 50000});
        QVERIFY2(run.ok, qPrintable(run.error));
        QVERIFY2(run.issues.isEmpty(), qPrintable(run.describe().join(u'\n')));
        const auto chain = scene.store().taskChain(u"run-1"_s);
        QVERIFY(chain);
        QCOMPARE(chain->task.source, u"github-actions"_s);
        QCOMPARE(argvs(*chain), (QStringList{u"Set up job"_s, u"actions/checkout@v4"_s, u"npm ci"_s,
                                             u"npm test"_s}));
        QCOMPARE(chain->commands.at(0).record.seq, 5);
        QCOMPARE(chain->commands.at(2).record.exitCode, 0);
        QCOMPARE(chain->commands.at(3).record.exitCode, 1);
        QCOMPARE(chain->commands.at(3).record.startedAt,
                 QDateTime(QDate(2026, 2, 3), QTime(9, 0, 10), QTimeZone::utc()));
        QCOMPARE(chain->commands.at(3).record.endedAt,
                 QDateTime(QDate(2026, 2, 3), QTime(9, 0, 15), QTimeZone::utc()));
        // Warnings, debug and command lines are kept as lines; the line without a time too.
        const QByteArrayList npmCi = scene.lines(u"run-1"_s, 7);
        QVERIFY(npmCi.contains("##[warning]npm warn deprecated glob@7.2.3: no longer supported"));
        QVERIFY(npmCi.contains("added 412 packages in 5s"));
        const auto key = scene.store().commandKey(u"run-1"_s, 7);
        const QList<LogLine> stored = scene.store().logLines(*key, 1, 100);
        QCOMPARE(stored.constLast().text, QByteArray("added 412 packages in 5s"));
        QCOMPARE(stored.constLast().timestampMs, 0);
        QVERIFY(scene.lines(u"run-1"_s, 6).contains("##[command]/usr/bin/git version"));
        // The token in the failing step's output never reaches the database.
        const QByteArray test = scene.lines(u"run-1"_s, 8).join('\n');
        QVERIFY(test.contains("[REDACTED"));
        QVERIFY(!test.contains("a1B2c3D4e5F6g7H8i9J0"));

        const auto again = scene.ingest({file}, IngestOptions{u"run-1"_s, 5, {}, {}, 2000, 50000});
        QCOMPARE(again.counts.ingested, 0);
        QCOMPARE(again.counts.duplicates, run.counts.ingested);
    }

    void jobLogNeedsATask()
    {
        Scene scene;
        const auto run = scene.ingest({scene.write(u"job.txt"_s, fixture(u"job-log.txt"_s))});
        QCOMPARE(run.counts.rejected, 1);
        QVERIFY2(!run.issueContaining(u"pass --task ID"_s).isEmpty(),
                 qPrintable(run.describe().join(u'\n')));
        QCOMPARE(scene.store().stats().commands, 0);
    }

    // A text log of no known format, without --task: one message for the file.
    void unknownLogIsOneMessage()
    {
        Scene scene;
        QByteArray log;
        for (int i = 0; i < 5000; ++i)
            log += "[INFO] step " + QByteArray::number(i) + '\n';
        const auto run = scene.ingest({scene.write(u"ci.log"_s, log)});
        QCOMPARE(run.issues.size(), 1);
        QCOMPARE(run.counts.rejected, 1);
        const QString reason = run.issues.constFirst().reason;
        QVERIFY(reason.contains(u"GitHub Actions job logs"_s));
        QVERIFY(reason.contains(u"Copilot session logs"_s));
        QVERIFY(reason.contains(u"--task ID --command N"_s));
    }

    void runArchive()
    {
        Scene scene;
        const QString file = scene.write(u"logs_4242.zip"_s, makeArchive(runEntries()));
        const auto run = scene.ingest({file});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, 0);
        const auto chain = scene.store().taskChain(u"github-actions-run-4242"_s);
        QVERIFY(chain);
        // build has step files: one command each, named as the run named them; lint has only
        // its job log, split at its group lines; the placeholder log yields to it.
        QCOMPARE(argvs(*chain), (QStringList{u"build: Set up job"_s, u"build: Run npm test"_s,
                                             u"lint: Set up job"_s, u"lint: npm run lint"_s}));
        QCOMPARE(chain->commands.at(1).record.exitCode, 2);
        QCOMPARE(chain->commands.at(3).record.exitCode, 0);
        QCOMPARE(scene.lines(u"github-actions-run-4242"_s, 4),
                 (QByteArrayList{"##[group]Run npm run lint", "ok"}));
        QVERIFY(!run.issueContaining(u"-2147483648_lint.txt: not read"_s).isEmpty());
        const EvidenceReport report = scene.store().verifyEvidence({});
        QVERIFY2(report.intact(),
                 qPrintable(report.error + QString::number(report.problems.size())));
    }

    void brokenArchive_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        const QByteArray whole = makeArchive(runEntries());
        QTest::newRow("cut in half") << whole.left(whole.size() / 2);
        QByteArray damaged = whole;
        damaged[40] = char(damaged.at(40) ^ 0x5A); // inside the first entry's data
        QTest::newRow("damaged entry") << damaged;
    }
    // A damaged archive is one error and ingests nothing: no half run.
    void brokenArchive()
    {
        QFETCH(QByteArray, bytes);
        Scene scene;
        const auto run = scene.ingest({scene.write(u"logs_7.zip"_s, bytes)});
        QVERIFY(run.ok);
        QCOMPARE(run.counts.rejected, 1);
        QVERIFY2(!run.issueContaining(u"nothing of it was ingested"_s).isEmpty(),
                 qPrintable(run.describe().join(u'\n')));
        QCOMPARE(scene.store().stats().commands, 0);
        QVERIFY(!scene.store().taskChain(u"github-actions-run-7"_s));
    }

    // What GitHub sync calls with a downloaded archive: the task is given, not derived.
    void contentEntryPoint()
    {
        Scene scene;
        Ingestor ingestor(scene.store());
        IngestOptions options;
        options.taskId = u"T-sync"_s;
        options.commandPrefix = u"ci/"_s;
        ingestor.setOptions(options);
        const QByteArray archive = makeArchive(runEntries());
        QVERIFY(ingestor.ingestContent(u"run 99 logs"_s, archive));
        QCOMPARE(ingestor.touchedTaskIds(), QStringList{u"T-sync"_s});
        const auto chain = scene.store().taskChain(u"T-sync"_s);
        QVERIFY(chain);
        QCOMPARE(argvs(*chain).constFirst(), u"ci/build: Set up job"_s);
        const qint64 ingested = ingestor.counts().ingested;
        QVERIFY(ingested > 0);
        QVERIFY(ingestor.ingestContent(u"run 99 logs"_s, archive));
        QCOMPARE(ingestor.counts().ingested, 0);
        QCOMPARE(ingestor.counts().duplicates, ingested);
    }

    // The chain as `show --format json` prints it, field by field.
    void showPrintsTheSteps()
    {
        Scene scene;
        const QString file = scene.write(u"job.txt"_s, fixture(u"job-log.txt"_s));
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--task"_s, u"run-9"_s,
                              u"--quiet"_s, file})
                     .exitCode,
                 0);
        const CliRun::Run show = CliRun::cli(
            {u"show"_s, u"--db"_s, scene.dbPath(), u"--format"_s, u"json"_s, u"run-9"_s});
        QCOMPARE(show.exitCode, 0);
        const QJsonArray commands =
            QJsonDocument::fromJson(show.out.toUtf8()).object().value(u"commands"_s).toArray();
        QCOMPARE(commands.size(), 4);
        const QJsonObject test = commands.at(3).toObject();
        QCOMPARE(test.value(u"seq"_s).toInt(), 4);
        QCOMPARE(test.value(u"argv"_s).toArray().at(0).toString(), u"npm test"_s);
        QCOMPARE(test.value(u"exit_code"_s).toInt(), 1);
        QCOMPARE(test.value(u"log_lines"_s).toInt(), 7);
        QCOMPARE(test.value(u"started_at"_s).toString(), u"2026-02-03T09:00:10.000Z"_s);
        QCOMPARE(test.value(u"ended_at"_s).toString(), u"2026-02-03T09:00:15.000Z"_s);
        QCOMPARE(commands.at(0).toObject().value(u"log_lines"_s).toInt(), 4);
    }
};

QTEST_GUILESS_MAIN(TestActionsLog)
#include "tst_actionslog.moc"
