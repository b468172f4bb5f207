#include "searchview.h"

#include "asyncquery.h"
#include "searchresultsmodel.h"
#include "store/recordstore.h"

#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int typingPauseMs = 300;

// Runs on the view's query thread.
SearchResults findHits(RecordStore &store, const QString &query, int limit)
{
    SearchResults results;
    results.query = query;
    const QList<SearchHit> hits = store.search(query, limit);
    results.hitCount = int(hits.size());
    results.limited = hits.size() >= limit;
    results.groups = SearchResultsModel::groupByTask(hits);
    // The repository makes a task row readable; a task chain is one indexed lookup, and there
    // are at most `limit` of them.
    for (SearchTaskGroup &group : results.groups) {
        if (group.taskId.isEmpty())
            continue;
        if (const std::optional<TaskChain> chain = store.taskChainOutline(group.taskId))
            group.repo = chain->task.repo;
    }
    return results;
}

// The query language (store/searchtokens.h, searchTerms()), as the box's tooltip and the status
// line before a search.
QString queryHint()
{
    return SearchView::tr("Type words to search for: every word must occur; \"a phrase\" in "
                          "quotes, its words in order; a prefix with * (deprec*).");
}

} // namespace

SearchView::SearchView(QWidget *parent)
    : QWidget(parent)
    , m_model(new SearchResultsModel(this))
    , m_box(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_tree(new QTreeView(this))
    , m_typingPause(new QTimer(this))
    , m_queries(new AsyncQuery(this))
{
    qRegisterMetaType<SearchResults>();
    m_box->setObjectName(u"searchBox"_s);
    m_box->setPlaceholderText(tr("Search logs, prompts, reasons and pull requests"));
    m_box->setClearButtonEnabled(true);
    m_box->setToolTip(queryHint());
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

    connect(m_queries, &AsyncQuery::errorOccurred, this, [this](const QString &error) {
        SearchResults failed;
        failed.query = m_box->text().trimmed();
        failed.error = error;
        onResults(failed);
    });
    showStatus(queryHint());
}

// A search in progress is interrupted and its result not delivered (AsyncQuery).
SearchView::~SearchView() = default;

void SearchView::setDatabasePath(const QString &path)
{
    m_databasePath = path;
    m_queries->setDatabase(path);
    search(m_box->text()); // whatever the old database answers is dropped
}

void SearchView::search(const QString &text)
{
    m_typingPause->stop();
    if (m_box->text() != text)
        m_box->setText(text);
    const QString query = text.trimmed();
    if (query.isEmpty() || m_databasePath.isEmpty()) {
        m_queries->cancel(0);
        m_searching = false;
        m_model->clear();
        showStatus(m_databasePath.isEmpty() ? tr("No database is open.") : queryHint());
        return;
    }
    m_searching = true;
    showStatus(tr("Searching for “%1”…").arg(query));
    // A newer search supersedes this one, interrupting it when it is running.
    m_queries->run(
        0, this, [query](RecordStore &store) { return findHits(store, query, hitLimit); },
        [this](const SearchResults &results) { onResults(results); });
}

void SearchView::onResults(const SearchResults &results)
{
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
    // An entry's key is "<session id>#<seq>"; a session id may itself hold '#'.
    if (index.data(SearchResultsModel::RecordKindRole).toString() == u"transcript_entry") {
        const QString ref = index.data(SearchResultsModel::RecordRefRole).toString();
        const qsizetype hash = ref.lastIndexOf(u'#');
        bool ok = false;
        const int seq = hash > 0 ? ref.mid(hash + 1).toInt(&ok) : 0;
        if (ok && seq > 0) {
            Q_EMIT transcriptHitActivated(taskId, TranscriptPosition{ref.left(hash), seq});
            return;
        }
    }
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
