#include "text/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

QByteArray qtWriter(const QStringList &list)
{
    return QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact);
}

} // namespace

class TestJsonWriter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsQt_data();
    void sameAsQt();
    void sameAsQtOnRandomText();
    void readsBack();
};

void TestJsonWriter::sameAsQt_data()
{
    QTest::addColumn<QStringList>("list");
    QTest::newRow("one word") << QStringList{u"git"_s};
    QTest::newRow("argv") << QStringList{u"git"_s, u"commit"_s, u"-m"_s,
                                         u"Bump lodash 4.17.20 -> 4.17.21"_s};
    QTest::newRow("empty strings") << QStringList{QString(), u""_s, u"x"_s};
    QTest::newRow("quotes and backslashes")
        << QStringList{u"say \"hi\""_s, u"C:\\path\\to"_s, u"\\\""_s};
    QTest::newRow("named escapes") << QStringList{u"a\bb\fc\nd\re\tf"_s};
    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls += QChar(c);
    controls += QChar(0x7f);
    QTest::newRow("every control character and DEL") << QStringList{controls};
    QTest::newRow("non-ASCII") << QStringList{u"café"_s, u"日本語"_s, u"\u00a0\u2028\u2029"_s};
    QTest::newRow("astral pair") << QStringList{u"emoji \U0001F600 end"_s};
    QTest::newRow("non-characters") << QStringList{QString(QChar(0xfffe)) + QChar(0xffff)};
    QTest::newRow("lone high surrogate") << QStringList{u"a"_s + QChar(0xd800) + u"b"_s};
    QTest::newRow("lone low surrogate") << QStringList{u"ok"_s, QString(QChar(0xdc00))};
}

void TestJsonWriter::sameAsQt()
{
    QFETCH(QStringList, list);
    QCOMPARE(JsonWriter::stringArray(list), qtWriter(list));
}

void TestJsonWriter::sameAsQtOnRandomText()
{
    QRandomGenerator rng(20261204);
    const char16_t alphabet[] = {u'a', u' ',   u'"',   u'\\',  u'\n',  0x01, 0x1f, 0x7f,
                                 0xe9, 0x20ac, 0xd83d, 0xde00, 0xfffd, u'/', u'{'};
    for (int round = 0; round < 2000; ++round) {
        QStringList list;
        const int count = rng.bounded(1, 5);
        for (int i = 0; i < count; ++i) {
            QString s;
            const int length = rng.bounded(0, 12);
            for (int j = 0; j < length; ++j)
                s += QChar(alphabet[rng.bounded(int(std::size(alphabet)))]);
            list << s;
        }
        QCOMPARE(JsonWriter::stringArray(list), qtWriter(list));
    }
}

void TestJsonWriter::readsBack()
{
    const QStringList list{u"tab\there"_s, u"quote\""_s, u"\u0001"_s, u"ünï"_s};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(JsonWriter::stringArray(list), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QStringList back;
    for (const QJsonValue &v : doc.array())
        back << v.toString();
    QCOMPARE(back, list);
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
