#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>
#include <utility>

namespace Tasktrail {

// One setting: its key and its default side by side, read and written as T. A key that was
// never written, or holds something that does not convert to a T, reads as the default.
template<typename T> class Setting final
{
public:
    Setting(QSettings &settings, const char *key, T defaultValue)
        : m_settings(settings)
        , m_key(QString::fromLatin1(key))
        , m_default(std::move(defaultValue))
    {}
    Setting(const Setting &) = delete;
    Setting &operator=(const Setting &) = delete;

    const QString &key() const { return m_key; }
    const T &defaultValue() const { return m_default; }

    T value() const
    {
        QVariant stored = m_settings.value(m_key);
        // An INI file keeps no types: "12" must read as 12, "abc" as the default.
        if (!stored.isValid() || !stored.convert(QMetaType::fromType<T>()))
            return m_default;
        return stored.value<T>();
    }
    void setValue(const T &value) { m_settings.setValue(m_key, QVariant::fromValue(value)); }
    void reset() { m_settings.remove(m_key); }

private:
    QSettings &m_settings;
    QString m_key;
    T m_default;
};

// The desktop app's settings, all declared here.
class Settings final
{
    // First: members are built in declaration order, and the settings below refer to it.
    std::unique_ptr<QSettings> m_storage;

public:
    static constexpr int maxRecentDatabases = 10;

    // The application's settings (organization and application name from QCoreApplication).
    Settings();
    // Settings kept in an INI file at iniPath, e.g. a test's temporary file.
    explicit Settings(const QString &iniPath);
    ~Settings();
    Settings(const Settings &) = delete;
    Settings &operator=(const Settings &) = delete;

    QSettings &storage() { return *m_storage; }
    // Writes pending changes now; QSettings otherwise writes them later.
    void sync() { m_storage->sync(); }

    // Most recent first, no duplicates, at most maxRecentDatabases.
    Setting<QStringList> recentDatabases{*m_storage, "database/recent", {}};
    Setting<QString> lastDatabase{*m_storage, "database/last", {}};
    Setting<QByteArray> windowGeometry{*m_storage, "window/geometry", {}};
    Setting<QByteArray> windowState{*m_storage, "window/state", {}};
    // The runs tab's split between the table and the task's chain strip below it. (Its key
    // is not the one of the older split, which gave the table a third of the height.)
    Setting<QByteArray> runsSplitterState{*m_storage, "window/runsTableSplit", {}};
    // The Runs tab's docks (the card's detail and the command log): shown, where, how big.
    Setting<QByteArray> runsDeskState{*m_storage, "window/runsDesk", {}};
    // The runs table's column widths, order and hidden columns (QHeaderView::saveState).
    Setting<QByteArray> runsHeaderState{*m_storage, "window/runsHeader", {}};
    // The splits and column widths of the Findings, Campaigns and Compare Runs views
    // (layoutstate.h).
    Setting<QByteArray> findingsLayoutState{*m_storage, "window/findingsLayout", {}};
    Setting<QByteArray> campaignLayoutState{*m_storage, "window/campaignLayout", {}};
    Setting<QByteArray> compareLayoutState{*m_storage, "window/compareLayout", {}};
    Setting<QString> lastImportDir{*m_storage, "import/lastDirectory", {}};
    // The column (section) the runs and findings tables are sorted by, -1 for their default
    // order, and its direction.
    Setting<int> runsSortColumn{*m_storage, "runs/sortColumn", -1};
    Setting<bool> runsSortDescending{*m_storage, "runs/sortDescending", true};
    Setting<int> findingsSortColumn{*m_storage, "findings/sortColumn", -1};
    Setting<bool> findingsSortDescending{*m_storage, "findings/sortDescending", true};

    // How a database is remembered: a file by its absolute path, a team database's URL or
    // keywords as given.
    static QString databaseEntry(const QString &location);
    // Puts path (made absolute) first in recentDatabases, dropping an older entry for it and
    // the entries past maxRecentDatabases.
    void addRecentDatabase(const QString &path);
    // For a database that no longer opens.
    void removeRecentDatabase(const QString &path);
};

} // namespace Tasktrail
