// MainWindow's tasktrail:// links out: Edit > Copy Link and the runs table's context menu put
// the link of what is on screen on the clipboard, for a pull-request comment or a ticket.
#include "mainwindow.h"

#include "campaignreposmodel.h"
#include "campaignview.h"
#include "copylink.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "runsmodel.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

constexpr int copiedMessageMs = 10000;

} // namespace

void MainWindow::createEditMenu()
{
    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction *copyLink = editMenu->addAction(tr("Copy &Link"));
    copyLink->setObjectName(u"editCopyLinkAction"_s);
    copyLink->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_C);
    copyLink->setStatusTip(tr("Copy the tasktrail:// link of the run, finding or campaign shown"));
    connect(copyLink, &QAction::triggered, this, &MainWindow::copyCurrentLink);
    addCopyLinkAction(m_table, linkFromRole(TasktrailLink::Kind::Task, RunsModel::TaskIdRole));
}

std::optional<TasktrailLink> MainWindow::currentLink() const
{
    QWidget *tab = m_tabs->currentWidget();
    if (tab == m_findingsView)
        return linkFromRole(TasktrailLink::Kind::Finding,
                            FindingsModel::FindingIdRole)(m_findingsView->table()->currentIndex());
    if (tab == m_campaignView) {
        // The repositories' table, when it has the focus, stands for the run of its row.
        const auto *repos = m_campaignView->findChild<QTreeView *>(u"reposTable"_s);
        if (repos && repos->hasFocus())
            if (auto run = linkFromRole(TasktrailLink::Kind::Task,
                                        CampaignReposModel::TaskIdRole)(repos->currentIndex()))
                return run;
        if (const QString id = m_campaignView->currentCampaignId(); !id.isEmpty())
            return TasktrailLink{TasktrailLink::Kind::Campaign, id};
        return std::nullopt;
    }
    if (tab && tab->isAncestorOf(m_table))
        if (const QString id = shownTask(); !id.isEmpty())
            return TasktrailLink{TasktrailLink::Kind::Task, id};
    return std::nullopt;
}

void MainWindow::copyCurrentLink()
{
    const auto link = currentLink();
    if (!link) {
        statusBar()->showMessage(tr("Show a run, a finding or a campaign to copy its link."),
                                 copiedMessageMs);
        return;
    }
    statusBar()->showMessage(tr("Copied %1").arg(copyLinkToClipboard(*link)), copiedMessageMs);
}

} // namespace Tasktrail
