#pragma once

#include "records/summaries.h"

#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QModelIndex;
class QTimer;
class QTreeView;

namespace Tasktrail {

class AsyncQuery;
class SearchResultsModel;
struct SearchResults;

// One full-text search box over every log line and record of a database. Results are grouped
// by task; the search runs on the view's query thread (AsyncQuery) with its own store
// connection, and a search overtaken by a newer one is interrupted and never reaches the screen.
class SearchView final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int hitLimit = 500;

    explicit SearchView(QWidget *parent = nullptr);
    ~SearchView() override;

    // The database to search; an empty path clears the results. Repeats the current search
    // on the new database.
    void setDatabasePath(const QString &path);
    QString databasePath() const { return m_databasePath; }

    // Starts a search for `text` (also shown in the box); empty text clears the results.
    void search(const QString &text);
    bool isSearching() const { return m_searching; }

    SearchResultsModel *resultsModel() const { return m_model; }
    QString statusText() const;

Q_SIGNALS:
    // A hit or a task row was activated; commandSeq and lineNo are 0 for a record hit or a
    // task row.
    void hitActivated(const QString &taskId, int commandSeq, qint64 lineNo);
    // A hit in a task's conversation was activated: its entry.
    void transcriptHitActivated(const QString &taskId,
                                const Tasktrail::TranscriptPosition &position);
    // The results of the newest search are on screen.
    void searchFinished(const QString &query, int hitCount);

private:
    void onResults(const Tasktrail::SearchResults &results);
    void onActivated(const QModelIndex &index);
    void showStatus(const QString &text);

    QString m_databasePath;
    bool m_searching = false;
    SearchResultsModel *m_model = nullptr;
    QLineEdit *m_box = nullptr;
    QLabel *m_status = nullptr;
    QTreeView *m_tree = nullptr;
    QTimer *m_typingPause = nullptr;
    AsyncQuery *m_queries = nullptr; // reads on its own thread and connection
};

} // namespace Tasktrail
