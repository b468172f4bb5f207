#include "copylink.h"

#include <QAbstractItemView>
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QItemSelectionModel>

using namespace Qt::StringLiterals;

namespace Tasktrail {

QString copyLinkToClipboard(const TasktrailLink &link)
{
    const QString url = toUrl(link);
    QClipboard *clipboard = QGuiApplication::clipboard();
    clipboard->setText(url);
    if (clipboard->supportsSelection())
        clipboard->setText(url, QClipboard::Selection);
    return url;
}

QAction *addCopyLinkAction(QAbstractItemView *view, LinkOfIndex linkOf)
{
    auto *action = new QAction(QAction::tr("Copy &Link"), view);
    action->setObjectName(u"copyLinkAction"_s);
    action->setToolTip(QAction::tr("Copy the tasktrail:// link of this row"));
    // Only the context menu offers it: the window's Edit > Copy Link has the shortcut.
    action->setShortcutContext(Qt::WidgetShortcut);
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    view->addAction(action);
    const auto current = [view, linkOf] { return linkOf(view->currentIndex()); };
    QObject::connect(action, &QAction::triggered, view, [current] {
        if (const auto link = current())
            copyLinkToClipboard(*link);
    });
    const auto update = [action, current] { action->setEnabled(current().has_value()); };
    update();
    if (QItemSelectionModel *selection = view->selectionModel())
        QObject::connect(selection, &QItemSelectionModel::currentChanged, action, update);
    // Rows replaced under the current index (a reload) change what it stands for.
    if (QAbstractItemModel *model = view->model()) {
        QObject::connect(model, &QAbstractItemModel::modelReset, action, update);
        QObject::connect(model, &QAbstractItemModel::dataChanged, action, update);
    }
    return action;
}

LinkOfIndex linkFromRole(TasktrailLink::Kind kind, int role)
{
    return [kind, role](const QModelIndex &index) -> std::optional<TasktrailLink> {
        if (!index.isValid())
            return std::nullopt;
        const QVariant value = index.data(role);
        if (kind == TasktrailLink::Kind::Finding) {
            const qint64 row = value.toLongLong();
            if (row <= 0)
                return std::nullopt;
            return TasktrailLink{kind, QString::number(row)};
        }
        const QString id = value.toString();
        if (id.isEmpty())
            return std::nullopt;
        return TasktrailLink{kind, id};
    };
}

} // namespace Tasktrail
