#include "text/shellquote.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Characters that mean nothing to a POSIX shell anywhere in a word. '~' and '#' mean
// something only at its start (home directory, comment). Letters and digits of any script
// are plain too: a shell splits on blanks and operators, not on non-ASCII.
bool isPlain(QChar c, bool first)
{
    if (c.unicode() < 0x80) {
        if (c.isLetterOrNumber())
            return true;
        switch (c.unicode()) {
        case u'_':
        case u'.':
        case u'/':
        case u':':
        case u'=':
        case u'@':
        case u'%':
        case u'+':
        case u',':
        case u'-':
            return true;
        case u'~':
        case u'#':
            return !first;
        default:
            return false;
        }
    }
    return c.isLetterOrNumber() || c.isMark() || c.isSurrogate();
}

// Inside double quotes a shell still expands '$' and '`' and reads '\' and '"'; '!' is
// history expansion in an interactive bash. Such words go in single quotes instead.
bool safeInDoubleQuotes(const QString &word)
{
    for (const QChar c : word) {
        if (c == u'$' || c == u'`' || c == u'\\' || c == u'"' || c == u'!')
            return false;
    }
    return true;
}

} // namespace

QString shellQuoted(const QString &word)
{
    if (word.isEmpty())
        return u"''"_s;
    bool plain = true;
    for (qsizetype i = 0; i < word.size() && plain; ++i)
        plain = isPlain(word.at(i), i == 0);
    if (plain)
        return word;
    if (safeInDoubleQuotes(word))
        return u'"' + word + u'"';
    return u'\'' + QString(word).replace(u"'"_s, u"'\\''"_s) + u'\'';
}

QString shellCommandLine(const QStringList &argv)
{
    if (argv.size() == 1)
        return argv.constFirst();
    QStringList words;
    words.reserve(argv.size());
    for (const QString &arg : argv) {
        QString word = shellQuoted(arg);
        // A first word "NAME=value" would be read as an assignment, not as the program.
        if (words.isEmpty() && word == arg && arg.contains(u'='))
            word = u'"' + arg + u'"';
        words.append(word);
    }
    return words.join(u' ');
}

} // namespace Tasktrail
