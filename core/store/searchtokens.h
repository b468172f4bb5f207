#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

struct sqlite3;

namespace Tasktrail {

// What a person typed into search, read as a list of terms that must all occur (AND):
//  - a word: a run of letters, digits and underscores;
//  - a phrase: the words between double quotes, adjacent and in that order; a quote left open
//    is read as closed at the end of the text;
//  - a prefix: a word directly followed by `*` (`deprec*`) matches every word it starts; in a
//    phrase too (`"npm ci*"`), and `*` right after a closing quote makes the phrase's last
//    word one.
// Nothing else typed is syntax: other punctuation (`-`, `:`, `^`, parentheses, a lone `*`)
// separates words, and AND, OR, NOT and NEAR are words. Both backends build their query from
// these terms (SqliteStore::ftsQuery, SearchTokens::tsquery), so they find the same rows.
struct SearchWord
{
    QString text;
    bool prefix = false;

    bool operator==(const SearchWord &) const = default;
};
struct SearchTerm
{
    QList<SearchWord> words; // one for a word typed alone; adjacent and in order for a phrase

    bool operator==(const SearchTerm &) const = default;
};
QList<SearchTerm> searchTerms(const QString &userText);

// The words of a text as SQLite's search index (FTS5, tokenizer unicode61) splits them, for
// the PostgreSQL store: its `search` columns hold exactly these tokens, and its queries look
// them up the same way, so both backends find the same rows for the same query.
// PostgreSQL's own parser splits differently (it keeps `api.github.com`, `/usr/bin/env` and
// `a-b` whole, folds case by the database's locale and keeps accents); the tokenizer used here
// is SQLite's, reached through its fts5_api on a private in-memory connection.
class SearchTokens
{
public:
    SearchTokens();
    ~SearchTokens();
    SearchTokens(const SearchTokens &) = delete;
    SearchTokens &operator=(const SearchTokens &) = delete;

    // False with errorString() when SQLite's FTS5 tokenizer is not available.
    bool isValid() const;
    QString errorString() const { return m_error; }

    // The tokens of a UTF-8 text, folded as FTS5 folds them (lower case, Latin accents
    // removed), in order.
    QList<QByteArray> tokens(QByteArrayView utf8) const;
    // The same, as FTS5 keeps them (no digest of a long token): what an SQLite index holds.
    QList<QByteArray> fts5Tokens(QByteArrayView utf8) const;
    // Each of those in turn, without a copy (valid during the call), until `visit` returns false.
    void visitFts5Tokens(QByteArrayView utf8,
                         const std::function<bool(QByteArrayView token)> &visit) const;

    // `text` as a tsvector literal (`'other':2 'word':1,4`): every token at its positions,
    // written as PostgreSQL writes the column's value back (words in byte order).
    // PostgreSQL's limits: positions above 16383 count as 16383, at most 256 positions are
    // kept per word, a word is at most 2046 bytes (a longer one is kept as a digest, which the
    // query side uses too) and the distinct words of one text at most ~1 MB (the rest of a
    // larger text is not indexed).
    QByteArray tsvector(QByteArrayView utf8) const;

    // The tsquery of what a person typed (searchTerms()): every term must occur (`&`); a
    // phrase, and a word FTS5 splits further (`foo_bar`), is its tokens joined by `<->`, and
    // a prefix token (termTokens()) is `'tok':*`. A word without tokens is left out, as FTS5
    // leaves out a quoted string without tokens. Empty when nothing typed has a token: such a
    // query finds nothing, on SQLite too.
    QByteArray tsquery(const QString &userText) const;

    // A term's tokens as FTS5 reads them from a query (as fts5Tokens()), in order: a word FTS5
    // splits (`foo_bar`) gives several. As in FTS5, each word sets whether the last token so
    // far is a prefix, a word without tokens too: `"npm ___*"` ends in `npm*`, `"npm* _ ci"`
    // has an exact `npm`.
    struct QueryToken
    {
        QByteArray text; // folded, at most FTS5's 32768 bytes
        bool prefix = false;
        QByteArray source; // the typed text it comes from (UTF-8), whole

        bool operator==(const QueryToken &) const = default;
    };
    QList<QueryToken> termTokens(const SearchTerm &term) const;

private:
    struct Tokenizer;
    std::unique_ptr<Tokenizer> m_tokenizer;
    QString m_error;
};

// FTS5's `detail` of the full-text table `fts` of the main schema, as its CREATE statement
// gives it: "full" (FTS5's default, with positions, which phrase queries need), "column" or
// "none".
QByteArray fts5Detail(sqlite3 *db, const char *fts);

// The words of the FTS5 index `fts` (a table of the main schema) that `prefix` starts, as the
// index holds them, read in its order through an fts5vocab table in the temp schema (which a
// read-only connection makes too). Nothing when there are more than 16, when one is too long
// to quote back whole (FTS5 cuts a word at 32768 bytes), or on an error.
std::optional<QList<QByteArray>> fts5WordsStarting(sqlite3 *db, const char *fts,
                                                   const QByteArray &prefix);

// A search of an FTS5 index that keeps no positions (`detail=none`, as log_fts): such an
// index knows which rows hold a token, not where, and refuses phrases. The index is asked for
// the rows that hold every token of every term; a term of more than one token (a phrase, or
// a word FTS5 splits) is then checked on each row's text: its tokens adjacent and in order,
// as an index with positions matches them. The rows found are the ones `ftsQuery` finds on
// an index with positions (SqliteStore::searchLogs).
class TokenSearch
{
public:
    // `tokens` must outlive this search.
    TokenSearch(const QList<SearchTerm> &terms, const SearchTokens &tokens);

    // The FTS5 query for the index: every token as a string of its own (a prefix token with
    // `*`), all of which must occur. Empty when nothing typed has a token: nothing matches.
    QString ftsQuery() const { return ftsQuery({}); }
    // The words of the index a prefix starts (folded, as the index holds them), when they are
    // few; nothing to leave the prefix to FTS5.
    using PrefixWords = std::function<std::optional<QList<QByteArray>>(const QByteArray &prefix)>;
    // The same query with each prefix token the OR of the words `words` gives for it. On an
    // index without positions FTS5 gathers every line of a prefix's words before it returns
    // the first; an OR of a few words it reads newest first, as one word. Empty also when a
    // prefix starts no word: nothing matches.
    QString ftsQuery(const PrefixWords &words) const;
    // The same query with the prefix words of the FTS5 index `fts` (fts5WordsStarting).
    QString ftsQuery(sqlite3 *db, const char *fts) const;
    // Whether rows the index finds must be checked with matches().
    bool checksText() const { return !m_phrases.isEmpty(); }
    // Whether every term of more than one token occurs in the text (UTF-8).
    bool matches(QByteArrayView utf8) const;

private:
    const SearchTokens &m_tokens;
    QList<SearchTokens::QueryToken> m_queryTokens; // of every term, in order
    QList<QList<SearchTokens::QueryToken>> m_phrases;
};

} // namespace Tasktrail
