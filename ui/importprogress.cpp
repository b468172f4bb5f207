#include "importprogress.h"

#include "importcontroller.h"

#include <QHBoxLayout>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace Tasktrail {

ImportProgress::ImportProgress(ImportController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_bar(new QProgressBar(this))
    , m_cancelButton(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_bar->setObjectName(u"importProgressBar"_s);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(true);
    m_bar->setMinimumWidth(fontMetrics().horizontalAdvance(u"100.0% · 59m 59s left"_s) + 24);
    layout->addWidget(m_bar);

    m_cancelButton->setObjectName(u"importCancelButton"_s);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop the import; the batch being written is undone"));
    m_cancelButton->setAutoRaise(true);
    layout->addWidget(m_cancelButton);

    connect(m_cancelButton, &QToolButton::clicked, this, &ImportProgress::cancelRequested);
    connect(m_controller, &ImportController::started, this, &ImportProgress::importStarted);
    connect(m_controller, &ImportController::progress, this, &ImportProgress::showProgress);
    connect(m_controller, &ImportController::finished, this, &ImportProgress::importFinished);

    // Explicitly hidden, so a status bar that adds this widget leaves it hidden.
    setVisible(m_controller->isRunning());
}

ImportProgress::~ImportProgress() = default;

int ImportProgress::permille() const
{
    return m_bar->value();
}

QString ImportProgress::text() const
{
    return m_bar->text();
}

void ImportProgress::importStarted()
{
    m_bar->setValue(0);
    m_bar->setFormat(tr("Importing…"));
    m_bar->setToolTip({});
    m_cancelButton->setEnabled(true);
    show();
}

void ImportProgress::showProgress(int permille, const QString &etaText)
{
    m_bar->setValue(permille);
    if (!m_cancelButton->isEnabled())
        return; // keeps saying "Cancelling…"
    // Per mille, as the controller reports it: on a big import whole percents sit still.
    const QString percent = QLocale().toString(permille / 10.0, 'f', 1) % u'%';
    m_bar->setFormat(etaText.isEmpty() ? percent : tr("%1 · %2").arg(percent, etaText));
    m_bar->setToolTip(etaText);
}

void ImportProgress::cancelRequested()
{
    m_controller->cancel();
    m_cancelButton->setEnabled(false);
    m_bar->setFormat(tr("Cancelling…"));
}

void ImportProgress::importFinished()
{
    hide();
    m_bar->reset();
    m_cancelButton->setEnabled(true);
}

} // namespace Tasktrail
