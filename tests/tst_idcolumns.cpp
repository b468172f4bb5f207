// Long ids in tables: elided in the middle in a narrow column, whole in the tooltip and when
// the selection is copied.
#include "idcolumns.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QHelpEvent>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>
#include <QToolTip>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {
const QString taskId = u"0f3c2a9e-5d41-4b7a-9c1e-7a2b3c4d5e6f"_s;
const QString sha = u"9fceb02d0ae598e95dc970b74767f19372d61af8"_s;
const QString sessionId = u"sess_01HZX4J2W8Q6R7Y3KD5N9MBT0E-resume-2"_s;
} // namespace

class TestIdColumns final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void narrowColumnKeepsBothEnds_data();
    void narrowColumnKeepsBothEnds();
    void wideColumnShowsTheWholeId();
    void tooltipHoldsTheWholeId();
    void copyTakesTheFullValuesOfTheSelection();

private:
    MiddleElidedDelegate *delegate() const
    {
        return qobject_cast<MiddleElidedDelegate *>(m_view->itemDelegateForColumn(0));
    }

    QStandardItemModel *m_model = nullptr;
    std::unique_ptr<QTableView> m_view;
};

void TestIdColumns::init()
{
    m_view = std::make_unique<QTableView>();
    m_model = new QStandardItemModel(0, 3, m_view.get());
    m_model->appendRow(
        {new QStandardItem(taskId), new QStandardItem(u"acme/api"_s), new QStandardItem(sha)});
    m_model->appendRow({new QStandardItem(sessionId), new QStandardItem(u"acme/web"_s),
                        new QStandardItem(u"abc"_s)});
    m_model->appendRow({new QStandardItem(u"short"_s), new QStandardItem(u"acme/cli"_s),
                        new QStandardItem(QString())});
    m_view->setModel(m_model);
    showIdsElided(m_view.get(), {0, 2});
    m_view->resize(700, 300);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestIdColumns::cleanup()
{
    m_view.reset();
}

void TestIdColumns::narrowColumnKeepsBothEnds_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::newRow("task id") << 0 << 0;
    QTest::newRow("session id") << 1 << 0;
    QTest::newRow("commit sha") << 0 << 2;
}

void TestIdColumns::narrowColumnKeepsBothEnds()
{
    QFETCH(int, row);
    QFETCH(int, column);
    const QModelIndex index = m_model->index(row, column);
    const QString id = index.data().toString();
    const QFontMetrics metrics = m_view->fontMetrics();
    const int width = metrics.horizontalAdvance(id) / 2;
    m_view->setColumnWidth(column, width);
    auto *elider = qobject_cast<MiddleElidedDelegate *>(m_view->itemDelegateForColumn(column));
    QVERIFY(elider);
    const QString shown = elider->shownText(index, metrics, width);
    const qsizetype ellipsis = shown.indexOf(u'…');
    QVERIFY2(ellipsis > 2 && ellipsis < shown.size() - 3, qPrintable(shown));
    QVERIFY(id.startsWith(shown.left(ellipsis)));
    QVERIFY(id.endsWith(shown.mid(ellipsis + 1)));
    QVERIFY(metrics.horizontalAdvance(shown) < width);
    // The model's value is untouched: what is shown is not what is stored.
    QCOMPARE(index.data().toString(), id);
}

void TestIdColumns::wideColumnShowsTheWholeId()
{
    const QModelIndex index = m_model->index(0, 0);
    const int width = m_view->fontMetrics().horizontalAdvance(taskId) + 40;
    QCOMPARE(delegate()->shownText(index, m_view->fontMetrics(), width), taskId);
    // A column without the delegate keeps the view's own (right) elision.
    QVERIFY(!qobject_cast<MiddleElidedDelegate *>(m_view->itemDelegateForColumn(1)));
}

void TestIdColumns::tooltipHoldsTheWholeId()
{
    m_view->setColumnWidth(0, 60);
    const QRect cell = m_view->visualRect(m_model->index(0, 0));
    QWidget *viewport = m_view->viewport();
    QHelpEvent help(QEvent::ToolTip, cell.center(), viewport->mapToGlobal(cell.center()));
    QApplication::sendEvent(viewport, &help);
    QTRY_COMPARE(QToolTip::text(), taskId);
    QToolTip::hideText();
}

void TestIdColumns::copyTakesTheFullValuesOfTheSelection()
{
    m_view->setColumnWidth(0, 60);
    m_view->setColumnWidth(2, 60);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->horizontalHeader()->moveSection(2, 0); // the sha shown first
    m_view->selectRow(0);
    m_view->selectionModel()->select(m_model->index(1, 0),
                                     QItemSelectionModel::Select | QItemSelectionModel::Rows);
    m_view->setFocus();
    QTest::keySequence(m_view.get(), QKeySequence::Copy);
    QCOMPARE(QApplication::clipboard()->text(),
             sha + u"\t"_s + taskId + u"\tacme/api\nabc\t"_s + sessionId + u"\tacme/web"_s);

    m_view->setColumnHidden(1, true); // a hidden column is not copied
    QTest::keySequence(m_view.get(), QKeySequence::Copy);
    QCOMPARE(QApplication::clipboard()->text(), sha + u"\t"_s + taskId + u"\nabc\t"_s + sessionId);
}

QTEST_MAIN(TestIdColumns)
#include "tst_idcolumns.moc"
