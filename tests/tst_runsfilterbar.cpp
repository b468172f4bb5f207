#include "runsfilterbar.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

Q_DECLARE_METATYPE(Tasktrail::TaskFilter)

class TestRunsFilterBar final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void startsWithoutAFilter();
    void facetChoices_data();
    void facetChoices();
    void typingIsDebounced();
    void timeRangeWithAny();
    void facetsRefreshKeepTheChoice();
    void setFilterShowsItWithoutEcho();
    void pullRequestTermsAreKeptAndCleared();

private:
    template<typename T> T *child(const QString &name) const { return m_bar->findChild<T *>(name); }
    TaskFilter lastFilter() const { return m_spy->last().at(0).value<TaskFilter>(); }

    std::unique_ptr<RunsFilterBar> m_bar;
    std::unique_ptr<QSignalSpy> m_spy;
};

void TestRunsFilterBar::init()
{
    m_bar = std::make_unique<RunsFilterBar>();
    m_spy = std::make_unique<QSignalSpy>(m_bar.get(), &RunsFilterBar::filterChanged);
    m_bar->setFacetValues(TaskFacet::State, {u"completed"_s, u"failed"_s});
    m_bar->setFacetValues(TaskFacet::Repository, {u"acme/api"_s, u"acme/web"_s});
    m_bar->setFacetValues(TaskFacet::IdentityKind, {u"fine_grained_pat"_s});
    m_bar->setFacetValues(TaskFacet::Policy, {u"default-policy"_s});
    m_bar->setFacetValues(TaskFacet::Campaign, {u"campaign-1"_s, u"campaign-2"_s});
    m_bar->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_bar.get()));
}

void TestRunsFilterBar::cleanup()
{
    m_spy.reset();
    m_bar.reset();
}

void TestRunsFilterBar::startsWithoutAFilter()
{
    QVERIFY(m_spy->isEmpty()); // offering choices changes no filter
    QVERIFY(m_bar->filter() == TaskFilter());
    QCOMPARE(child<QDateTimeEdit>(u"fromFilter"_s)->text(), u"any"_s);
    QCOMPARE(child<QDateTimeEdit>(u"toFilter"_s)->text(), u"any"_s);
    QCOMPARE(m_bar->facetValues(TaskFacet::Repository),
             (QStringList{u"acme/api"_s, u"acme/web"_s}));
    QCOMPARE(child<QComboBox>(u"repoFilter"_s)->count(), 3); // "Any repository" first
}

void TestRunsFilterBar::facetChoices_data()
{
    QTest::addColumn<QString>("combo");
    QTest::addColumn<QString>("value");
    QTest::newRow("state") << u"stateFilter"_s << u"failed"_s;
    QTest::newRow("repository") << u"repoFilter"_s << u"acme/web"_s;
    QTest::newRow("identity kind") << u"identityKindFilter"_s << u"fine_grained_pat"_s;
    QTest::newRow("policy") << u"policyFilter"_s << u"default-policy"_s;
    QTest::newRow("campaign") << u"campaignFilter"_s << u"campaign-2"_s;
}

void TestRunsFilterBar::facetChoices()
{
    QFETCH(QString, combo);
    QFETCH(QString, value);
    QComboBox *box = child<QComboBox>(combo);
    QVERIFY(box);
    box->setCurrentIndex(box->findText(value));
    QCOMPARE(m_spy->size(), 1);
    const TaskFilter f = lastFilter();
    const QStringList fields{f.state, f.repo, f.identityKind, f.policyId, f.campaignId};
    QCOMPARE(fields.count(value), 1);
    QCOMPARE(fields.count(QString()), 4); // one choice, one field
    QVERIFY(f.text.isEmpty() && !f.from.isValid() && !f.to.isValid());

    box->setCurrentIndex(0); // back to "any"
    QCOMPARE(m_spy->size(), 2);
    QVERIFY(lastFilter() == TaskFilter());
}

void TestRunsFilterBar::typingIsDebounced()
{
    QTest::keyClicks(child<QLineEdit>(u"filterText"_s), u"repo-7 "_s);
    QVERIFY(m_spy->isEmpty()); // not one filter per key
    QTRY_COMPARE(m_spy->size(), 1);
    QCOMPARE(lastFilter().text, u"repo-7"_s); // trimmed

    // Enter applies at once.
    QTest::keyClicks(child<QLineEdit>(u"filterText"_s), u"x"_s);
    QTest::keyClick(child<QLineEdit>(u"filterText"_s), Qt::Key_Return);
    QCOMPARE(m_spy->size(), 2);
    QCOMPARE(lastFilter().text, u"repo-7 x"_s);
    // And the typing delay does not repeat it: no timer of the bar is left to fire.
    for (const QTimer *timer : m_bar->findChildren<QTimer *>())
        QVERIFY(!timer->isActive());
    QCOMPARE(m_spy->size(), 2);
}

void TestRunsFilterBar::timeRangeWithAny()
{
    const QDateTime from(QDate(2026, 3, 1), QTime(8, 0), QTimeZone::utc());
    const QDateTime to(QDate(2026, 3, 2), QTime(0, 0), QTimeZone::utc());
    child<QDateTimeEdit>(u"fromFilter"_s)->setDateTime(from);
    QCOMPARE(lastFilter().from, from);
    QVERIFY(!lastFilter().to.isValid());
    child<QDateTimeEdit>(u"toFilter"_s)->setDateTime(to);
    QCOMPARE(lastFilter().to, to);

    // Back to the minimum reads "any" and clears the bound.
    auto *fromEdit = child<QDateTimeEdit>(u"fromFilter"_s);
    fromEdit->setDateTime(fromEdit->minimumDateTime());
    QCOMPARE(fromEdit->text(), u"any"_s);
    QVERIFY(!lastFilter().from.isValid());
    QCOMPARE(lastFilter().to, to);
}

void TestRunsFilterBar::facetsRefreshKeepTheChoice()
{
    QComboBox *repo = child<QComboBox>(u"repoFilter"_s);
    repo->setCurrentIndex(repo->findText(u"acme/web"_s));
    QCOMPARE(m_spy->size(), 1);
    m_bar->setFacetValues(TaskFacet::Repository, {u"acme/web"_s, u"acme/zeta"_s});
    QCOMPARE(repo->currentText(), u"acme/web"_s);
    QCOMPARE(m_spy->size(), 1); // the filter did not change
    QCOMPARE(m_bar->facetValues(TaskFacet::Repository),
             (QStringList{u"acme/web"_s, u"acme/zeta"_s}));
}

void TestRunsFilterBar::setFilterShowsItWithoutEcho()
{
    TaskFilter f;
    f.text = u"alice"_s;
    f.state = u"failed"_s;
    f.repo = u"acme/elsewhere"_s; // not offered (yet): shown rather than lost
    f.from = QDateTime(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
    m_bar->setFilter(f);
    QCOMPARE(m_spy->size(), 1); // once, not once per field
    QVERIFY(lastFilter() == f);
    QVERIFY(m_bar->filter() == f);
    QCOMPARE(child<QComboBox>(u"repoFilter"_s)->currentText(), u"acme/elsewhere"_s);
    m_bar->setFilter(f);
    QCOMPARE(m_spy->size(), 1);
}

// The pull-request terms a chart opens stay in the runs filter through other changes and go
// with one click.
void TestRunsFilterBar::pullRequestTermsAreKeptAndCleared()
{
    RunsFilterBar bar;
    QSignalSpy changed(&bar, &RunsFilterBar::filterChanged);
    TaskFilter f;
    f.pullRequest = u"merged"_s;
    f.pullRequestFrom = QDateTime(QDate(2026, 5, 1), QTime(0, 0), QTimeZone::utc());
    f.pullRequestTo = f.pullRequestFrom.addDays(1);
    f.reviewTeam = u"checkout"_s;
    bar.setFilter(f);
    QCOMPARE(bar.filter(), f);
    auto *button = bar.findChild<QToolButton *>(u"pullRequestFilter"_s);
    QVERIFY(button && !button->isHidden());
    QVERIFY2(button->text().contains(u"on 2026-05-01"_s), qPrintable(button->text()));
    bar.setFacetValues(TaskFacet::State, {u"completed"_s, u"failed"_s});
    QCOMPARE(bar.filter(), f);
    button->click();
    QCOMPARE(bar.filter(), TaskFilter());
    QVERIFY(button->isHidden());
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.last().at(0).value<TaskFilter>(), TaskFilter());
}

QTEST_MAIN(TestRunsFilterBar)
#include "tst_runsfilterbar.moc"
