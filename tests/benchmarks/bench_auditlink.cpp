// Audit-event correlation benchmark. Not a test: run it by hand, see README.md ("Benchmark").
//
//   bench_auditlink [--tasks 100000] [--events 1000000] [--work DIR]
//
// Builds a store with that many tasks (2,000 identities, a fifth of the tasks on five shared
// automation tokens, so runs overlap) and audit events (most made by a run's token inside its
// window, the rest by token id, by actor and repository, or by nobody Tasktrail knows), then
// measures:
//   1. the first linkAuditEvents() over all of it;
//   2. an incremental run after 10,000 new events and 1,000 tasks completed later;
//   3. a run with nothing new;
//   4. auditEvents(task) and unlinkedAuditEvents(100) latency.
#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimeZone>

#include <cstdio>
#include <functional>
#include <random>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr qint64 minute = 60 * 1000;
constexpr qint64 day = 24 * 60 * minute;
constexpr qint64 epoch = 1767225600000; // 2026-01-01
constexpr int identities = 2000;
constexpr int sharedTokens = 5;
constexpr int repos = 3000;

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

QString hashOf(int identity)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray("token-" + QByteArray::number(identity)),
                                 QCryptographicHash::Sha256)
            .toBase64());
}

QString principalOf(int identity)
{
    return identity < sharedTokens ? u"automation-%1[bot]"_s.arg(identity)
                                   : u"user-%1"_s.arg(identity);
}

QString repoName(int r)
{
    return u"org-%1/repo-%2"_s.arg(r % 40).arg(r);
}

struct Plan
{
    int identity = 0;
    int repo = 0;
    qint64 startMs = 0;
    qint64 endMs = 0; // 0: still running
};

class Builder
{
public:
    Builder(RecordStore &store, quint64 seed)
        : m_store(store)
        , m_rng(seed)
    {}

    qint64 between(qint64 low, qint64 high)
    {
        return low + qint64(m_rng() % quint64(high - low + 1));
    }

    bool batch(qint64 count, const std::function<bool(qint64)> &write)
    {
        for (qint64 i = 0; i < count; i += 50000) {
            if (!m_store.beginBatch())
                return false;
            for (qint64 j = i; j < std::min(count, i + 50000); ++j) {
                if (!write(j))
                    return false;
            }
            if (!m_store.commitBatch())
                return false;
        }
        return true;
    }

    bool identitiesAndTasks(qint64 tasks)
    {
        const bool ok = batch(identities, [this](qint64 i) {
            IdentityRecord r;
            r.id = u"id-%1"_s.arg(i);
            r.kind = IdentityKind::FineGrainedPat;
            r.principal = principalOf(int(i));
            r.hashedToken = hashOf(int(i));
            r.tokenId = QString::number(100000 + i);
            return m_store.writeIdentity(r);
        });
        m_plans.resize(std::size_t(tasks));
        return ok && batch(tasks, [this](qint64 i) {
                   Plan &p = m_plans[std::size_t(i)];
                   p.identity = int(between(0, 4) == 0 ? between(0, sharedTokens - 1)
                                                       : between(sharedTokens, identities - 1));
                   p.repo = int(between(0, repos - 1));
                   p.startMs = epoch + between(0, 365 * day);
                   p.endMs = between(0, 19) == 0 ? 0 : p.startMs + between(5 * minute, 60 * minute);
                   return writeTask(i);
               });
    }

    bool writeTask(qint64 i)
    {
        const Plan &p = m_plans[std::size_t(i)];
        TaskRecord t;
        t.id = u"task-%1"_s.arg(i);
        t.repo = repoName(p.repo);
        t.identityId = u"id-%1"_s.arg(p.identity);
        t.createdAt = at(p.startMs - between(minute, 3 * minute));
        t.startedAt = at(p.startMs);
        if (p.endMs)
            t.completedAt = at(p.endMs);
        return m_store.writeTask(t);
    }

    bool events(qint64 first, qint64 count)
    {
        return batch(count, [this, first](qint64 i) {
            AuditEvent e;
            e.id = u"event-%1"_s.arg(first + i);
            e.action = u"api.request"_s;
            const qint64 kind = between(0, 9);
            const Plan &p = m_plans[std::size_t(between(0, qint64(m_plans.size()) - 1))];
            const qint64 end = p.endMs ? p.endMs : p.startMs + 30 * minute;
            e.at = at(between(p.startMs, end));
            e.repo = between(0, 19) == 0 ? repoName(int(between(0, repos - 1))) : repoName(p.repo);
            if (kind < 7) { // the run's token
                e.hashedToken = hashOf(p.identity);
                e.actor = principalOf(p.identity);
                if (between(0, 1))
                    e.tokenId = QString::number(100000 + p.identity);
            } else if (kind == 7) { // token id only
                e.tokenId = QString::number(100000 + p.identity);
                e.actor = principalOf(p.identity);
            } else if (kind == 8) { // actor and repository only
                e.actor = principalOf(p.identity);
                e.repo = repoName(p.repo);
            } else { // a person Tasktrail knows nothing about
                e.actor = u"person-%1"_s.arg(between(0, 500));
                e.at = at(epoch + between(0, 365 * day));
            }
            bool inserted = false;
            return m_store.writeAuditEvent(e, &inserted);
        });
    }

    bool completeLater(int count)
    {
        return batch(count, [this](qint64) {
            const qint64 i = between(0, qint64(m_plans.size()) - 1);
            Plan &p = m_plans[std::size_t(i)];
            p.endMs = (p.endMs ? p.endMs : p.startMs) + between(10 * minute, 120 * minute);
            return writeTask(i);
        });
    }

    qint64 tasks() const { return qint64(m_plans.size()); }

private:
    RecordStore &m_store;
    std::mt19937_64 m_rng;
    std::vector<Plan> m_plans;
};

double timed(const std::function<bool()> &work, bool *ok)
{
    QElapsedTimer clock;
    clock.start();
    *ok = work() && *ok;
    return double(clock.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"tasks"_s, u"Tasks."_s, u"N"_s, u"100000"_s});
    parser.addOption({u"events"_s, u"Audit events."_s, u"N"_s, u"1000000"_s});
    parser.addOption(
        {u"work"_s, u"Directory for the database (default: a temporary one)."_s, u"DIR"_s});
    parser.process(app);
    QTemporaryDir temp;
    const QString dir = parser.isSet(u"work"_s) ? parser.value(u"work"_s) : temp.path();
    const QString path = dir + u"/bench-audit.db"_s;
    QFile::remove(path);
    QString error;
    auto store = openStore(path, &error);
    if (!store) {
        say(error);
        return 1;
    }
    Builder build(*store, 20261124);
    const qint64 eventCount = parser.value(u"events"_s).toLongLong();
    bool ok = true;
    const double setup = timed(
        [&] {
            return build.identitiesAndTasks(parser.value(u"tasks"_s).toLongLong()) &&
                   build.events(0, eventCount);
        },
        &ok);
    say(u"store: %1 tasks, %2 events written in %3 s"_s.arg(build.tasks())
            .arg(eventCount)
            .arg(setup, 0, 'f', 1));
    const auto link = [&] {
        return store->beginBatch() && store->linkAuditEvents(nullptr) && store->commitBatch();
    };
    const double full = timed(link, &ok);
    say(u"first link, all events:              %1 s"_s.arg(full, 0, 'f', 2));
    const double more = timed([&] { return build.events(eventCount, 10000); }, &ok);
    const double later = timed([&] { return build.completeLater(1000); }, &ok);
    const double incremental = timed(link, &ok);
    say(u"10,000 new events (%1 s to write), 1,000 tasks completed later (%2 s):"_s
            .arg(more, 0, 'f', 2)
            .arg(later, 0, 'f', 2));
    say(u"incremental link:                    %1 s"_s.arg(incremental, 0, 'f', 2));
    const double idle = timed(link, &ok);
    say(u"link with nothing new:               %1 s"_s.arg(idle, 0, 'f', 2));

    qint64 links = 0;
    const double queries = timed(
        [&] {
            for (int i = 0; i < 1000; ++i)
                links +=
                    store->auditEvents(u"task-%1"_s.arg(qint64(i) * 97 % build.tasks())).size();
            return true;
        },
        &ok);
    say(u"auditEvents(task): %1 ms each (%2 links over 1,000 tasks)"_s.arg(queries, 0, 'f', 3)
            .arg(links));
    const double unlinked = timed([&] { return !store->unlinkedAuditEvents(100).isEmpty(); }, &ok);
    say(u"unlinkedAuditEvents(100): %1 ms"_s.arg(unlinked * 1000, 0, 'f', 1));
    if (!ok)
        say(u"failed: "_s + store->errorString());
    return ok ? 0 : 1;
}
