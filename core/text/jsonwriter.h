#pragma once

#include <QByteArray>
#include <QStringList>

namespace Tasktrail::JsonWriter {

// A list of strings as compact JSON, byte for byte what
// QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact) gives, without
// building the array: the store writes lists this way (argv, labels, scopes) for every record,
// and a stored list must read the same whichever wrote it. Strings holding a lone surrogate take
// Qt's own writer, which decides how to spell it.
QByteArray stringArray(const QStringList &list);

} // namespace Tasktrail::JsonWriter
