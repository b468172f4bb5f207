#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

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

    // `text` as a tsvector literal (`'other':2 'word':1,4`): every token at its positions,
    // written as PostgreSQL writes the column's value back (words in byte order).
    // PostgreSQL's limits: positions above 16383 count as 16383, at most 256 positions are
    // kept per word, a word is at most 2046 bytes (a longer one is kept as a digest, which the
    // query side uses too) and the distinct words of one text at most ~1 MB (the rest of a
    // larger text is not indexed).
    QByteArray tsvector(QByteArrayView utf8) const;

    // The tsquery of what a person typed (searchTerms()): every term must occur (`&`); a
    // phrase, and a word FTS5 splits further (`foo_bar`), is its tokens joined by `<->`, and
    // a prefix word's last token is `'tok':*`. A word without tokens is left out, as FTS5
    // leaves out a quoted string without tokens. Empty when nothing typed has a token: such a
    // query finds nothing, on SQLite too.
    QByteArray tsquery(const QString &userText) const;

private:
    struct Tokenizer;
    std::unique_ptr<Tokenizer> m_tokenizer;
    QString m_error;
};

} // namespace Tasktrail
