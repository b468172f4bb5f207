// TaskQueries::search on both backends: the same records and log lines give the same hits, in
// the same order, for every query a person may type (store/searchtokens.h), including text
// PostgreSQL's own parser would split differently from SQLite's FTS5 index.
#include "backends.h"
#include "clirun.h"

#include "store/evidencehash.h"
#include "store/recordstore.h"
#include "store/searchtokens.h"

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// The log lines of task T-1's command 1, line n at index n - 1.
const QList<QByteArray> &logLines()
{
    static const QList<QByteArray> lines = {
        "connecting to api.github.com:443",                 // 1: a host name
        "/usr/bin/env python3 setup.py install",            // 2: a path
        "pre-commit hook failed",                           // 3: a hyphenated word
        "Café naïve ÉCOLE",                                 // 4: case and accents
        "foo_bar baz",                                      // 5: an underscore
        "bar foo",                                          // 6
        "version 1.2.3 released",                           // 7: a version number
        "mail alice@example.com about it",                  // 8: an e-mail address
        "don't stop the updating dependencies step",        // 9
        QByteArray(3000, 'a') + " long",                    // 10: a word longer than a lexeme
        "it's 'quoted' and back\\slashed",                  // 11: tsvector syntax in the text
        "x\xC2\xB2y \xE2\x85\xA7 \xE4\xB8\xAD\xE6\x96\x87", // 12: x²y, Ⅷ and CJK
    };
    return lines;
}

constexpr qint64 fillerLines = 10100;

// Many words before the ones searched for: past PostgreSQL's last position (16383).
QByteArray longLine()
{
    QByteArray line;
    for (int i = 0; i < 17000; ++i)
        line += "w" + QByteArray::number(i) + ' ';
    return line + "needle haystack";
}

bool writeFixture(RecordStore &store)
{
    const auto seen = [&store](const QByteArray &what) {
        bool isNew = false;
        return store.markRecordSeen(Sha256::of(what), &isNew);
    };
    RequestRecord request;
    request.id = u"R-1"_s;
    request.text = u"rotate the deploy key"_s;
    TaskRecord task;
    task.id = u"T-1"_s;
    task.repo = u"acme/web"_s;
    task.requestId = request.id;
    task.prompt = u"update dependencies"_s;
    CommandRecord command;
    command.seq = 1;
    command.argv = {u"npm"_s, u"test"_s};
    task.commands << command;
    CommandRecord second;
    second.seq = 2;
    second.argv = {u"make"_s};
    task.commands << second;
    PullRequestRecord pr;
    pr.repo = u"acme/web"_s;
    pr.number = 7;
    pr.title = u"Update dependencies of the web app"_s;
    if (!store.beginBatch() || !seen("R-1") || !store.writeRequest(request) || !seen("T-1") ||
        !store.writeTask(task) || !seen("pr 7") || !store.writePullRequest(pr))
        return false;
    const auto append = [&store](int seq, qint64 lineNo, const QByteArray &text) {
        const std::optional<qint64> key = store.commandKey(u"T-1"_s, seq);
        bool inserted = false;
        return key && store.appendLogLine(*key, LogLine{lineNo, 0, text, {}}, &inserted);
    };
    for (qsizetype i = 0; i < logLines().size(); ++i) {
        if (!append(1, i + 1, logLines().at(i)))
            return false;
    }
    if (!seen("log") || !append(2, 1, longLine()))
        return false;
    // More lines after it than PgStore's first, bounded look at the newest lines reads.
    for (qint64 lineNo = 2; lineNo <= fillerLines + 1; ++lineNo) {
        if (!append(2, lineNo, "filler n" + QByteArray::number(lineNo)))
            return false;
    }
    return store.commitBatch();
}

// A hit as the test compares it: "log T-1 1:5" or "record task T-1".
QString describe(const SearchHit &hit)
{
    if (hit.kind == SearchHit::Kind::LogLine)
        return u"log %1 %2:%3"_s.arg(hit.taskId).arg(hit.commandSeq).arg(hit.lineNo);
    return u"record %1 %2"_s.arg(hit.recordKind, hit.recordRef);
}

} // namespace

class TestStoreSearch : public QObject
{
    Q_OBJECT

private:
    Backends::Fixture m_db;
    QHash<QString, std::shared_ptr<RecordStore>> m_stores; // one per backend
    QHash<QString, QString> m_locations;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
            m_locations.insert(backend, m_db.fresh(backend));
            std::shared_ptr<RecordStore> store = openStore(m_locations.value(backend), &error);
            QVERIFY2(store, qPrintable(error));
            QVERIFY2(writeFixture(*store), qPrintable(store->errorString()));
            m_stores.insert(backend, store);
        }
    }

    void sameHitsOnBothBackends_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QStringList>("hits");
        const QList<std::tuple<const char *, QString, int, QStringList>> cases = {
            {"a word inside a host name", u"github"_s, 10, {u"log T-1 1:1"_s}},
            {"a host name is its words", u"api.github.com"_s, 10, {u"log T-1 1:1"_s}},
            {"a word of a path", u"env"_s, 10, {u"log T-1 1:2"_s}},
            {"a hyphenated word's part", u"commit"_s, 10, {u"log T-1 1:3"_s}},
            {"a hyphenated word", u"pre-commit"_s, 10, {u"log T-1 1:3"_s}},
            {"accents and case fold", u"cafe ecole"_s, 10, {u"log T-1 1:4"_s}},
            {"accents typed", u"École NAÏVE"_s, 10, {u"log T-1 1:4"_s}},
            {"an underscore word is a phrase", u"foo_bar"_s, 10, {u"log T-1 1:5"_s}},
            {"the phrase in its order only", u"bar_foo"_s, 10, {u"log T-1 1:6"_s}},
            {"words in any order", u"foo bar"_s, 10, {u"log T-1 1:6"_s, u"log T-1 1:5"_s}},
            {"a version's numbers", u"1.2.3"_s, 10, {u"log T-1 1:7"_s}},
            {"one number of a version", u"2"_s, 10, {u"log T-1 1:7"_s}},
            {"a word of an e-mail address", u"alice"_s, 10, {u"log T-1 1:8"_s}},
            {"an apostrophe separates", u"don't"_s, 10, {u"log T-1 1:9"_s}},
            {"a phrase", u"\"updating dependencies\""_s, 10, {u"log T-1 1:9"_s}},
            {"a phrase of many words", u"\"Don't STOP the updating\""_s, 10, {u"log T-1 1:9"_s}},
            {"a phrase whose words appear apart", u"\"released version\""_s, 10, {}},
            {"a phrase's words in another order", u"\"dependencies updating\""_s, 10, {}},
            {"a phrase and a word", u"step \"updating dependencies\""_s, 10, {u"log T-1 1:9"_s}},
            {"a phrase across a host name's dots", u"\"api github\""_s, 10, {u"log T-1 1:1"_s}},
            {"a phrase with a record", u"\"deploy key\""_s, 10, {u"record request R-1"_s}},
            {"a phrase among many words, before 10,100 newer lines",
             u"\"w5 w6\""_s,
             10,
             {u"log T-1 2:1"_s}},
            {"a prefix", u"relea*"_s, 10, {u"log T-1 1:7"_s}},
            {"a prefix is whole words' starts", u"leased*"_s, 10, {}},
            {"a prefix of many words",
             u"depend*"_s,
             10,
             {u"record pull_request acme/web#7"_s, u"record task T-1"_s, u"log T-1 1:9"_s}},
            {"a prefix matches the folded word", u"CAF*"_s, 10, {u"log T-1 1:4"_s}},
            {"a prefix typed with an accent", u"écol*"_s, 10, {u"log T-1 1:4"_s}},
            {"a whole word as a prefix", u"released*"_s, 10, {u"log T-1 1:7"_s}},
            {"a prefix of a word with an underscore", u"foo_b*"_s, 10, {u"log T-1 1:5"_s}},
            {"a prefix of a word's first part", u"fo*"_s, 10, {u"log T-1 1:6"_s, u"log T-1 1:5"_s}},
            {"a prefix ending a phrase", u"\"updating dep*\""_s, 10, {u"log T-1 1:9"_s}},
            {"a prefix after a phrase's quote", u"\"stop the up\"*"_s, 10, {u"log T-1 1:9"_s}},
            {"a prefix inside a phrase", u"\"the upd* dependencies\""_s, 10, {u"log T-1 1:9"_s}},
            {"a prefix set by a word without tokens",
             u"\"version 1 2 3 relea ___*\""_s,
             10,
             {u"log T-1 1:7"_s}},
            {"a prefix undone by a word without tokens", u"\"upd* _ dependencies\""_s, 10, {}},
            {"a prefix and a word", u"python3 inst*"_s, 10, {u"log T-1 1:2"_s}},
            {"a prefix nowhere", u"frobn*"_s, 10, {}},
            {"an empty prefix alone", u"*"_s, 10, {}},
            {"an empty prefix with a word", u"* github"_s, 10, {u"log T-1 1:1"_s}},
            {"a star before a word is not a prefix", u"*relea"_s, 10, {}},
            {"an unbalanced quote closes at the end",
             u"\"updating dependencies"_s,
             10,
             {u"log T-1 1:9"_s}},
            {"an unbalanced quote keeps the order", u"step \"dependencies updating"_s, 10, {}},
            {"an empty phrase", u"\"\" github"_s, 10, {u"log T-1 1:1"_s}},
            {"only quotes", u"\"\"\""_s, 10, {}},
            {"FTS5 operators are words", u"github OR api"_s, 10, {}},
            {"FTS5 syntax typed", u"NEAR(github api) ^api text:github"_s, 10, {}},
            {"a column filter typed is words", u"-text:github"_s, 10, {}},
            {"records first, newest first, then lines",
             u"dependencies"_s,
             10,
             {u"record pull_request acme/web#7"_s, u"record task T-1"_s, u"log T-1 1:9"_s}},
            {"the limit counts records first",
             u"dependencies"_s,
             2,
             {u"record pull_request acme/web#7"_s, u"record task T-1"_s}},
            {"a request's text", u"deploy"_s, 10, {u"record request R-1"_s}},
            {"every word must occur", u"deploy dependencies"_s, 10, {}},
            {"a word longer than a tsvector lexeme", QString(3000, u'A'), 10, {u"log T-1 1:10"_s}},
            {"a prefix of a long word is not it", QString(2999, u'a'), 10, {}},
            {"quote and backslash in the text",
             u"it's quoted back slashed"_s,
             10,
             {u"log T-1 1:11"_s}},
            {"a superscript digit is a letter of its word", u"x²y"_s, 10, {u"log T-1 1:12"_s}},
            {"CJK text is one word", u"中文"_s, 10, {u"log T-1 1:12"_s}},
            {"a word past the 16383rd, before 10,100 newer lines",
             u"haystack"_s,
             10,
             {u"log T-1 2:1"_s}},
            {"a page among the newest lines",
             u"filler"_s,
             3,
             {u"log T-1 2:10101"_s, u"log T-1 2:10100"_s, u"log T-1 2:10099"_s}},
            {"a page of the newest among fewer", u"foo bar"_s, 1, {u"log T-1 1:6"_s}},
            {"no word at all", u"*** --"_s, 10, {}},
            {"only an underscore", u"_"_s, 10, {}},
            {"a word nowhere", u"frobnicate"_s, 10, {}},
            {"limit 0", u"github"_s, 0, {}},
        };
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
            for (const auto &[name, query, limit, hits] : cases)
                QTest::addRow("%s: %s", qPrintable(backend), name)
                    << backend << query << limit << hits;
        }
    }

    void sameHitsOnBothBackends()
    {
        QFETCH(QString, backend);
        QFETCH(QString, query);
        QFETCH(int, limit);
        QFETCH(QStringList, hits);
        RecordStore &store = *m_stores.value(backend);
        QStringList found;
        for (const SearchHit &hit : store.search(query, limit))
            found << describe(hit);
        QCOMPARE(found, hits);
        QVERIFY2(!store.errorString().contains(u"statement failed"_s),
                 qPrintable(store.errorString()));
    }

    // `tasktrail-cli search` prints the same on both backends.
    void cliPrintsTheSame_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("records and a line") << u"dependencies"_s;
        QTest::newRow("host name") << u"github"_s;
        QTest::newRow("phrase word") << u"foo_bar"_s;
        QTest::newRow("many lines") << u"filler"_s;
        QTest::newRow("prefix") << u"depend*"_s;
        QTest::newRow("phrase") << u"\"updating dependencies\""_s;
        QTest::newRow("unbalanced quote and prefix") << u"\"stop the upd*"_s;
    }
    void cliPrintsTheSame()
    {
        QFETCH(QString, query);
        using Tasktrail::CliRun::cli;
        const auto search = [&](const QString &backend) {
            return cli(
                {u"search"_s, u"--db"_s, m_locations.value(backend), u"--limit"_s, u"20"_s, query});
        };
        const auto sqlite = search(u"sqlite"_s);
        const auto postgresql = search(u"postgresql"_s);
        QVERIFY2(sqlite.exitCode == 0, qPrintable(sqlite.err));
        QVERIFY2(postgresql.exitCode == 0, qPrintable(postgresql.err));
        QVERIFY(sqlite.out.contains(u"T-1"_s));
        QCOMPARE(postgresql.out, sqlite.out);
    }

    // A hit carries the same task, command, line and text on both backends.
    void hitsCarryTheirLine_data() { Backends::addBackendRows(); }
    void hitsCarryTheirLine()
    {
        QFETCH(QString, backend);
        const QList<SearchHit> hits = m_stores.value(backend)->search(u"dependencies"_s, 10);
        QCOMPARE(hits.size(), 3);
        QCOMPARE(hits.at(0).text, u"pull_request acme/web#7: Update dependencies of the web app"_s);
        QCOMPARE(hits.at(0).taskId, QString());
        QCOMPARE(hits.at(1).text, u"task T-1: update dependencies"_s);
        QCOMPARE(hits.at(1).taskId, u"T-1"_s);
        QCOMPARE(hits.at(2).text, u"don't stop the updating dependencies step"_s);
        QCOMPARE(hits.at(2).taskId, u"T-1"_s);
        QCOMPARE(hits.at(2).commandSeq, 1);
        QCOMPARE(hits.at(2).lineNo, 9);
    }

    // What is searched is what the search column holds: rewriting a record's text moves its
    // hit to the new words on both backends.
    void rewrittenTextIsSearchedAnew_data() { Backends::addBackendRows(); }
    void rewrittenTextIsSearchedAnew()
    {
        QFETCH(QString, backend);
        QString error;
        const auto store = openStore(m_db.fresh(backend), &error);
        QVERIFY2(store, qPrintable(error));
        RequestRecord request;
        request.id = u"R-9"_s;
        request.text = u"first wording"_s;
        bool isNew = false;
        QVERIFY(store->beginBatch());
        QVERIFY(store->markRecordSeen(Sha256::of("a"), &isNew));
        QVERIFY(store->writeRequest(request));
        QVERIFY(store->commitBatch());
        QCOMPARE(store->search(u"wording"_s, 10).size(), 1);
        request.text = u"second phrasing"_s;
        QVERIFY(store->beginBatch());
        QVERIFY(store->markRecordSeen(Sha256::of("b"), &isNew));
        QVERIFY(store->writeRequest(request));
        QVERIFY(store->commitBatch());
        QCOMPARE(store->search(u"wording"_s, 10).size(), 0);
        QCOMPARE(store->search(u"phrasing"_s, 10).size(), 1);
    }

    // The tokens are SQLite's: PostgreSQL's parser would keep these whole.
    void tokensAreFts5s_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArrayList>("tokens");
        QTest::newRow("host") << QByteArray("api.github.com")
                              << QByteArrayList{"api", "github", "com"};
        QTest::newRow("path") << QByteArray("/usr/bin/env") << QByteArrayList{"usr", "bin", "env"};
        QTest::newRow("folded") << QByteArray("Café ÉCOLE") << QByteArrayList{"cafe", "ecole"};
        QTest::newRow("underscore") << QByteArray("foo_bar") << QByteArrayList{"foo", "bar"};
        QTest::newRow("nothing") << QByteArray(" -- ") << QByteArrayList{};
    }
    void tokensAreFts5s()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArrayList, tokens);
        const SearchTokens splitter;
        QVERIFY2(splitter.isValid(), qPrintable(splitter.errorString()));
        QCOMPARE(splitter.tokens(text), tokens);
    }

    // The one reading of what a person typed, for both backends.
    void termsAreRead_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("terms"); // terms by " & ", a phrase's words by " ", `*`
        QTest::newRow("words") << u"npm  ci"_s << u"npm & ci"_s;
        QTest::newRow("phrase") << u"\"npm ci\" test"_s << u"npm ci & test"_s;
        QTest::newRow("prefix") << u"deprec* x*y"_s << u"deprec* & x* & y"_s;
        QTest::newRow("prefix in a phrase") << u"\"a* b*\""_s << u"a* b*"_s;
        QTest::newRow("star after the quote") << u"\"a b\"* c"_s << u"a b* & c"_s;
        QTest::newRow("star after an opening quote") << u"\"*a b\""_s << u"a b"_s;
        QTest::newRow("unbalanced quote") << u"x \"a b"_s << u"x & a b"_s;
        QTest::newRow("empty phrase") << u"\"\" \" \"* x"_s << u"x"_s;
        QTest::newRow("lone stars") << u"* ** \"*\""_s << QString();
        QTest::newRow("underscore word") << u"foo_b*"_s << u"foo_b*"_s;
        QTest::newRow("operators are words")
            << u"NEAR(a b) OR c:d ^e -f"_s << u"NEAR & a & b & OR & c & d & e & f"_s;
        QTest::newRow("star separates") << u"a*b"_s << u"a* & b"_s;
    }
    void termsAreRead()
    {
        QFETCH(QString, text);
        QFETCH(QString, terms);
        QStringList read;
        for (const SearchTerm &term : searchTerms(text)) {
            QStringList words;
            for (const SearchWord &word : term.words)
                words << word.text + (word.prefix ? u"*"_s : QString());
            read << words.join(u' ');
        }
        QCOMPARE(read.join(u" & "_s), terms);
    }

    void queriesAreQuotedLexemes()
    {
        const SearchTokens splitter;
        QCOMPARE(splitter.tsquery(u"foo_bar Baz \"x\" y*"_s),
                 QByteArray("('foo' <-> 'bar') & 'baz' & 'x' & 'y':*"));
        QCOMPARE(splitter.tsquery(u"\"Npm CI\" foo_b* \"a _ b*\" _*"_s),
                 QByteArray("('npm' <-> 'ci') & ('foo' <-> 'b':*) & ('a' <-> 'b':*)"));
        QCOMPARE(splitter.tsvector("it's it"), QByteArray("'it':1,3 's':2"));
        QCOMPARE(splitter.tsquery(u"_ -"_s), QByteArray());
    }

    // For an index without positions: every token alone in the query, and the phrases (terms
    // of more than one token) checked on the text, adjacent and in order.
    void tokenSearchChecksPhrasesOnText_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("ftsQuery");
        QTest::addColumn<bool>("checksText");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("matches");
        const QString npm = u"\"npm ci*\" Test"_s;
        const QString npmQuery = u"\"npm\" AND \"ci\" * AND \"Test\""_s; // the words as typed
        const QString split = u"foo_b*"_s;
        const QString splitQuery = u"\"foo\" AND \"b\" *"_s;
        QTest::newRow("the phrase")
            << npm << npmQuery << true << QByteArray("test: NPM cI") << true;
        QTest::newRow("the prefix")
            << npm << npmQuery << true << QByteArray("npm cinnamon") << true;
        QTest::newRow("apart") << npm << npmQuery << true << QByteArray("npm run ci") << false;
        QTest::newRow("the other order")
            << npm << npmQuery << true << QByteArray("ci npm") << false;
        QTest::newRow("a split word")
            << split << splitQuery << true << QByteArray("x.foo-bar") << true;
        QTest::newRow("a split word apart")
            << split << splitQuery << true << QByteArray("bar foo") << false;
        QTest::newRow("overlapping starts") << u"\"a a b\""_s << u"\"a\" AND \"a\" AND \"b\""_s
                                            << true << QByteArray("a a a b") << true;
        QTest::newRow("a repeated word once") << u"\"a b a\""_s << u"\"a\" AND \"b\" AND \"a\""_s
                                              << true << QByteArray("a b b a") << false;
        QTest::newRow("a prefix inside") << u"\"npm* ci\""_s << u"\"npm\" * AND \"ci\""_s << true
                                         << QByteArray("npmx ci") << true;
        // As FTS5 reads a phrase: a string without tokens sets the prefix of the token before.
        QTest::newRow("a prefix undone by a word without tokens")
            << u"\"npm* _ ci\""_s << u"\"npm\" AND \"ci\""_s << true << QByteArray("npmx ci")
            << false;
        QTest::newRow("a prefix made by a word without tokens")
            << u"\"x npm ___*\""_s << u"\"x\" AND \"npm\" *"_s << true << QByteArray("x npmx")
            << true;
        // Past FTS5's 32768 bytes of a token (cut inside a character): the query holds the
        // word whole, which FTS5 cuts as it cut the indexed one.
        const QString cjk(11000, QChar(0x4E2D));
        QTest::newRow("a token longer than FTS5 keeps")
            << u"\"x "_s + cjk + u"\""_s << u"\"x\" AND \""_s + cjk + u"\""_s << true
            << (QByteArray("x ") + cjk.toUtf8()) << true;
        QTest::newRow("the typed token, folded by FTS5")
            << u"\"ÉCOLE Naïve\""_s << u"\"ÉCOLE\" AND \"Naïve\""_s << true
            << QByteArray("ecole naive") << true;
        // Terms of one token each: every row the index finds is a hit.
        QTest::newRow("no phrase") << u"Café deprec*"_s << u"\"Café\" AND \"deprec\" *"_s << false
                                   << QByteArray("nothing of it") << true;
        QTest::newRow("no token") << u"_ \"\""_s << QString() << false << QByteArray("_") << true;
    }
    void tokenSearchChecksPhrasesOnText()
    {
        QFETCH(QString, typed);
        QFETCH(QString, ftsQuery);
        QFETCH(bool, checksText);
        QFETCH(QByteArray, text);
        QFETCH(bool, matches);
        const SearchTokens splitter;
        const TokenSearch search(searchTerms(typed), splitter);
        QCOMPARE(search.ftsQuery(), ftsQuery);
        QCOMPARE(search.checksText(), checksText);
        QCOMPARE(search.matches(text), matches);
    }

    // A prefix becomes the OR of the few words of the index it starts, none of them a match
    // for nothing; with many it stays FTS5's prefix.
    void tokenSearchWritesFewPrefixWordsOut()
    {
        const SearchTokens splitter;
        const TokenSearch search(searchTerms(u"\"npm ci*\" te*"_s), splitter);
        const auto words = [](const QByteArray &prefix) -> std::optional<QList<QByteArray>> {
            if (prefix == "ci")
                return QList<QByteArray>{"ci", "cinnamon"};
            if (prefix == "te")
                return std::nullopt;
            return QList<QByteArray>{};
        };
        QCOMPARE(search.ftsQuery(words), u"\"npm\" AND (\"ci\" OR \"cinnamon\") AND \"te\" *"_s);
        QCOMPARE(TokenSearch(searchTerms(u"npm nothing*"_s), splitter).ftsQuery(words), QString());
    }

    // The index's words a prefix starts, in its order, while they are few.
    void wordsAPrefixStarts()
    {
        QTemporaryDir dir;
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(dir.filePath(u"words.db"_s).toUtf8().constData(), &db), SQLITE_OK);
        QByteArray lines = "INSERT INTO f (text) VALUES ('cinnamon ci cider city'), ('zeta')";
        for (int i = 0; i < 17; ++i)
            lines += ", ('many" + QByteArray::number(i) + "')";
        QCOMPARE(sqlite3_exec(
                     db,
                     QByteArray("CREATE VIRTUAL TABLE f USING fts5 (text, detail=none); " + lines)
                         .constData(),
                     nullptr, nullptr, nullptr),
                 SQLITE_OK);
        QCOMPARE(fts5WordsStarting(db, "f", "ci"),
                 std::optional(QList<QByteArray>{"ci", "cider", "cinnamon", "city"}));
        QCOMPARE(fts5WordsStarting(db, "f", "cin"), std::optional(QList<QByteArray>{"cinnamon"}));
        QCOMPARE(fts5WordsStarting(db, "f", "nothing"), std::optional(QList<QByteArray>{}));
        QCOMPARE(fts5WordsStarting(db, "f", "many1"),
                 std::optional(QList<QByteArray>{"many1", "many10", "many11", "many12", "many13",
                                                 "many14", "many15", "many16"}));
        QCOMPARE(fts5WordsStarting(db, "f", "many"), std::nullopt); // 17 words
        sqlite3_close(db);
    }
};

QTEST_GUILESS_MAIN(TestStoreSearch)
#include "tst_storesearch.moc"
