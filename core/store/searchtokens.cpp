#include "searchtokens.h"

#include <QCryptographicHash>
#include <QHash>
#include <QRegularExpression>
#include <QVarLengthArray>

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

// A token as FTS5 keeps it.
QByteArray fts5Token(const char *token, int size)
{
    return QByteArray(token, qMin(size, fts5MaxToken));
}

// A token as both PostgreSQL sides store and look it up: one too long for a tsvector becomes
// a digest of it ('#' never occurs in a token, so a digest never equals a word).
QByteArray lexeme(QByteArray token)
{
    if (token.size() > pgMaxLexeme)
        token = '#' + QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex();
    return token;
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
    QList<QByteArray> out = fts5Tokens(utf8);
    for (QByteArray &token : out)
        token = lexeme(std::move(token));
    return out;
}

QList<QByteArray> SearchTokens::fts5Tokens(QByteArrayView utf8) const
{
    QList<QByteArray> out;
    visitFts5Tokens(utf8, [&out](QByteArrayView token) {
        out.append(token.toByteArray());
        return true;
    });
    return out;
}

void SearchTokens::visitFts5Tokens(QByteArrayView utf8,
                                   const std::function<bool(QByteArrayView)> &visit) const
{
    if (!isValid() || utf8.isEmpty() || utf8.size() > std::numeric_limits<int>::max())
        return;
    const auto call = [](void *context, int, const char *token, int size, int, int) {
        const auto &visitor = *static_cast<const std::function<bool(QByteArrayView)> *>(context);
        // Any other result than SQLITE_OK ends the tokenizing.
        return visitor(QByteArrayView(token, qMin(size, fts5MaxToken))) ? SQLITE_OK : SQLITE_DONE;
    };
    m_tokenizer->api.xTokenize(m_tokenizer->instance,
                               const_cast<std::function<bool(QByteArrayView)> *>(&visit),
                               tokenizeDocument, utf8.data(), int(utf8.size()), call);
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

QList<SearchTokens::QueryToken> SearchTokens::termTokens(const SearchTerm &term) const
{
    QList<QueryToken> out;
    if (!isValid())
        return out;
    struct Context
    {
        QList<QueryToken> *out;
        const QByteArray *utf8;
    };
    const auto collect = [](void *context, int, const char *token, int size, int start, int end) {
        const auto *c = static_cast<Context *>(context);
        c->out->append({fts5Token(token, size), false, c->utf8->sliced(start, end - start)});
        return SQLITE_OK;
    };
    for (const SearchWord &word : term.words) {
        const QByteArray utf8 = word.text.toUtf8();
        Context context{&out, &utf8};
        m_tokenizer->api.xTokenize(m_tokenizer->instance, &context,
                                   tokenizeQuery | (word.prefix ? tokenizePrefix : 0),
                                   utf8.constData(), int(utf8.size()), collect);
        // As FTS5 reads `"a" * + "b"`: each string of a phrase sets whether the phrase's last
        // token so far is a prefix, also when it has no token of its own (`"npm ___*"` is
        // `npm*`, `"npm* _ ci"` is an exact `npm`).
        if (!out.isEmpty())
            out.last().prefix = word.prefix;
    }
    return out;
}

QByteArray SearchTokens::tsquery(const QString &userText) const
{
    QByteArray out;
    for (const SearchTerm &term : searchTerms(userText)) {
        const QList<QueryToken> tokens = termTokens(term);
        if (tokens.isEmpty())
            continue; // FTS5 ignores a quoted string without tokens
        if (!out.isEmpty())
            out += " & ";
        if (tokens.size() > 1)
            out += '(';
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            if (i > 0)
                out += " <-> ";
            appendQuoted(out, lexeme(tokens.at(i).text));
            if (tokens.at(i).prefix)
                out += ":*";
        }
        if (tokens.size() > 1)
            out += ')';
    }
    return out;
}

QByteArray fts5Detail(sqlite3 *db, const char *fts)
{
    static const QRegularExpression option(uR"(\bdetail\s*=\s*['"]?(full|column|none)\b)"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    sqlite3_stmt *stmt = nullptr;
    QString sql;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                           -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, fts, -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) == SQLITE_ROW)
            sql = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    const QRegularExpressionMatch detail = option.match(sql);
    return detail.hasMatch() ? detail.captured(1).toLower().toLatin1() : QByteArrayLiteral("full");
}

std::optional<QList<QByteArray>> fts5WordsStarting(sqlite3 *db, const char *fts,
                                                   const QByteArray &prefix)
{
    constexpr qsizetype wordsMax = 16;
    constexpr qsizetype quotableWord = 1024;
    const QByteArray vocab = "temp." + QByteArray(fts) + "_words";
    const QByteArray create = "CREATE VIRTUAL TABLE IF NOT EXISTS " + vocab +
                              " USING fts5vocab(main, " + QByteArray(fts) + ", row)";
    if (sqlite3_exec(db, create.constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return std::nullopt;
    const QByteArray select = "SELECT term FROM " + vocab + " WHERE term >= ?";
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, select.constData(), -1, &stmt, nullptr) != SQLITE_OK)
        return std::nullopt;
    sqlite3_bind_text(stmt, 1, prefix.constData(), int(prefix.size()), SQLITE_STATIC);
    QList<QByteArray> out;
    bool few = true;
    int result = SQLITE_DONE;
    while (few && (result = sqlite3_step(stmt)) == SQLITE_ROW) {
        const QByteArrayView word(static_cast<const char *>(sqlite3_column_blob(stmt, 0)),
                                  sqlite3_column_bytes(stmt, 0));
        if (!word.startsWith(prefix))
            break;
        few = out.size() < wordsMax && word.size() <= quotableWord;
        if (few)
            out << word.toByteArray();
    }
    sqlite3_finalize(stmt);
    if (few && (result == SQLITE_ROW || result == SQLITE_DONE))
        return out;
    return std::nullopt;
}

TokenSearch::TokenSearch(const QList<SearchTerm> &terms, const SearchTokens &tokens)
    : m_tokens(tokens)
{
    for (const SearchTerm &term : terms) {
        const QList<SearchTokens::QueryToken> termTokens = tokens.termTokens(term);
        m_queryTokens += termTokens;
        if (termTokens.size() > 1)
            m_phrases << termTokens;
    }
}

QString TokenSearch::ftsQuery(const PrefixWords &words) const
{
    // A token holds no '"' (the tokenizer splits at punctuation); doubled all the same.
    const auto quoted = [](const QByteArray &utf8) {
        return QString(u'"' % QString::fromUtf8(utf8).replace(u'"', u"\"\""_s) % u'"');
    };
    QStringList query;
    for (const SearchTokens::QueryToken &token : m_queryTokens) {
        if (token.prefix && words) {
            if (const std::optional<QList<QByteArray>> started = words(token.text)) {
                if (started->isEmpty())
                    return {};
                QStringList any;
                for (const QByteArray &word : *started)
                    any << quoted(word);
                query << u'(' % any.join(u" OR "_s) % u')';
                continue;
            }
        }
        // The token as typed, which FTS5 folds and cuts as it did the indexed one.
        query << (token.prefix ? quoted(token.source) + u" *"_s : quoted(token.source));
    }
    // FTS5 joins a parenthesized group to a string with AND only, not with a space.
    return query.join(u" AND "_s);
}

QString TokenSearch::ftsQuery(sqlite3 *db, const char *fts) const
{
    return ftsQuery(
        [db, fts](const QByteArray &prefix) { return fts5WordsStarting(db, fts, prefix); });
}

bool TokenSearch::matches(QByteArrayView utf8) const
{
    if (m_phrases.isEmpty())
        return true;
    // Read token by token, without keeping them: ends[p][k] says that the last k tokens read
    // are phrase p's first k (ends[p][0] always). A phrase is found when its whole length is.
    QVarLengthArray<QVarLengthArray<bool, 8>, 4> ends(m_phrases.size());
    for (qsizetype p = 0; p < m_phrases.size(); ++p) {
        ends[p].resize(m_phrases.at(p).size() + 1);
        std::fill(ends[p].begin(), ends[p].end(), false);
        ends[p][0] = true;
    }
    QVarLengthArray<bool, 4> found(m_phrases.size());
    std::fill(found.begin(), found.end(), false);
    qsizetype left = m_phrases.size();
    m_tokens.visitFts5Tokens(utf8, [&](QByteArrayView token) {
        for (qsizetype p = 0; p < m_phrases.size(); ++p) {
            if (found[p])
                continue;
            const QList<SearchTokens::QueryToken> &phrase = m_phrases.at(p);
            QVarLengthArray<bool, 8> &end = ends[p];
            for (qsizetype k = phrase.size() - 1; k >= 0; --k) {
                const SearchTokens::QueryToken &want = phrase.at(k);
                end[k + 1] = end[k] && (want.prefix ? token.startsWith(want.text)
                                                    : token == QByteArrayView(want.text));
            }
            if (end[phrase.size()]) {
                found[p] = true;
                --left;
            }
        }
        return left > 0;
    });
    return left == 0;
}

} // namespace Tasktrail
