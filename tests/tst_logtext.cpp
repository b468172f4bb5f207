#include "text/logtext.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

qint64 utcMs(int year, int month, int day, int hour, int minute, int second, int ms = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, ms), QTimeZone::utc())
        .toMSecsSinceEpoch();
}

const QByteArray replacement = "\xEF\xBF\xBD"; // U+FFFD in UTF-8

} // namespace

class TestLogText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validatesUtf8_data();
    void validatesUtf8();
    void sanitizesUtf8_data();
    void sanitizesUtf8();
    void parsesTimestampPrefix_data();
    void parsesTimestampPrefix();
    void stripsAnsi_data();
    void stripsAnsi();
};

void TestLogText::validatesUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");

    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ASCII") << QByteArray("npm ci --prefer-offline") << true;
    QTest::newRow("2-byte") << QByteArray("caf\xC3\xA9") << true;
    QTest::newRow("3-byte") << QByteArray("\xE2\x82\xAC 12") << true;
    QTest::newRow("4-byte") << QByteArray("ok \xF0\x9F\x98\x80") << true;
    QTest::newRow("highest code point") << QByteArray("\xF4\x8F\xBF\xBF") << true;
    QTest::newRow("overlong 2-byte") << QByteArray("\xC0\xAF") << false;
    QTest::newRow("overlong 3-byte") << QByteArray("\xE0\x80\xAF") << false;
    QTest::newRow("overlong 4-byte") << QByteArray("\xF0\x80\x80\xAF") << false;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << false;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << false;
    QTest::newRow("truncated 2-byte") << QByteArray("caf\xC3") << false;
    QTest::newRow("truncated 4-byte") << QByteArray("\xF0\x9F\x98") << false;
    QTest::newRow("lone continuation byte") << QByteArray("a\x80z") << false;
    QTest::newRow("invalid byte after a long ASCII run")
        << QByteArray("abcdefghijklmnopqrstuvwxyz\xFF") << false;
}

void TestLogText::validatesUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);

    QCOMPARE(LogText::isValidUtf8(bytes.constData(), bytes.size()), valid);
}

void TestLogText::sanitizesUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("valid 4-byte kept")
        << QByteArray("ok \xF0\x9F\x98\x80") << QByteArray("ok \xF0\x9F\x98\x80");
    QTest::newRow("overlong: one U+FFFD per byte")
        << QByteArray("a\xC0\xAF"
                      "b")
        << QByteArray("a" + replacement + replacement + "b");
    QTest::newRow("surrogate: one U+FFFD per byte")
        << QByteArray("a\xED\xA0\x80"
                      "b")
        << QByteArray("a" + replacement + replacement + replacement + "b");
    QTest::newRow("truncated at the end")
        << QByteArray("caf\xC3") << QByteArray("caf" + replacement);
    QTest::newRow("truncated before ASCII")
        << QByteArray("caf\xC3 ok") << QByteArray("caf" + replacement + " ok");
    QTest::newRow("stray byte") << QByteArray("bad \xFF byte")
                                << QByteArray("bad " + replacement + " byte");
}

void TestLogText::sanitizesUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, expected);

    const QByteArray sanitized = LogText::sanitizeUtf8(bytes);
    QCOMPARE(sanitized, expected);
    QVERIFY(LogText::isValidUtf8(sanitized.constData(), sanitized.size()));
}

void TestLogText::parsesTimestampPrefix_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<qint64>("timestampMs");
    QTest::addColumn<qint64>("prefixLength");

    QTest::newRow("Z") << QByteArray("2026-03-01T12:00:00Z npm ci") << utcMs(2026, 3, 1, 12, 0, 0)
                       << qint64(21);
    QTest::newRow("7-digit fraction, as GitHub Actions writes")
        << QByteArray("2026-03-01T12:00:00.1234567Z npm ci") << utcMs(2026, 3, 1, 12, 0, 0, 123)
        << qint64(29);
    QTest::newRow("+02:00 offset converted to UTC")
        << QByteArray("2026-03-01T14:00:00.500+02:00 step") << utcMs(2026, 3, 1, 12, 0, 0, 500)
        << qint64(30);
    QTest::newRow("-04:30 offset across midnight")
        << QByteArray("2026-02-28T21:30:00-04:30 late") << utcMs(2026, 3, 1, 2, 0, 0) << qint64(26);
    QTest::newRow("space instead of T")
        << QByteArray("2026-03-01 12:00:00Z npm ci") << utcMs(2026, 3, 1, 12, 0, 0) << qint64(21);
    QTest::newRow("timestamp alone")
        << QByteArray("2026-03-01T12:00:00Z") << utcMs(2026, 3, 1, 12, 0, 0) << qint64(20);
    QTest::newRow("leap day") << QByteArray("2028-02-29T00:00:00Z x") << utcMs(2028, 2, 29, 0, 0, 0)
                              << qint64(21);
    QTest::newRow("no zone") << QByteArray("2026-03-01T12:00:00 npm ci") << qint64(0) << qint64(0);
    QTest::newRow("glued to the text")
        << QByteArray("2026-03-01T12:00:00Znpm") << qint64(0) << qint64(0);
    QTest::newRow("month 13") << QByteArray("2026-13-01T12:00:00Z x") << qint64(0) << qint64(0);
    QTest::newRow("garbage") << QByteArray("npm ERR! code ELIFECYCLE errno 1") << qint64(0)
                             << qint64(0);
    QTest::newRow("too short") << QByteArray("2026-03-01") << qint64(0) << qint64(0);
}

void TestLogText::parsesTimestampPrefix()
{
    QFETCH(QByteArray, line);
    QFETCH(qint64, timestampMs);
    QFETCH(qint64, prefixLength);

    qsizetype prefix = -1;
    QCOMPARE(LogText::parseTimestampPrefix(line.constData(), line.size(), &prefix), timestampMs);
    QCOMPARE(qint64(prefix), prefixLength);
}

void TestLogText::stripsAnsi_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("colour codes") << QByteArray("\x1b[31merror\x1b[0m: failed")
                                  << QByteArray("error: failed");
    QTest::newRow("bold and colour around UTF-8")
        << QByteArray("\x1b[1;32m\xE2\x9C\x93\x1b[0m passed") << QByteArray("\xE2\x9C\x93 passed");
    QTest::newRow("cursor control")
        << QByteArray("\x1b[2K\x1b[1Gprogress 50%") << QByteArray("progress 50%");
    QTest::newRow("OSC hyperlink ended by BEL")
        << QByteArray("see \x1b]8;;https://example.com/docs\x07"
                      "docs\x1b]8;;\x07 now")
        << QByteArray("see docs now");
    QTest::newRow("OSC hyperlink ended by ESC backslash")
        << QByteArray("\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\") << QByteArray("link");
    QTest::newRow("no escapes") << QByteArray("plain [brackets] stay")
                                << QByteArray("plain [brackets] stay");
}

void TestLogText::stripsAnsi()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, expected);

    QCOMPARE(LogText::stripAnsi(line), expected);
}

QTEST_GUILESS_MAIN(TestLogText)
#include "tst_logtext.moc"
