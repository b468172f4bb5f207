#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <initializer_list>
#include <optional>

class QIODevice;

// The elements of a JSON array cut out of a document's bytes, so that each is parsed on its
// own: one malformed element is reported at its line and the others are still read, and a
// list cut off in the middle keeps the elements before the cut (docs/data-model.md).
namespace Tasktrail::JsonElements {

struct Element
{
    QByteArrayView bytes; // from the element's first byte to its last, without the comma
    qint64 line = 1;      // where it starts, from 1
    bool cutOff = false;  // the document ends inside it
    qint64 tooLarge = 0;  // read from a Stream: its size when more than the Stream keeps
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

// The values of the top-level object's members named `keys`, in one pass: values[k] for
// keys[k], from its first byte to its last (the last of a repeated key, as QJsonObject keeps),
// or nullopt when there is none. False when the walk does not end at the object's closing
// brace (a key with an escape, a malformed member): then what the object holds is not known
// from its bytes alone.
bool memberValues(QByteArrayView json, std::initializer_list<QByteArrayView> keys,
                  std::optional<QByteArrayView> *values);

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

// The same elements read from a device piece by piece, so that a document of any size is
// walked in memory bounded by its largest element: the elements of the top-level array, or the
// members of the top-level object with the elements of the arrays among them. An element's
// bytes stay valid until the next call. An element larger than `maxElement` is passed over
// without being kept (tooLarge says its size; parse() reports it). Unlike keyedArray() and
// keyedValue(), a key that appears twice is met twice.
class Stream final
{
public:
    static constexpr qsizetype defaultChunk = 1024 * 1024;
    static constexpr qsizetype defaultMaxElement = 128 * 1024 * 1024;
    explicit Stream(QIODevice &device, qsizetype maxElement = defaultMaxElement,
                    qsizetype chunk = defaultChunk);

    // The first byte that is not white space or a UTF-8 BOM: '{', '[', another, or '\0' for
    // a document without one. Call it first.
    char root();
    // The next member of the top-level object; nullopt at its end or where it stops being an
    // object with plain keys. After a key, call value(), skipValue() or enterArray().
    std::optional<QByteArray> nextKey();
    std::optional<Element> value();
    void skipValue();
    // When the value at hand (the root, or the member's value) is an array: true, and
    // nextElement() gives its elements. False leaves the value to value() or skipValue().
    bool enterArray();
    // nullopt at the end of the array; problem() then says whether it was not closed.
    std::optional<Element> nextElement();

    // What is wrong with the list itself, as Scan::problem says.
    const QString &problem() const { return m_problem; }
    qint64 problemLine() const { return m_problemLine; }
    // After nextKey() gave nullopt: whether the object ended with its '}'.
    bool objectClosed() const { return m_objectClosed; }
    // The line the walk is at.
    qint64 line() const { return m_line; }
    // Bytes of the device consumed so far.
    qint64 position() const { return m_base + m_at; }

private:
    enum class State
    {
        RootValue,    // before the root array
        BeforeObject, // before the root object's '{'
        MemberValue,  // after a key
        AfterMember,  // after a member's value
        FirstElement, // inside an array
        NextElement,
        Done,
    };
    bool fill();
    void compact(qsizetype keepFrom);
    void release();
    void skipSpace();
    Element walk(bool stopAtBrace, const QByteArray &start, bool keep);
    std::nullopt_t notClosed();
    std::nullopt_t closeList();

    QIODevice &m_device;
    qsizetype m_maxElement;
    qsizetype m_chunk;
    QByteArray m_buffer;
    qint64 m_base = 0; // the device's offset of m_buffer's first byte
    qsizetype m_at = 0;
    qint64 m_line = 1;
    qint64 m_contentLine = 1; // of the last byte consumed that is not space
    bool m_atEnd = false;
    bool m_rootArray = false;
    bool m_objectClosed = false;
    State m_state = State::Done;
    QString m_problem;
    qint64 m_problemLine = 0;
};

} // namespace Tasktrail::JsonElements
