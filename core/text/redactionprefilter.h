#pragma once

#include <QByteArray>
#include <QStringView>

namespace Tasktrail {

// What one pass of the pre-filter saw: the rules whose anchors occur, and escapes that must
// be decoded before the rules can read the text.
struct Sighting
{
    quint32 rules = 0;
    bool ansi = false;    // ESC
    bool escaped = false; // \u or \/ of a JSON string

    bool any() const { return rules || ansi || escaped; }
};

// The redactor's pre-filter (redactor.cpp): one pass over a text for the anchors of every
// rule of redactionrules.cpp, ASCII case ignored.
Sighting scanForSecrets(QStringView text);
Sighting scanForSecrets(const char *utf8, qsizetype size);

} // namespace Tasktrail
