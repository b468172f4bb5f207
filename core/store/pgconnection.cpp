#include "pgconnection.h"

#include <QRegularExpression>

#include <libpq-fe.h>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Type oids of pg_type (src/include/catalog/pg_type.dat), fixed since PostgreSQL 7.
constexpr unsigned byteaOid = 17;

} // namespace

void appendCopyText(QByteArray &out, QByteArrayView utf8)
{
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\0':
            out += "\xEF\xBF\xBD";
            break;
        default:
            out += c;
        }
    }
}

bool isPostgresLocation(const QString &location)
{
    static const QRegularExpression keywordForm(
        u"^\\s*(host|hostaddr|port|dbname|user|service|sslmode|passfile|application_name)"
        "\\s*="_s);
    return location.startsWith(u"postgresql://"_s) || location.startsWith(u"postgres://"_s) ||
           keywordForm.match(location).hasMatch();
}

QByteArray postgresConnInfo(const QString &location, QString *error)
{
    const QByteArray info = location.trimmed().toUtf8();
    char *message = nullptr;
    PQconninfoOption *options = PQconninfoParse(info.constData(), &message);
    if (!options) {
        *error = u"not a PostgreSQL location (%1): %2"_s.arg(
            location.section(u'@', -1),
            QString::fromUtf8(message ? message : "out of memory").trimmed());
        PQfreemem(message);
        return {};
    }
    bool withPassword = false;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (std::strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            withPassword = true;
    }
    PQconninfoFree(options);
    if (withPassword) {
        // The message names no part of the location: it holds the password.
        *error = u"a PostgreSQL location must not contain a password: put it in ~/.pgpass (or "
                 "the file PGPASSFILE names), where libpq finds it"_s;
        return {};
    }
    return info;
}

PgParams &PgParams::add(const QString &text)
{
    return text.isNull() ? addNull() : addUtf8(text.toUtf8());
}

PgParams &PgParams::addUtf8(const QByteArray &utf8)
{
    if (utf8.isNull())
        return addNull();
    m_values.push_back(utf8);
    m_null.push_back(false);
    m_lengths.push_back(int(utf8.size()));
    m_formats.push_back(0);
    return *this;
}

PgParams &PgParams::add(qint64 value)
{
    return addUtf8(QByteArray::number(value));
}

PgParams &PgParams::add(std::optional<qint64> value)
{
    return value ? add(*value) : addNull();
}

PgParams &PgParams::add(std::optional<int> value)
{
    return value ? add(qint64(*value)) : addNull();
}

PgParams &PgParams::add(std::optional<double> value)
{
    return value ? addUtf8(QByteArray::number(*value, 'g', 17)) : addNull();
}

PgParams &PgParams::add(const QDateTime &value)
{
    return value.isValid() ? add(value.toMSecsSinceEpoch()) : addNull();
}

PgParams &PgParams::addBytes(const QByteArray &bytes)
{
    if (bytes.isNull())
        return addNull();
    m_values.push_back(bytes);
    m_null.push_back(false);
    m_lengths.push_back(int(bytes.size()));
    m_formats.push_back(1);
    return *this;
}

PgParams &PgParams::addNull()
{
    m_values.emplace_back();
    m_null.push_back(true);
    m_lengths.push_back(0);
    m_formats.push_back(0);
    return *this;
}

QByteArray PgParams::serialized() const
{
    QByteArray out;
    for (size_t i = 0; i < m_values.size(); ++i) {
        out += QByteArray::number(m_null[i] ? -1 : m_values[i].size()) + ':';
        if (!m_null[i])
            out += m_values[i];
    }
    return out;
}

std::vector<const char *> PgParams::values() const
{
    std::vector<const char *> out;
    out.reserve(m_values.size());
    for (size_t i = 0; i < m_values.size(); ++i)
        out.push_back(m_null[i] ? nullptr : m_values[i].constData());
    return out;
}

PgResult::PgResult(pg_result *result)
    : m_result(result, PQclear)
{
    const ExecStatusType status = PQresultStatus(result);
    m_ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

int PgResult::rows() const
{
    return m_result ? PQntuples(m_result.get()) : 0;
}

int PgResult::columns() const
{
    return m_result ? PQnfields(m_result.get()) : 0;
}

bool PgResult::isNull(int row, int column) const
{
    return PQgetisnull(m_result.get(), row, column) != 0;
}

QString PgResult::text(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QString::fromUtf8(PQgetvalue(m_result.get(), row, column),
                             PQgetlength(m_result.get(), row, column));
}

QByteArray PgResult::utf8(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QByteArray(PQgetvalue(m_result.get(), row, column),
                      PQgetlength(m_result.get(), row, column));
}

qint64 PgResult::int64(int row, int column) const
{
    return QByteArray(PQgetvalue(m_result.get(), row, column)).toLongLong();
}

QByteArray PgResult::bytes(int row, int column) const
{
    if (isNull(row, column))
        return {};
    if (PQftype(m_result.get(), column) != byteaOid)
        return utf8(row, column);
    size_t size = 0;
    unsigned char *raw = PQunescapeBytea(
        reinterpret_cast<const unsigned char *>(PQgetvalue(m_result.get(), row, column)), &size);
    const QByteArray out(reinterpret_cast<const char *>(raw), qsizetype(size));
    PQfreemem(raw);
    return out;
}

unsigned PgResult::type(int column) const
{
    return PQftype(m_result.get(), column);
}

QByteArray PgResult::columnName(int column) const
{
    return QByteArray(PQfname(m_result.get(), column));
}

qint64 PgResult::affected() const
{
    return QByteArray(PQcmdTuples(m_result.get())).toLongLong();
}

PgConnection::PgConnection() = default;

PgConnection::~PgConnection()
{
    if (m_cancel)
        PQfreeCancel(m_cancel);
    if (m_conn)
        PQfinish(m_conn);
}

bool PgConnection::open(const QString &location, QString *error)
{
    const QByteArray info = postgresConnInfo(location, error);
    if (info.isEmpty())
        return false;
    m_conn = PQconnectdb(info.constData());
    if (PQstatus(m_conn) != CONNECTION_OK) {
        *error = u"cannot connect to PostgreSQL: "_s +
                 QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        PQfinish(m_conn);
        m_conn = nullptr;
        return false;
    }
    // Times are numbers and text is UTF-8 whatever the server's defaults.
    if (!exec("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'")) {
        *error = m_error;
        return false;
    }
    m_cancel = PQgetCancel(m_conn);
    return true;
}

bool PgConnection::failed(const QString &what)
{
    const QString message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    m_error = what.isEmpty() ? message : what + u": "_s + message;
    return false;
}

bool PgConnection::exec(const char *sql)
{
    if (!sync())
        return false;
    PGresult *raw = PQexec(m_conn, sql);
    // COMMIT in a transaction that failed is answered "ROLLBACK", with a success status.
    const bool rolledBack = raw && PQresultStatus(raw) == PGRES_COMMAND_OK &&
                            qstrcmp(sql, "COMMIT") == 0 && qstrcmp(PQcmdStatus(raw), "COMMIT") != 0;
    const PgResult result(raw);
    if (rolledBack) {
        m_error = u"the transaction had failed and was rolled back"_s;
        return false;
    }
    return result.ok() || failed({});
}

PgResult PgConnection::query(const char *sql, const PgParams &params)
{
    if (m_sent > 0)
        return sendInPipeline(sql, params, Plan::EachTime) ? answerOfLast() : PgResult();
    if (!refuseAfterFailedWrite())
        return {};
    const std::vector<const char *> values = params.values();
    PgResult result(PQexecParams(m_conn, sql, params.count(), nullptr, values.data(),
                                 params.lengths(), params.formats(), 0));
    if (!result.ok())
        failed({}); // the caller says what failed
    return result;
}

bool PgConnection::copyIn(const char *copySql, const QByteArray &data)
{
    if (!sync())
        return false;
    PGresult *start = PQexec(m_conn, copySql);
    const bool copying = PQresultStatus(start) == PGRES_COPY_IN;
    PQclear(start);
    if (!copying)
        return failed(u"COPY failed"_s);
    // In pieces: PQputCopyData takes an int length.
    constexpr qsizetype piece = 1 << 20;
    bool sent = true;
    for (qsizetype at = 0; sent && at < data.size(); at += piece)
        sent =
            PQputCopyData(m_conn, data.constData() + at, int(qMin(piece, data.size() - at))) == 1;
    if (PQputCopyEnd(m_conn, sent ? nullptr : "not all rows could be sent") != 1)
        sent = false;
    bool ok = sent;
    while (PGresult *r = PQgetResult(m_conn)) {
        ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    return ok || failed(u"COPY failed"_s);
}

PgResult PgConnection::queryPrepared(const char *sql, const PgParams &params)
{
    return sendInPipeline(sql, params, Plan::Prepared) ? answerOfLast() : PgResult();
}

bool PgConnection::send(const char *sql, const PgParams &params, Plan plan)
{
    return sendInPipeline(sql, params, plan) && (m_sent < maxSent || sync());
}

bool PgConnection::refuseAfterFailedWrite()
{
    if (m_failedWrite.isEmpty())
        return true;
    m_error = m_failedWrite;
    return false;
}

bool PgConnection::sendInPipeline(const char *sql, const PgParams &params, Plan plan)
{
    if (!refuseAfterFailedWrite())
        return false;
    if (m_sent == 0 && PQenterPipelineMode(m_conn) != 1)
        return failed(u"cannot send the statement"_s);
    m_callStart = m_sent;
    const std::vector<const char *> values = params.values();
    if (plan == Plan::EachTime) {
        if (PQsendQueryParams(m_conn, sql, params.count(), nullptr, values.data(), params.lengths(),
                              params.formats(), 0) != 1)
            return sendFailed(u"cannot send the statement"_s);
        ++m_sent;
        return true;
    }
    const QByteArray text(sql);
    auto name = m_prepared.constFind(text);
    if (name == m_prepared.cend()) {
        const QByteArray fresh = "tasktrail_" + QByteArray::number(++m_preparedCount);
        if (PQsendPrepare(m_conn, fresh.constData(), sql, params.count(), nullptr) != 1)
            return sendFailed(u"cannot send the statement"_s);
        m_preparing.push_back({text, m_sent++});
        name = m_prepared.insert(text, fresh);
    }
    if (PQsendQueryPrepared(m_conn, name->constData(), params.count(), values.data(),
                            params.lengths(), params.formats(), 0) != 1)
        return sendFailed(u"cannot send the statement"_s);
    m_running.push_back({text, m_sent++});
    return true;
}

bool PgConnection::sendFailed(const QString &what)
{
    failed(what);
    const QString error = m_error;
    readSent(-1); // the answers of what went before, and out of pipeline mode
    m_error = error;
    return false;
}

PgResult PgConnection::answerOfLast()
{
    const int own = m_callStart;
    SentAnswers answers = readSent(m_sent - 1);
    if (answers.error.isEmpty() && !answers.kept.empty())
        return std::move(answers.kept.back().second);
    noteFailure(answers, own);
    return {};
}

void PgConnection::noteFailure(const SentAnswers &answers, int ownFrom)
{
    if (answers.error.isEmpty()) {
        m_error = u"the connection lost the answers of its statements"_s;
    } else if (answers.failedAt >= ownFrom) {
        m_error = answers.error;
    } else {
        m_error = u"a write sent before this statement failed: "_s + answers.error;
        m_failedWrite = m_error;
    }
}

std::optional<std::vector<PgResult>> PgConnection::queryPreparedAll(const Statements &statements,
                                                                    int *failed)
{
    *failed = -1;
    if (statements.size() > std::size_t(maxAtOnce)) {
        m_error = u"too many statements at once"_s;
        return std::nullopt;
    }
    if (statements.empty())
        return std::vector<PgResult>();
    const int first = m_sent; // what was sent before is not this call's
    std::vector<int> at;      // where each statement runs, after its preparation if any
    at.reserve(statements.size());
    for (const auto &[sql, params] : statements) {
        if (!sendInPipeline(sql.constData(), params, Plan::Prepared))
            return std::nullopt;
        at.push_back(m_sent - 1);
    }
    SentAnswers answers = readSent(first);
    std::vector<PgResult> results;
    results.reserve(statements.size());
    for (auto &[place, result] : answers.kept) {
        if (results.size() < at.size() && place == at[results.size()])
            results.push_back(std::move(result));
    }
    if (answers.error.isEmpty() && results.size() == statements.size())
        return results;
    for (std::size_t i = 0; i < at.size() && !answers.error.isEmpty(); ++i) {
        if (answers.failedAt >= (i == 0 ? first : at[i - 1] + 1) && answers.failedAt <= at[i])
            *failed = int(i);
    }
    noteFailure(answers, first);
    return std::nullopt;
}

bool PgConnection::sync()
{
    if (!refuseAfterFailedWrite())
        return false;
    if (m_sent == 0)
        return true;
    const SentAnswers answers = readSent(-1);
    if (answers.error.isEmpty())
        return true;
    m_error = u"a write sent without waiting for its answer failed: "_s + answers.error;
    m_failedWrite = m_error;
    return false;
}

void PgConnection::discardSent()
{
    if (m_sent > 0)
        readSent(-1);
    m_failedWrite.clear();
}

PgConnection::SentAnswers PgConnection::readSent(int keepFrom)
{
    SentAnswers answers;
    const auto note = [&answers](int statement, const QString &error,
                                 const char *sqlState = nullptr) {
        if (answers.error.isEmpty()) {
            answers.error = error.trimmed();
            answers.failedAt = statement;
            answers.sqlState = QByteArray(sqlState);
        }
    };
    if (PQpipelineSync(m_conn) != 1) {
        note(-1, QString::fromUtf8(PQerrorMessage(m_conn)));
    } else {
        // Each statement's answer ends with a null result, and the sync's own result ends
        // them all. A broken connection answers null for ever: that ends the loop too.
        for (int statement = 0;;) {
            PGresult *r = PQgetResult(m_conn);
            if (!r) {
                if (PQstatus(m_conn) != CONNECTION_OK || ++statement > m_sent) {
                    note(-1, QString::fromUtf8(PQerrorMessage(m_conn)));
                    note(-1, u"the connection lost the answers of its statements"_s);
                    break;
                }
                continue;
            }
            const ExecStatusType status = PQresultStatus(r);
            if (status == PGRES_PIPELINE_SYNC) {
                PQclear(r);
                break;
            }
            if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR)
                note(statement, QString::fromUtf8(PQresultErrorMessage(r)),
                     PQresultErrorField(r, PG_DIAG_SQLSTATE));
            if (keepFrom >= 0 && statement >= keepFrom)
                answers.kept.emplace_back(statement, PgResult(r));
            else
                PQclear(r);
        }
    }
    // A preparation at or after a failure may not have been made (-1: none is known to be).
    for (const Preparing &p : m_preparing) {
        if (!answers.error.isEmpty() && (answers.failedAt < 0 || p.at >= answers.failedAt))
            m_prepared.remove(p.text);
    }
    m_preparing.clear();
    // A prepared statement whose table changed shape since it was prepared (a newer schema
    // added a column to what it selects) fails with "cached plan must not change result type"
    // for as long as it lives: forgotten, it is prepared again at its next use.
    if (answers.sqlState == "0A000") {
        for (const Preparing &p : m_running) {
            if (p.at == answers.failedAt)
                m_prepared.remove(p.text);
        }
    }
    m_running.clear();
    m_sent = 0;
    m_callStart = 0;
    if (PQexitPipelineMode(m_conn) != 1)
        note(-1, QString::fromUtf8(PQerrorMessage(m_conn)));
    return answers;
}

QString PgConnection::user() const
{
    return m_conn ? QString::fromUtf8(PQuser(m_conn)) : QString();
}

void PgConnection::cancel()
{
    // PQcancel is the call libpq allows from another thread: it sends a cancel request over a
    // connection of its own.
    char message[256];
    if (m_cancel)
        PQcancel(m_cancel, message, int(sizeof message));
}

} // namespace Tasktrail
