// MainWindow's views keep their layout: the splits and column widths of Findings, Campaigns
// and Compare Runs are saved at a close and restored at the next start, as DeskLayout does for
// the Runs desk.
#include "mainwindow.h"

#include "campaignview.h"
#include "compareview.h"
#include "findingsview.h"

namespace Tasktrail {

void MainWindow::restoreViewLayouts()
{
    m_findingsView->restoreLayout(m_settings->findingsLayoutState.value());
    m_campaignView->restoreLayout(m_settings->campaignLayoutState.value());
}

void MainWindow::saveViewLayouts()
{
    m_settings->findingsLayoutState.setValue(m_findingsView->saveLayout());
    m_settings->campaignLayoutState.setValue(m_campaignView->saveLayout());
    // A Compare Runs window still open saves its own as it closes with this one.
    for (CompareView *view : findChildren<CompareView *>())
        m_settings->compareLayoutState.setValue(view->saveLayout());
}

void MainWindow::keepCompareLayout(CompareView *view)
{
    view->restoreLayout(m_settings->compareLayoutState.value());
    connect(view, &CompareView::closing, this,
            [this, view] { m_settings->compareLayoutState.setValue(view->saveLayout()); });
}

} // namespace Tasktrail
