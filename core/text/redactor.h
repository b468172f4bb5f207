#pragma once

#include <QByteArray>
#include <QString>

namespace Tasktrail {

// Replaces secrets with "[REDACTED:<kind>]" before anything is stored: GitHub tokens
// (ghp_, gho_, ghs_, ghu_, ghr_, github_pat_), AWS access keys and secrets, private key
// blocks and whatever follows an `Authorization:` header.
//
// A Redactor object follows one stream of lines: a private key block spans lines, so the
// lines between BEGIN and END are redacted too.
class Redactor final
{
public:
    // Redacts one line (UTF-8, no newline) in place; returns how many secrets it replaced.
    int redactLine(QByteArray &line);
    // Redacts a standalone value that may span lines (a JSON string).
    static int redactText(QString &text);
    // Cheap test used before the regular expressions run: false means certainly clean.
    static bool mayContainSecret(const char *data, qsizetype size);

    void reset() { m_inPrivateKey = false; }

private:
    bool m_inPrivateKey = false;
};

} // namespace Tasktrail
