#include "searchview.h"

#include "searchresultsmodel.h"
#include "searchworker.h"

#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int typingPauseMs = 300;

} // namespace

SearchView::SearchView(QWidget *parent)
    : QWidget(parent)
    , m_model(new SearchResultsModel(this))
    , m_box(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_tree(new QTreeView(this))
    , m_typingPause(new QTimer(this))
    , m_worker(new SearchWorker)
{
    qRegisterMetaType<SearchResults>();
    m_box->setObjectName(u"searchBox"_s);
    m_box->setPlaceholderText(tr("Search logs, prompts, reasons and pull requests"));
    m_box->setClearButtonEnabled(true);
    m_status->setObjectName(u"searchStatus"_s);
    m_tree->setObjectName(u"searchResults"_s);
    m_tree->setModel(m_model);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_box);
    layout->addWidget(m_status);
    layout->addWidget(m_tree, 1);

    m_typingPause->setSingleShot(true);
    m_typingPause->setInterval(typingPauseMs);
    connect(m_typingPause, &QTimer::timeout, this, [this] { search(m_box->text()); });
    connect(m_box, &QLineEdit::textEdited, m_typingPause, qOverload<>(&QTimer::start));
    connect(m_box, &QLineEdit::returnPressed, this, [this] { search(m_box->text()); });
    connect(m_tree, &QAbstractItemView::activated, this, &SearchView::onActivated);

    m_thread.setObjectName(u"search"_s);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SearchWorker::finished, this, &SearchView::onResults);
    m_thread.start();
    showStatus(tr("Type words to search for; every word must occur."));
}

SearchView::~SearchView()
{
    // A search in progress finishes (SQLite cannot be interrupted from here), its result is
    // not delivered, and the worker closes its connection on its own thread.
    m_worker->setGeneration(++m_generation);
    m_thread.quit();
    m_thread.wait();
}

void SearchView::setDatabasePath(const QString &path)
{
    m_databasePath = path;
    search(m_box->text()); // a new generation: whatever the old database answers is dropped
}

void SearchView::search(const QString &text)
{
    m_typingPause->stop();
    if (m_box->text() != text)
        m_box->setText(text);
    const quint64 generation = ++m_generation;
    m_worker->setGeneration(generation);
    const QString query = text.trimmed();
    if (query.isEmpty() || m_databasePath.isEmpty()) {
        m_searching = false;
        m_model->clear();
        showStatus(m_databasePath.isEmpty() ? tr("No database is open.")
                                            : tr("Type words to search for; every word must "
                                                 "occur."));
        return;
    }
    m_searching = true;
    showStatus(tr("Searching for “%1”…").arg(query));
    QMetaObject::invokeMethod(m_worker,
                              [worker = m_worker, generation, path = m_databasePath, query] {
                                  worker->search(generation, path, query, hitLimit);
                              });
}

void SearchView::onResults(quint64 generation, const SearchResults &results)
{
    if (generation != m_generation)
        return; // a newer search or another database has taken over
    m_searching = false;
    m_model->setGroups(results.groups);
    m_tree->expandAll();
    if (!results.error.isEmpty()) {
        showStatus(tr("Search failed: %1").arg(results.error));
    } else if (results.hitCount == 0) {
        showStatus(tr("No matches for “%1”.").arg(results.query));
    } else {
        const QString tasks = tr("%n task(s)", nullptr, int(results.groups.size()));
        const QString hits = results.limited ? tr("first %n hits", nullptr, results.hitCount)
                                             : tr("%n hit(s)", nullptr, results.hitCount);
        showStatus(tr("“%1”: %2 in %3").arg(results.query, hits, tasks));
    }
    Q_EMIT searchFinished(results.query, results.hitCount);
}

void SearchView::onActivated(const QModelIndex &index)
{
    const QString taskId = index.data(SearchResultsModel::TaskIdRole).toString();
    if (taskId.isEmpty())
        return;
    Q_EMIT hitActivated(taskId, index.data(SearchResultsModel::CommandSeqRole).toInt(),
                        index.data(SearchResultsModel::LineNoRole).toLongLong());
}

QString SearchView::statusText() const
{
    return m_status->text();
}

void SearchView::showStatus(const QString &text)
{
    m_status->setText(text);
}

} // namespace Tasktrail
