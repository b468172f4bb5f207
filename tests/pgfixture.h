#pragma once

// A real PostgreSQL server for the tests: `initdb` into a temporary directory, `postgres`
// started by `pg_ctl` on a free loopback port (its unix socket in the same directory), stopped
// when the fixture goes. One server per test executable: start it in initTestCase() and give
// each case its own database (createDatabase()).
//
// The binaries are Debian's (package `postgresql`, under /usr/lib/postgresql/<version>/bin; the
// newest version there is used). PostgreSQL refuses to run as root: when the tests run as root,
// initdb and pg_ctl run as `nobody` (through runuser) and the directory is handed to it.
// Nothing here skips: a missing server is an error the test reports as a failure.

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QVersionNumber>

#include <pwd.h>
#include <unistd.h>

#include <memory>

namespace PgFixture {

using namespace Qt::StringLiterals;

// The bin directory of the newest PostgreSQL under `root`, empty when there is none.
inline QString serverBinDir(const QString &root = u"/usr/lib/postgresql"_s)
{
    QVersionNumber best;
    QString bin;
    const QStringList versions = QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &v : versions) {
        const QString dir = root + u'/' + v + u"/bin"_s;
        const QVersionNumber n = QVersionNumber::fromString(v);
        if (!n.isNull() && n > best && QFileInfo(dir + u"/initdb"_s).isExecutable() &&
            QFileInfo(dir + u"/pg_ctl"_s).isExecutable()) {
            best = n;
            bin = dir;
        }
    }
    return bin;
}

// A port on 127.0.0.1 nobody listens on right now.
inline quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

class Server
{
public:
    Server() = default;
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;
    ~Server() { stop(); }

    // Creates the cluster and starts it; false with *error saying why (and the server log).
    bool start(QString *error)
    {
        m_bin = serverBinDir();
        if (m_bin.isEmpty()) {
            *error = u"PostgreSQL server binaries (initdb, pg_ctl) not found under "
                     "/usr/lib/postgresql/<version>/bin: install Debian's postgresql package "
                     "(packaging/quickstart lists it)"_s;
            return false;
        }
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/tasktrail-pg-XXXXXX"_s);
        if (!m_dir->isValid()) {
            *error = u"cannot create a temporary directory: "_s + m_dir->errorString();
            return false;
        }
        if (geteuid() == 0 && !handToUnprivilegedUser(error))
            return false;
        if (!run(u"initdb"_s,
                 {u"-D"_s, dataDir(), u"-U"_s, superuser(), u"--auth=trust"_s, u"--no-sync"_s,
                  u"--encoding=UTF8"_s, u"--locale=C"_s},
                 error))
            return false;
        // Every role logs in without a password (trust), except passwordUser(): the first
        // matching line of pg_hba.conf wins, so its line goes first.
        QFile hba(dataDir() + u"/pg_hba.conf"_s);
        if (!hba.open(QIODevice::ReadOnly)) {
            *error = u"cannot read %1"_s.arg(hba.fileName());
            return false;
        }
        const QByteArray rules =
            "host all " + passwordUser().toUtf8() + " 127.0.0.1/32 scram-sha-256\n" + hba.readAll();
        hba.close();
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            hba.write(rules) != rules.size()) {
            *error = u"cannot write %1"_s.arg(hba.fileName());
            return false;
        }
        hba.close();
        // A port found free can be taken before the server binds it: try a few.
        for (int attempt = 0; attempt < 5; ++attempt) {
            m_port = freeLoopbackPort();
            const QString options =
                u"-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40"_s
                    .arg(m_port)
                    .arg(m_dir->path());
            if (run(u"pg_ctl"_s,
                    {u"-D"_s, dataDir(), u"-l"_s, logPath(), u"-o"_s, options, u"-w"_s, u"-t"_s,
                     u"60"_s, u"start"_s},
                    error)) {
                m_running = true;
                return true;
            }
        }
        *error += u"\nserver log:\n"_s + serverLog();
        return false;
    }

    void stop()
    {
        if (!m_running)
            return;
        QString ignored;
        run(u"pg_ctl"_s, {u"-D"_s, dataDir(), u"-m"_s, u"fast"_s, u"-w"_s, u"stop"_s}, &ignored);
        m_running = false;
    }

    bool isRunning() const { return m_running; }
    quint16 port() const { return m_port; }
    QString binDir() const { return m_bin; }
    QString dataDir() const { return m_dir ? m_dir->filePath(u"data"_s) : QString(); }
    QString socketDir() const { return m_dir ? m_dir->path() : QString(); }
    static QString superuser() { return u"tasktrail_admin"_s; }
    // The one role that must give a password over TCP (scram-sha-256); the test creates it.
    static QString passwordUser() { return u"tasktrail_password"_s; }

    // postgresql://USER@127.0.0.1:PORT/DB
    QString url(const QString &database, const QString &user = superuser()) const
    {
        return u"postgresql://%1@127.0.0.1:%2/%3"_s.arg(user).arg(m_port).arg(database);
    }
    // The libpq keyword form of the same.
    QString keywords(const QString &database, const QString &user = superuser()) const
    {
        return u"host=127.0.0.1 port=%1 dbname=%2 user=%3"_s.arg(m_port).arg(database, user);
    }

    // Runs SQL through psql as `user` on `database`; the output rows (unaligned, '|'-separated)
    // in *out. False, with psql's error in *error, when a statement fails.
    bool psql(const QString &database, const QString &sql, QString *out, QString *error,
              const QString &user = superuser()) const
    {
        QProcess p;
        p.start(m_bin + u"/psql"_s,
                {u"-X"_s, u"-q"_s, u"-A"_s, u"-t"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-h"_s,
                 u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"-U"_s, user, u"-d"_s, database,
                 u"-c"_s, sql});
        const bool finished = p.waitForFinished(60000);
        if (out)
            *out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            if (error)
                *error = QString::fromUtf8(p.readAllStandardError()).trimmed();
            return false;
        }
        return true;
    }

    bool createDatabase(const QString &name, QString *error) const
    {
        return psql(u"postgres"_s, u"CREATE DATABASE \"%1\""_s.arg(name), nullptr, error);
    }

    // A new database `name` with everything `from` holds (no one may be connected to `from`).
    bool copyDatabase(const QString &from, const QString &name, QString *error) const
    {
        return psql(u"postgres"_s, u"CREATE DATABASE \"%1\" TEMPLATE \"%2\""_s.arg(name, from),
                    nullptr, error);
    }

    // Everything `database` holds, as pg_dump writes it (schema and rows, plain SQL), the same
    // bytes for the same contents.
    bool dump(const QString &database, QByteArray *out, QString *error) const
    {
        QProcess p;
        p.start(m_bin + u"/pg_dump"_s,
                {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"-U"_s, superuser(),
                 u"--no-owner"_s, u"--no-privileges"_s, database});
        const bool finished = p.waitForFinished(120000);
        *out = p.readAllStandardOutput();
        // Newer pg_dump brackets the dump with \restrict and \unrestrict and a key drawn anew
        // each time: without them two dumps of the same database are the same bytes.
        QByteArrayList lines = out->split('\n');
        lines.removeIf([](const QByteArray &line) {
            return line.startsWith("\\restrict ") || line.startsWith("\\unrestrict ");
        });
        *out = lines.join('\n');
        if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            if (error)
                *error = QString::fromUtf8(p.readAllStandardError()).trimmed();
            return false;
        }
        return true;
    }

    QString serverLog() const
    {
        QFile log(logPath());
        return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
    }

private:
    QString logPath() const { return m_dir->filePath(u"server.log"_s); }

    // PostgreSQL will not run as root: the directory goes to `nobody`, and so do the server's
    // processes (see run()).
    bool handToUnprivilegedUser(QString *error)
    {
        const passwd *pw = getpwnam("nobody");
        if (!pw) {
            *error = u"running as root, and there is no user 'nobody' to run PostgreSQL as"_s;
            return false;
        }
        m_uid = pw->pw_uid;
        m_gid = pw->pw_gid;
        if (chown(QFile::encodeName(m_dir->path()).constData(), m_uid, m_gid) != 0) {
            *error = u"cannot hand %1 to 'nobody'"_s.arg(m_dir->path());
            return false;
        }
        m_asNobody = true;
        return true;
    }

    bool run(const QString &tool, const QStringList &args, QString *error) const
    {
        QProcess p;
        p.setWorkingDirectory(m_dir->path());
        p.setProcessChannelMode(QProcess::MergedChannels);
        const QString program = m_bin + u'/' + tool;
        if (m_asNobody) {
            // runuser is in /usr/sbin, which a root shell's PATH may leave out.
            QString runuser = QStandardPaths::findExecutable(u"runuser"_s);
            if (runuser.isEmpty())
                runuser =
                    QStandardPaths::findExecutable(u"runuser"_s, {u"/usr/sbin"_s, u"/sbin"_s});
            p.start(runuser, QStringList{u"-u"_s, u"nobody"_s, u"--"_s, program} + args);
        } else
            p.start(program, args);
        const bool finished = p.waitForFinished(120000);
        if (finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return true;
        *error = u"%1 failed (%2): %3"_s.arg(
            tool, finished ? u"exit code %1"_s.arg(p.exitCode()) : p.errorString(),
            QString::fromLocal8Bit(p.readAll()).trimmed());
        return false;
    }

    QString m_bin;
    std::unique_ptr<QTemporaryDir> m_dir;
    quint16 m_port = 0;
    bool m_running = false;
    bool m_asNobody = false;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
};

} // namespace PgFixture
