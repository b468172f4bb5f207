#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

struct pg_conn;
struct pg_result;
struct pg_cancel;

namespace Tasktrail {

// Where a team database is: `postgresql://USER@HOST[:PORT]/DB` (or postgres://), or libpq's
// keyword form starting with one of its connection keywords (`host=... dbname=...`). Anything
// else is a file path (SQLite).
bool isPostgresLocation(const QString &location);

// Appends a text value in COPY's text format: backslash, tab, newline and carriage return
// escaped. PostgreSQL text cannot hold NUL: it becomes U+FFFD (docs/team-database.md). Both
// the ingest's log lines and `copy` write their rows with it.
void appendCopyText(QByteArray &out, QByteArrayView utf8);

// The connection string handed to libpq for a location, checked: it parses, and it carries no
// password (a password belongs in ~/.pgpass or PGPASSFILE, never on a command line or in
// settings, where it would be seen by other users and stored in plain text). libpq itself
// reads the PG* environment variables and ~/.pgpass for what the location leaves out. Empty,
// with *error, when the location is not acceptable.
QByteArray postgresConnInfo(const QString &location, QString *error);

// Bound values of one statement in libpq's text format (bytea in binary). A null
// QString/QByteArray, an empty optional or an invalid date is SQL NULL.
class PgParams
{
public:
    PgParams &add(const QString &text);
    PgParams &addUtf8(const QByteArray &utf8); // text given as UTF-8
    PgParams &add(qint64 value);
    PgParams &add(std::optional<qint64> value);
    PgParams &add(std::optional<int> value);
    PgParams &add(std::optional<double> value);
    PgParams &add(const QDateTime &value); // milliseconds since the epoch, UTC
    PgParams &addBytes(const QByteArray &bytes);
    PgParams &addNull();
    // Every value, length-prefixed (NULL as -1): what the evidence chain hashes of a write.
    QByteArray serialized() const;

    int count() const { return int(m_values.size()); }
    std::vector<const char *> values() const;
    const int *lengths() const { return m_lengths.data(); }
    const int *formats() const { return m_formats.data(); }

private:
    std::vector<QByteArray> m_values;
    std::vector<bool> m_null;
    std::vector<int> m_lengths;
    std::vector<int> m_formats;
};

// The answer to one statement (rows in text format).
class PgResult
{
public:
    PgResult() = default;
    explicit PgResult(pg_result *result);
    bool ok() const { return m_ok; }
    int rows() const;
    int columns() const;
    bool isNull(int row, int column) const;
    QString text(int row, int column) const; // null for SQL NULL
    QByteArray utf8(int row, int column) const;
    qint64 int64(int row, int column) const;
    QByteArray bytes(int row, int column) const; // a bytea column
    // The type of a column: its PostgreSQL type oid.
    unsigned type(int column) const;
    QByteArray columnName(int column) const;
    // How many rows an INSERT, UPDATE or DELETE changed.
    qint64 affected() const;

private:
    std::shared_ptr<pg_result> m_result;
    bool m_ok = false;
};

// One libpq connection. Statements are sent with bound values (PQexecParams); COPY rows go in
// through copyIn(). A write whose answer is only "done" can be sent without waiting for it
// (send(), libpq's pipeline mode): the answers are read by the next call that needs one, so
// a batch's writes cost one round trip together instead of one each. Only cancel() may be
// called from another thread.
class PgConnection
{
public:
    PgConnection();
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    bool open(const QString &location, QString *error);
    bool isOpen() const { return m_conn != nullptr; }

    // A statement without results to read; false with errorString() on failure. A COMMIT
    // that the server answers with a rollback (the transaction had failed) fails too.
    bool exec(const char *sql);
    PgResult query(const char *sql, const PgParams &params = {});
    // COPY <table> (<columns>) FROM STDIN with `data` in COPY's text format.
    bool copyIn(const char *copySql, const QByteArray &data);

    // How a statement is planned: prepared once per connection (by its text; the server
    // parses and plans it once), for the statements run once per record or line whose plan
    // does not depend on the values bound; or planned each time it runs. A prepared
    // `SELECT *` whose table a newer schema widened fails once ("cached plan must not change
    // result type"), failing its transaction, and is prepared again at its next use.
    enum class Plan
    {
        Prepared,
        EachTime,
    };
    // query() through a prepared statement (Plan::Prepared).
    PgResult queryPrepared(const char *sql, const PgParams &params);
    // Runs up to maxAtOnce prepared statements one after the other and reads their results in
    // one round trip: the results in order, or nullopt with errorString() (and in *failed the
    // position of the statement that failed, -1 if it was none of them).
    static constexpr int maxAtOnce = 128;
    using Statements = std::vector<std::pair<QByteArray, PgParams>>;
    std::optional<std::vector<PgResult>> queryPreparedAll(const Statements &statements,
                                                          int *failed);
    // Sends a statement whose rows nobody reads, without waiting for its answer. False only
    // when it cannot be sent (or a write sent before failed, see below). Its answer is read by
    // the next call that waits for one (exec(), query(), queryPrepared(), copyIn(), sync()),
    // in the same round trip. If it failed in the server, that call fails with its error
    // without running its own statement, and so does every call after it until
    // discardSent(): a failed write has aborted the transaction, which must be rolled back.
    // For writes inside a transaction.
    bool send(const char *sql, const PgParams &params, Plan plan);
    // Waits for the answers of what send() sent; false with the first failure's error.
    bool sync();
    // For a transaction that is being rolled back: reads the answers of what was sent and
    // forgets a failed write, so that the ROLLBACK can be sent.
    void discardSent();
    QString errorString() const { return m_error; }
    // The role the connection is logged in as.
    QString user() const;

    // Thread-safe: asks the server to cancel the statement running now, if any.
    void cancel();

private:
    bool failed(const QString &what);
    // Sends a statement in pipeline mode: a prepared one, with its preparation the first
    // time, or one planned each time.
    bool sendInPipeline(const char *sql, const PgParams &params, Plan plan);
    // Reads what was sent before a statement that could not be sent; false with `what`.
    bool sendFailed(const QString &what);
    // Reads the answers of what was sent: the last statement's result, or a failure with the
    // first error (said to be an earlier write's when it did not answer this call's own).
    PgResult answerOfLast();
    // The answers of what was sent: the first failure's message, the place of the statement
    // it answered (-1: the connection's) and its SQLSTATE, and the results kept.
    struct SentAnswers
    {
        QString error;
        int failedAt = -1;
        QByteArray sqlState; // the failure's SQLSTATE, if the server gave one
        std::vector<std::pair<int, PgResult>> kept; // by the statement's place
    };
    // Reads the answers of everything sent, up to the pipeline's sync, and leaves pipeline
    // mode; the results of the statements from keepFrom on are kept (-1: none).
    SentAnswers readSent(int keepFrom);
    // Says what failed among the answers: the call's own statement (from ownFrom on) or a
    // write sent before it, which fails every later call too.
    void noteFailure(const SentAnswers &answers, int ownFrom);
    // Fails every call after a sent write failed, until discardSent().
    bool refuseAfterFailedWrite();

    // Statements sent and not yet answered. At most maxSent wait at a time, so that their
    // answers fit in the socket's buffers whatever the batch's size.
    static constexpr int maxSent = 256;
    int m_sent = 0;
    // The first statement of the call under way (with its preparation): a failure from
    // there on is the call's own.
    int m_callStart = 0;
    // A sent write's failure, until discardSent().
    QString m_failedWrite;
    // The statements prepared on this connection, by their text, and those prepared in the
    // pipeline under way with their place in it. When the pipeline fails, those at or after
    // the failure may not exist: they are forgotten, and prepared again under a new name.
    struct Preparing
    {
        QByteArray text;
        int at = 0;
    };
    QHash<QByteArray, QByteArray> m_prepared;
    std::vector<Preparing> m_preparing;
    std::vector<Preparing> m_running; // the prepared statements run in it, and where
    int m_preparedCount = 0;
    pg_conn *m_conn = nullptr;
    pg_cancel *m_cancel = nullptr;
    QString m_error;
};

} // namespace Tasktrail
