#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <vector>

namespace Tasktrail {

struct TomlEntry;

// One value of a TOML document and the line it starts on. Tables keep their keys in the
// order they were written.
struct TomlValue
{
    enum class Type
    {
        String,
        Integer,
        Boolean,
        DateTime,
        Array,
        Table,
    };

    Type type = Type::Table;
    int line = 0;
    QString string;
    qint64 integer = 0;
    bool boolean = false;
    QDateTime dateTime; // UTC
    std::vector<TomlValue> array;
    std::vector<TomlEntry> table;

    bool isTable() const { return type == Type::Table; }
    bool isArrayOfTables() const { return type == Type::Array && arrayOfTables; }
    // The entry for `key`, or nullptr.
    const TomlEntry *find(QStringView key) const;
    TomlEntry *find(QStringView key);

    // How a table came to be, which decides whether a header may (re)open it.
    enum class Origin
    {
        Header,   // [a.b]
        Implicit, // a parent created by [a.b.c] or [[a.b]]
        Dotted,   // a.b = 1
        Inline,   // {...}: closed
    };
    Origin origin = Origin::Implicit;
    bool arrayOfTables = false; // an array created by [[...]] headers
};

struct TomlEntry
{
    QString key;
    int line = 0; // where the key was written
    TomlValue value;
};

// "a string", "an integer", ...: for messages such as "expected an integer, got a string".
QString describe(TomlValue::Type type);

struct TomlError
{
    int line = 0;
    QString message;
};

struct TomlDocument
{
    TomlValue root;     // a table
    QString firstTable; // the name of the first [table] or [[table]] header, dotted
    int firstTableLine = 0;
    QList<TomlError> errors;
};

// Reads the subset of TOML 1.0 that template and policy files use: comments; bare, quoted and
// dotted keys; [table] and [[array-of-tables]] headers; basic, literal and multi-line strings;
// decimal integers; booleans; offset date-times; arrays (over several lines, trailing comma
// allowed); inline tables. Floats, local dates and times, and hexadecimal, octal or binary
// integers are rejected with a message saying so.
//
// A syntax error stops the reading, since what follows it cannot be trusted; a duplicate key
// or table is reported and the reading goes on.
TomlDocument parseToml(const QByteArray &utf8);

} // namespace Tasktrail
