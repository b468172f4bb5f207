#pragma once

#include "ingest/ingestissue.h"

#include <QWidget>

class QProgressBar;
class QToolButton;

namespace Tasktrail {

class ImportController;

// A progress bar with the time left and a Cancel button, for the status bar. It shows itself
// while the controller imports and hides when the import has finished.
class ImportProgress final : public QWidget
{
    Q_OBJECT

public:
    // The controller is not owned and must outlive this widget or be its parent's child.
    explicit ImportProgress(ImportController *controller, QWidget *parent = nullptr);
    ~ImportProgress() override;

    int permille() const;
    // The text on the bar, e.g. "42.5% · 1m 05s left".
    QString text() const;

private:
    void importStarted();
    void showProgress(int permille, const QString &etaText);
    void cancelRequested();
    void importFinished();

    ImportController *m_controller = nullptr;
    QProgressBar *m_bar = nullptr;
    QToolButton *m_cancelButton = nullptr;
};

} // namespace Tasktrail
