#pragma once

#include <QByteArrayView>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

// The elements of a JSON array cut out of a document's bytes, so that each is parsed on its
// own: one malformed element is reported at its line and the others are still read, and a
// list cut off in the middle keeps the elements before the cut (docs/data-model.md).
namespace Tasktrail::JsonElements {

struct Element
{
    QByteArrayView bytes; // from the element's first byte to its last, without the comma
    qint64 line = 1;      // where it starts, from 1
    bool cutOff = false;  // the document ends inside it
};

struct Scan
{
    QList<Element> elements;
    QString problem; // with the list itself: not closed, or text after it
    qint64 problemLine = 0;
};

// Splits the array whose '[' is at `open`. Strings (with their escapes) and brackets are
// followed; an element ends at a comma or a ']' outside any bracket it opened. A raw line
// break inside a string, which JSON does not allow, ends the string, so a missing quote in a
// pretty-printed document spoils one line rather than the rest of the list.
Scan scanArray(QByteArrayView json, qsizetype open);

// The offset of the top-level array: the first byte that is not white space or a UTF-8 BOM,
// when it is a '['; -1 otherwise.
qsizetype rootArray(QByteArrayView json);
// The offset of the '[' of the array under `key` in the top-level object (the last one, as
// QJsonObject keeps the last of repeated keys); -1 when there is none.
qsizetype keyedArray(QByteArrayView json, QByteArrayView key);
// The value under `key` in the top-level object (the last one), to be parsed on its own: a
// malformed member elsewhere in the object spoils only itself. nullopt when there is none.
std::optional<Element> keyedValue(QByteArrayView json, QByteArrayView key);

// The line of byte `offset`, from 1.
qint64 lineAt(QByteArrayView json, qsizetype offset);

// One element parsed: its value, or why it is not JSON, with the line of the problem.
struct Parsed
{
    std::optional<QJsonValue> value;
    QString error;
    qint64 errorLine = 0;
};
Parsed parse(const Element &element);

} // namespace Tasktrail::JsonElements
