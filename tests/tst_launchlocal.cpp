// Launching end to end on the local runner: a template and policy loaded from files, a real git
// checkout with a bare "origin", `launch` through the CLI, then `run-queue` running a real
// agent command in a worktree. The run must come back as a chain like an ingested one, with
// its commands, its pushed branch and its review, in an SQLite file and in a team database.
#include "backends.h"
#include "clirun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;

namespace {

bool git(const QString &dir, const QStringList &args, QString *out = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(u"git"_s,
            QStringList{u"-c"_s, u"user.name=Test"_s, u"-c"_s, u"user.email=test@example.com"_s} +
                args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("git %s: %s", qPrintable(args.join(u' ')), p.readAllStandardError().constData());
        return false;
    }
    if (out)
        *out = QString::fromUtf8(p.readAllStandardOutput());
    return true;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestLaunchLocal final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void launchAndRunLocally_data() { Backends::addBackendRows(); }
    void launchAndRunLocally();

private:
    Backends::Fixture m_db;
};

void TestLaunchLocal::initTestCase()
{
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
}

void TestLaunchLocal::launchAndRunLocally()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString origin = dir.filePath(u"origin.git"_s);
    const QString checkout = dir.filePath(u"checkout"_s);
    const QString db = backend == u"sqlite" ? dir.filePath(u"launch.db"_s) : m_db.fresh(backend);
    QVERIFY(QDir().mkpath(origin) && QDir().mkpath(checkout));
    QVERIFY(git(origin, {u"init"_s, u"-q"_s, u"--bare"_s, u"-b"_s, u"main"_s}));
    QVERIFY(writeFile(checkout + u"/README"_s, "A repository.\n"));
    QVERIFY(git(checkout, {u"init"_s, u"-q"_s, u"-b"_s, u"main"_s}));
    QVERIFY(git(checkout, {u"add"_s, u"README"_s}));
    QVERIFY(git(checkout, {u"commit"_s, u"-q"_s, u"-m"_s, u"start"_s}));
    QVERIFY(git(checkout, {u"remote"_s, u"add"_s, u"origin"_s, origin}));
    QVERIFY(git(checkout, {u"push"_s, u"-q"_s, u"origin"_s, u"main"_s}));

    // The approved template and the policy that lets a local user run it.
    const QString policies = dir.filePath(u"policies"_s);
    QVERIFY(QDir().mkpath(policies));
    QVERIFY(writeFile(policies + u"/note-1.toml"_s,
                      "[template]\nid = \"note\"\nversion = \"1\"\nname = \"Add a note\"\n"
                      "prompt = \"Add the line {line} to README in {repo}.\"\n"
                      "[repositories]\ninclude = [\"local/*\"]\n"
                      "[changes]\nallow = [\"README\"]\n"
                      "[commands]\nallow = [\"sh **\", \"git **\"]\n"
                      "[stop]\nmax_runtime = \"5m\"\n"));
    QVERIFY(writeFile(policies + u"/local-1.toml"_s,
                      "[policy]\nid = \"local\"\nversion = \"1\"\n"
                      "[[grant]]\ntemplates = [\"note\"]\ntoken_kinds = [\"local_user\"]\n"));
    QCOMPARE(cli({u"policy"_s, u"load"_s, u"--db"_s, db, policies}).exitCode, 0);
    const Run added = cli({u"repos"_s, u"add-local"_s, u"--db"_s, db, checkout});
    QCOMPARE(added.exitCode, 0);
    QVERIFY2(added.out.startsWith(u"local/checkout"_s), qPrintable(added.out + added.err));

    const Run launched = cli({u"launch"_s,
                              u"--db"_s,
                              db,
                              u"--template"_s,
                              u"note@1"_s,
                              u"--policy"_s,
                              u"local@1"_s,
                              u"--repos"_s,
                              u"local/checkout"_s,
                              u"--param"_s,
                              u"line=checked by tasktrail"_s,
                              u"--requester"_s,
                              u"alice"_s,
                              u"--identity"_s,
                              u"alice-laptop"_s,
                              u"--identity-kind"_s,
                              u"local_user"_s,
                              u"--backend"_s,
                              u"local"_s,
                              u"--yes"_s});
    QCOMPARE(launched.exitCode, 0);
    QVERIFY2(launched.out.contains(u"1 task"_s), qPrintable(launched.out + launched.err));
    const QString task = m_db.sql(db, u"SELECT task_id FROM launch_queue"_s);
    QVERIFY(!task.isEmpty());

    // The agent: appends the prompt's line to README through the shell, looks at git status.
    const QString agent = dir.filePath(u"agent.sh"_s);
    QVERIFY(writeFile(agent, "#!/bin/sh\n"
                             "echo \"$1\" | sed 's/^Add the line //; s/ to README.*//' >> README\n"
                             "git status --short\n"));
    const Run worker =
        cli({u"run-queue"_s, u"--db"_s, db, u"--once"_s, u"--backend"_s, u"local"_s, u"--agent"_s,
             u"sh "_s + agent + u" {prompt}"_s, u"--work-dir"_s, dir.filePath(u"worktrees"_s)});
    QVERIFY2(worker.exitCode == 0, qPrintable(worker.out + worker.err));
    QVERIFY2(worker.out.contains(task % u" completed"_s), qPrintable(worker.out));

    // The chain of a launched run is the chain of any run.
    const QJsonObject chain =
        QJsonDocument::fromJson(
            cli({u"show"_s, u"--db"_s, db, u"--format"_s, u"json"_s, task}).out.toUtf8())
            .object();
    const QJsonObject t = chain.value(u"task"_s).toObject();
    QCOMPARE(t.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(t.value(u"source"_s).toString(), u"local"_s);
    QCOMPARE(chain.value(u"request"_s).toObject().value(u"requester"_s).toString(), u"alice"_s);
    QCOMPARE(chain.value(u"identity"_s).toObject().value(u"kind"_s).toString(), u"local_user"_s);
    QStringList commands;
    for (const QJsonValue &c : chain.value(u"commands"_s).toArray()) {
        QStringList argv;
        for (const QJsonValue &a : c.toObject().value(u"argv"_s).toArray())
            argv << a.toString();
        commands << argv.join(u' ');
    }
    QVERIFY2(commands.size() >= 3, qPrintable(commands.join(u" | "_s)));
    QVERIFY(commands.constFirst().startsWith(u"sh "_s + agent));
    QVERIFY(commands.contains(u"git status --short"_s));
    QVERIFY2(std::any_of(commands.cbegin(), commands.cend(),
                         [](const QString &c) { return c.startsWith(u"git push"_s); }),
             qPrintable(commands.join(u" | "_s)));
    const QString branch = t.value(u"head_ref"_s).toString();
    QVERIFY(!branch.isEmpty());
    // Inside its template: the check found nothing.
    const QJsonObject review = chain.value(u"review"_s).toObject();
    QCOMPARE(review.value(u"verdict"_s).toString(), u"conforms"_s);

    // The branch reached origin with the agent's change.
    QString readme;
    QVERIFY(git(origin, {u"show"_s, branch + u":README"_s}, &readme));
    QCOMPARE(readme, u"A repository.\nchecked by tasktrail\n"_s);
    const Run verify = cli({u"verify"_s, u"--db"_s, db});
    QVERIFY2(verify.exitCode == 0, qPrintable(verify.out.right(2000) + verify.err));
}

QTEST_GUILESS_MAIN(TestLaunchLocal)
#include "tst_launchlocal.moc"
