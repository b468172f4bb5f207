#pragma once

#include "searchresultsmodel.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace Tasktrail {

class RecordStore;

// Runs full-text searches on the search view's worker thread, on a store connection of its
// own (opened on first use, reopened when the database changes). Each search carries the
// generation it was asked for; a search that is already stale when its turn comes is skipped,
// and the view drops results that arrive stale.
class SearchWorker final : public QObject
{
    Q_OBJECT

public:
    explicit SearchWorker(QObject *parent = nullptr);
    ~SearchWorker() override;

    // Thread-safe: called by the view on the GUI thread.
    void setGeneration(quint64 generation) { m_generation.store(generation); }

    // Worker-thread slot, reached through a queued call.
    void search(quint64 generation, const QString &databasePath, const QString &query, int limit);

Q_SIGNALS:
    void finished(quint64 generation, const Tasktrail::SearchResults &results);

private:
    bool current(quint64 generation) const { return generation == m_generation.load(); }
    bool openStore(const QString &path, QString *error);

    std::atomic<quint64> m_generation{0};
    std::unique_ptr<RecordStore> m_store;
};

} // namespace Tasktrail
