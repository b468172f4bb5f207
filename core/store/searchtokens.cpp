#include "searchtokens.h"

#include <QCryptographicHash>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// FTS5's extension interface (https://sqlite.org/fts5.html, "Extending FTS5"), declared here
// because Debian's libsqlite3-dev ships no fts5.h. The layout is SQLite's stable ABI.
struct Fts5Tokenizer;
struct fts5_tokenizer
{
    int (*xCreate)(void *, const char **azArg, int nArg, Fts5Tokenizer **ppOut);
    void (*xDelete)(Fts5Tokenizer *);
    int (*xTokenize)(Fts5Tokenizer *, void *pCtx, int flags, const char *pText, int nText,
                     int (*xToken)(void *pCtx, int tflags, const char *pToken, int nToken,
                                   int iStart, int iEnd));
};
struct fts5_api
{
    int iVersion;
    int (*xCreateTokenizer)(fts5_api *, const char *, void *, fts5_tokenizer *, void (*)(void *));
    int (*xFindTokenizer)(fts5_api *, const char *zName, void **ppUserData, fts5_tokenizer *);
    void *xCreateFunction; // not used
};
constexpr int tokenizeQuery = 0x0001;
constexpr int tokenizePrefix = 0x0002;
constexpr int tokenizeDocument = 0x0004;

// FTS5 keeps at most this many bytes of a token (FTS5_MAX_TOKEN_SIZE).
constexpr int fts5MaxToken = 32768;
// PostgreSQL's limits of a tsvector (tsearch/ts_type.h): a lexeme's bytes (MAXSTRLEN), a
// position (MAXENTRYPOS - 1), positions per lexeme (MAXNUMPOS); and a margin under the bytes
// of all lexemes of one value (MAXSTRPOS, 1 MiB).
constexpr int pgMaxLexeme = 2046;
constexpr int pgMaxPosition = 16383;
constexpr int pgMaxPositions = 256;
constexpr qsizetype pgMaxLexemeBytes = 1000000;

// A token as both sides store and look it up: one too long for a tsvector becomes a digest
// of it ('#' never occurs in a token, so a digest never equals a word).
QByteArray lexeme(const char *token, int size)
{
    QByteArray out(token, qMin(size, fts5MaxToken));
    if (out.size() > pgMaxLexeme)
        out = '#' + QCryptographicHash::hash(out, QCryptographicHash::Sha256).toHex();
    return out;
}

void appendQuoted(QByteArray &out, const QByteArray &word)
{
    out += '\'';
    for (const char c : word) {
        if (c == '\'' || c == '\\')
            out += c;
        out += c;
    }
    out += '\'';
}

} // namespace

QList<SearchTerm> searchTerms(const QString &userText)
{
    // A double quote (with a `*` right after it), or a word (with a `*` right after it);
    // everything between them separates words.
    static const QRegularExpression pieces(u"(\")(\\*?)|([\\p{L}\\p{N}_]+)(\\*?)"_s);
    QList<SearchTerm> out;
    std::optional<SearchTerm> phrase; // after an opening quote
    const auto closePhrase = [&out, &phrase] {
        if (!phrase->words.isEmpty())
            out << *phrase;
        phrase.reset();
    };
    auto it = pieces.globalMatch(userText);
    while (it.hasNext()) {
        const QRegularExpressionMatch piece = it.next();
        if (piece.hasCaptured(1)) {
            if (!phrase) {
                phrase.emplace(); // a `*` after an opening quote is a separator
                continue;
            }
            if (piece.capturedLength(2) > 0 && !phrase->words.isEmpty())
                phrase->words.last().prefix = true;
            closePhrase();
            continue;
        }
        SearchWord word{piece.captured(3), piece.capturedLength(4) > 0};
        if (phrase)
            phrase->words << word;
        else
            out << SearchTerm{{word}};
    }
    if (phrase)
        closePhrase(); // a quote left open ends with the text
    return out;
}

struct SearchTokens::Tokenizer
{
    sqlite3 *db = nullptr;
    fts5_tokenizer api{};
    Fts5Tokenizer *instance = nullptr;

    ~Tokenizer()
    {
        if (instance)
            api.xDelete(instance);
        sqlite3_close(db);
    }
};

SearchTokens::SearchTokens()
    : m_tokenizer(std::make_unique<Tokenizer>())
{
    Tokenizer &t = *m_tokenizer;
    if (sqlite3_open_v2(":memory:", &t.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        m_error = u"cannot open SQLite for its search tokenizer"_s;
        return;
    }
    fts5_api *api = nullptr;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(t.db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    void *userData = nullptr;
    if (!api || api->iVersion < 2 ||
        api->xFindTokenizer(api, "unicode61", &userData, &t.api) != SQLITE_OK ||
        t.api.xCreate(userData, nullptr, 0, &t.instance) != SQLITE_OK) {
        t.instance = nullptr;
        m_error = u"SQLite's FTS5 tokenizer unicode61 is not available"_s;
    }
}

SearchTokens::~SearchTokens() = default;

bool SearchTokens::isValid() const
{
    return m_tokenizer->instance != nullptr;
}

QList<QByteArray> SearchTokens::tokens(QByteArrayView utf8) const
{
    QList<QByteArray> out;
    if (!isValid() || utf8.isEmpty() || utf8.size() > std::numeric_limits<int>::max())
        return out;
    const auto collect = [](void *context, int, const char *token, int size, int, int) {
        static_cast<QList<QByteArray> *>(context)->append(lexeme(token, size));
        return SQLITE_OK;
    };
    m_tokenizer->api.xTokenize(m_tokenizer->instance, &out, tokenizeDocument, utf8.data(),
                               int(utf8.size()), collect);
    return out;
}

QByteArray SearchTokens::tsvector(QByteArrayView utf8) const
{
    // Each distinct token once, with its positions (from 1).
    QList<QByteArray> order;
    QHash<QByteArray, QList<int>> positions;
    qsizetype bytes = 0;
    int position = 0;
    for (const QByteArray &token : tokens(utf8)) {
        position = qMin(position + 1, pgMaxPosition);
        auto it = positions.find(token);
        if (it == positions.end()) {
            if (bytes + token.size() > pgMaxLexemeBytes)
                continue;
            bytes += token.size();
            order << token;
            it = positions.insert(token, {});
        }
        if (it->size() < pgMaxPositions && (it->isEmpty() || it->constLast() != position))
            it->append(position);
    }
    // In PostgreSQL's own order (bytewise), so the literal is the column's text output too.
    std::sort(order.begin(), order.end());
    QByteArray out;
    for (const QByteArray &token : std::as_const(order)) {
        if (!out.isEmpty())
            out += ' ';
        appendQuoted(out, token);
        char separator = ':';
        for (const int at : positions.value(token)) {
            out += separator;
            out += QByteArray::number(at);
            separator = ',';
        }
    }
    return out;
}

QByteArray SearchTokens::tsquery(const QString &userText) const
{
    QByteArray out;
    if (!isValid())
        return out;
    const auto collect = [](void *context, int, const char *token, int size, int, int) {
        static_cast<QList<QByteArray> *>(context)->append(lexeme(token, size));
        return SQLITE_OK;
    };
    for (const SearchTerm &term : searchTerms(userText)) {
        // The term's tokens in order, a prefix word marking its last one.
        QList<QByteArray> tokens;
        QList<bool> prefixes;
        for (const SearchWord &word : term.words) {
            const QByteArray utf8 = word.text.toUtf8();
            QList<QByteArray> parts;
            m_tokenizer->api.xTokenize(m_tokenizer->instance, &parts,
                                       tokenizeQuery | (word.prefix ? tokenizePrefix : 0),
                                       utf8.constData(), int(utf8.size()), collect);
            tokens += parts;
            prefixes.insert(prefixes.size(), parts.size(), false);
            if (word.prefix && !parts.isEmpty())
                prefixes.last() = true;
        }
        if (tokens.isEmpty())
            continue; // FTS5 ignores a quoted string without tokens
        if (!out.isEmpty())
            out += " & ";
        if (tokens.size() > 1)
            out += '(';
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            if (i > 0)
                out += " <-> ";
            appendQuoted(out, tokens.at(i));
            if (prefixes.at(i))
                out += ":*";
        }
        if (tokens.size() > 1)
            out += ')';
    }
    return out;
}

} // namespace Tasktrail
