#include "layoutstate.h"

#include <QDataStream>
#include <QHeaderView>
#include <QIODevice>
#include <QSplitter>

namespace Tasktrail {
namespace {

constexpr quint32 layoutMagic = 0x54544c31; // "TTL1"

} // namespace

QByteArray saveLayoutState(const LayoutParts &parts)
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << layoutMagic << qint32(parts.splitters.size()) << qint32(parts.headers.size());
    for (const QSplitter *splitter : parts.splitters)
        out << splitter->saveState();
    for (const QHeaderView *header : parts.headers)
        out << header->saveState();
    return state;
}

bool restoreLayoutState(const LayoutParts &parts, const QByteArray &state)
{
    if (state.isEmpty())
        return false;
    QDataStream in(state);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    qint32 splitters = -1;
    qint32 headers = -1;
    in >> magic >> splitters >> headers;
    if (in.status() != QDataStream::Ok || magic != layoutMagic ||
        splitters != parts.splitters.size() || headers != parts.headers.size())
        return false;
    QList<QByteArray> states(splitters + headers);
    for (QByteArray &s : states)
        in >> s;
    if (in.status() != QDataStream::Ok)
        return false;
    for (qsizetype i = 0; i < parts.splitters.size(); ++i)
        parts.splitters.at(i)->restoreState(states.at(i));
    for (qsizetype i = 0; i < parts.headers.size(); ++i)
        parts.headers.at(i)->restoreState(states.at(splitters + i));
    return true;
}

} // namespace Tasktrail
