#include "settings.h"

#include <QFileInfo>

namespace Tasktrail {
namespace {

QString canonicalEntry(const QString &path)
{
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}

} // namespace

Settings::Settings()
    : m_storage(std::make_unique<QSettings>())
{}

Settings::Settings(const QString &iniPath)
    : m_storage(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{}

Settings::~Settings() = default;

void Settings::addRecentDatabase(const QString &path)
{
    const QString entry = canonicalEntry(path);
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
    if (recent.removeAll(canonicalEntry(path)) > 0)
        recentDatabases.setValue(recent);
}

} // namespace Tasktrail
