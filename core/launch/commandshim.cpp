#include "commandshim.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::CommandShim {
namespace {

// Generated at run time, so the local runner needs no install step. POSIX sh (dash on Debian)
// plus date, mkfifo and tee from coreutils.
constexpr char shimScript[] = R"sh(#!/bin/sh
# tasktrail-exec: Tasktrail's local runner records one tool invocation (argv, cwd, times, exit
# status, output), then runs the real tool with the same arguments and exits with its status.
# Installed as symlinks named after each tool in a directory that comes first on the agent's
# PATH. Each call claims the next number by creating calls/<n>/ (mkdir is atomic), so
# concurrent and nested calls never share a file and need no locking or escaping.
tt_name=${0##*/}
tt_shims=${TASKTRAIL_SHIM_DIR:-${0%/*}}
tt_calls=${TASKTRAIL_CALLS_DIR:-$tt_shims/../calls}
tt_path=$PATH
tt_ifs=$IFS

# The PATH without the shim directory: the real tool and the helpers below are found there.
tt_real_path=
IFS=:
set -f
for tt_dir in $PATH; do
    case $tt_dir in '' | "$tt_shims" | "$tt_shims/") continue ;; esac
    tt_real_path=${tt_real_path:+$tt_real_path:}$tt_dir
done
tt_real=
for tt_dir in $tt_real_path; do
    tt_try=$tt_dir/$tt_name
    if [ -f "$tt_try" ] && [ -x "$tt_try" ] && ! [ "$tt_try" -ef "$tt_shims/tasktrail-exec" ]; then
        tt_real=$tt_try
        break
    fi
done
set +f
IFS=$tt_ifs
PATH=$tt_real_path

# Claim the next call number; calls/next is only a hint, the mkdir decides.
tt_rec=
if [ -d "$tt_calls" ] && [ -w "$tt_calls" ]; then
    tt_seq=
    [ -r "$tt_calls/next" ] && read -r tt_seq <"$tt_calls/next"
    case $tt_seq in '' | *[!0-9]*) tt_seq=1 ;; esac
    while ! mkdir "$tt_calls/$tt_seq" 2>/dev/null; do
        [ -e "$tt_calls/$tt_seq" ] || break
        tt_seq=$((tt_seq + 1))
    done
    if [ -d "$tt_calls/$tt_seq" ]; then
        tt_rec=$tt_calls/$tt_seq
        echo $((tt_seq + 1)) >"$tt_calls/next"
    fi
fi
tt_put() {
    [ -n "$tt_rec" ] && printf '%s' "$2" >"$tt_rec/$1"
}
tt_now() {
    date -u +%Y-%m-%dT%H:%M:%S.%3NZ
}
if [ -n "$tt_rec" ]; then
    printf '%s\000' "$tt_name" "$@" >"$tt_rec/argv"
    tt_put cwd "$PWD"
    tt_put started "$(tt_now)"
fi

if [ -z "$tt_real" ]; then
    printf 'tasktrail-exec: %s: command not found\n' "$tt_name" >&2
    tt_put ended "$(tt_now)"
    tt_put exit 127
    exit 127
fi

# Output goes through two FIFOs into tee, so the caller sees it as before and
# calls/<n>/output gets a copy (stdout and stderr interleaved as they arrive).
tt_tee_out=
tt_tee_err=
if [ -n "$tt_rec" ] && mkfifo "$tt_rec/stdout" "$tt_rec/stderr" 2>/dev/null; then
    : >"$tt_rec/output"
    tee -a "$tt_rec/output" <"$tt_rec/stdout" &
    tt_tee_out=$!
    tee -a "$tt_rec/output" <"$tt_rec/stderr" >&2 &
    tt_tee_err=$!
    exec 8>"$tt_rec/stdout" 9>"$tt_rec/stderr"
else
    exec 8>&1 9>&2
fi

# The tool runs in the background so that a signal sent to this shim reaches it; an
# asynchronous command would read /dev/null, so its stdin is handed over explicitly.
tt_pid=
trap 'kill -TERM $tt_pid 2>/dev/null' TERM
trap 'kill -INT $tt_pid 2>/dev/null' INT
trap 'kill -HUP $tt_pid 2>/dev/null' HUP
exec 7<&0
PATH=$tt_path "$tt_real" "$@" <&7 >&8 2>&9 7<&- 8>&- 9>&- &
tt_pid=$!
exec 7<&- 8>&- 9>&-
wait "$tt_pid"
tt_status=$?
while kill -0 "$tt_pid" 2>/dev/null; do
    wait "$tt_pid"
    tt_status=$?
done
if [ -n "$tt_tee_out" ]; then
    wait "$tt_tee_out" "$tt_tee_err"
    rm -f "$tt_rec/stdout" "$tt_rec/stderr"
fi
tt_put ended "$(tt_now)"
tt_put exit "$tt_status"
exit "$tt_status"
)sh";

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(64 * 1024);
}

QDateTime readTime(const QString &path)
{
    const QByteArray text = readSmallFile(path).trimmed();
    if (text.isEmpty())
        return {};
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs);
}

} // namespace

QStringList defaultTools()
{
    return {u"git"_s,    u"npm"_s,     u"npx"_s,   u"yarn"_s, u"pnpm"_s,   u"node"_s,
            u"python"_s, u"python3"_s, u"pip"_s,   u"pip3"_s, u"pytest"_s, u"make"_s,
            u"cmake"_s,  u"ctest"_s,   u"cargo"_s, u"go"_s,   u"curl"_s,   u"wget"_s};
}

bool install(const QString &shimDir, const QString &callsDir, const QStringList &tools,
             QString *error)
{
    if (!QDir().mkpath(shimDir) || !QDir().mkpath(callsDir)) {
        *error = u"cannot create %1 or %2"_s.arg(shimDir, callsDir);
        return false;
    }
    const QString scriptPath = shimDir + u"/tasktrail-exec"_s;
    QSaveFile script(scriptPath);
    if (!script.open(QIODevice::WriteOnly) || script.write(shimScript) < 0 || !script.commit()) {
        *error = u"cannot write %1: %2"_s.arg(scriptPath, script.errorString());
        return false;
    }
    QFile::setPermissions(scriptPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ReadGroup | QFile::ExeGroup);
    for (const QString &tool : tools) {
        if (tool.isEmpty() || tool.contains(u'/') || tool == u"tasktrail-exec"_s ||
            tool.startsWith(u'.')) {
            *error = u"not a tool name: \"%1\""_s.arg(tool);
            return false;
        }
        const QString link = shimDir + u'/' + tool;
        QFile::remove(link);
        if (!QFile::link(u"tasktrail-exec"_s, link)) {
            *error = u"cannot create the shim %1"_s.arg(link);
            return false;
        }
    }
    return true;
}

QList<std::pair<QString, QString>> environment(const QString &shimDir, const QString &callsDir)
{
    return {{u"TASKTRAIL_SHIM_DIR"_s, shimDir}, {u"TASKTRAIL_CALLS_DIR"_s, callsDir}};
}

QList<RecordedCall> readCalls(const QString &callsDir, qint64 maxOutputBytes)
{
    QList<int> numbers;
    const QStringList entries = QDir(callsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const int number = entry.toInt(&ok);
        if (ok && number > 0)
            numbers.append(number);
    }
    std::sort(numbers.begin(), numbers.end());

    QList<RecordedCall> calls;
    for (const int number : std::as_const(numbers)) {
        const QString dir = callsDir + u'/' + QString::number(number) + u'/';
        RecordedCall call;
        call.index = int(calls.size()) + 1;
        QByteArray argv = readSmallFile(dir + u"argv"_s);
        if (argv.isEmpty())
            continue; // claimed, then killed before it wrote anything
        if (argv.endsWith('\0'))
            argv.chop(1);
        for (const QByteArray &arg : argv.split('\0'))
            call.argv.append(QString::fromUtf8(arg));
        call.cwd = QString::fromUtf8(readSmallFile(dir + u"cwd"_s));
        call.startedAt = readTime(dir + u"started"_s);
        call.endedAt = readTime(dir + u"ended"_s);
        bool ok = false;
        const int exitCode = readSmallFile(dir + u"exit"_s).trimmed().toInt(&ok);
        if (ok)
            call.exitCode = exitCode;
        QFile output(dir + u"output"_s);
        if (output.open(QIODevice::ReadOnly)) {
            call.output = output.read(maxOutputBytes);
            call.outputTruncated = !output.atEnd();
        }
        calls.append(call);
    }
    return calls;
}

} // namespace Tasktrail::CommandShim
