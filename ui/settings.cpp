#include "settings.h"

#include "store/pgconnection.h"

#include <QFileInfo>

namespace Tasktrail {

// A team database's URL or keywords name no file: made "absolute" they would name one that
// does not exist.
QString Settings::databaseEntry(const QString &location)
{
    if (location.isEmpty() || isPostgresLocation(location))
        return location;
    return QFileInfo(location).absoluteFilePath();
}

Settings::Settings()
    : m_storage(std::make_unique<QSettings>())
{}

Settings::Settings(const QString &iniPath)
    : m_storage(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{}

Settings::~Settings() = default;

void Settings::addRecentDatabase(const QString &path)
{
    const QString entry = databaseEntry(path);
    if (entry.isEmpty())
        return;
    QStringList recent = recentDatabases.value();
    recent.removeAll(entry);
    recent.prepend(entry);
    if (recent.size() > maxRecentDatabases)
        recent.resize(maxRecentDatabases);
    recentDatabases.setValue(recent);
}

void Settings::removeRecentDatabase(const QString &path)
{
    QStringList recent = recentDatabases.value();
    if (recent.removeAll(databaseEntry(path)) > 0)
        recentDatabases.setValue(recent);
}

} // namespace Tasktrail
