#include "confirmationpanel.h"

#include "launch/createguard.h"

#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {

ConfirmationPanel::ConfirmationPanel(QWidget *parent)
    : QGroupBox(tr("Needs confirmation: did GitHub create this task?"), parent)
{
    setObjectName(u"confirmationPanel"_s);
    m_evidence = new QLabel(this);
    m_evidence->setObjectName(u"confirmationEvidence"_s);
    m_evidence->setTextFormat(Qt::PlainText); // GitHub's words and task names are not markup
    m_evidence->setWordWrap(true);
    m_evidence->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_candidates = new QTreeWidget(this);
    m_candidates->setObjectName(u"confirmationCandidates"_s);
    m_candidates->setRootIsDecorated(false);
    m_candidates->setHeaderLabels({tr("Task"), tr("Created"), tr("State"), tr("Name"), tr("Why")});
    connect(m_candidates, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            m_remoteId->setText(item->text(0));
    });

    m_remoteId = new QLineEdit(this);
    m_remoteId->setObjectName(u"confirmationRemoteId"_s);
    m_remoteId->setPlaceholderText(tr("The task's id at GitHub"));
    connect(m_remoteId, &QLineEdit::textChanged, this, &ConfirmationPanel::updateButtons);

    m_created = new QPushButton(tr("Confirm &Created"), this);
    m_created->setObjectName(u"confirmCreatedButton"_s);
    m_created->setToolTip(tr("GitHub created the task with this id: the queue follows it and "
                             "creates nothing."));
    connect(m_created, &QPushButton::clicked, this,
            [this] { Q_EMIT answered(m_taskId, m_remoteId->text().trimmed()); });
    m_notCreated = new QPushButton(tr("Confirm &Not Created"), this);
    m_notCreated->setObjectName(u"confirmNotCreatedButton"_s);
    m_notCreated->setToolTip(tr("GitHub did not create the task: the queue creates it once more."));
    connect(m_notCreated, &QPushButton::clicked, this,
            [this] { Q_EMIT answered(m_taskId, QString()); });

    auto *answer = new QHBoxLayout;
    answer->addWidget(new QLabel(tr("Remote id:"), this));
    answer->addWidget(m_remoteId, 1);
    answer->addWidget(m_created);
    answer->addWidget(m_notCreated);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_evidence);
    layout->addWidget(m_candidates, 1);
    layout->addLayout(answer);
    updateButtons();
}

ConfirmationPanel::~ConfirmationPanel() = default;

void ConfirmationPanel::setEvidence(const QString &taskId, const QList<LaunchAttempt> &attempts)
{
    const QString text = CreateGuard::evidence(attempts, false).join(u'\n');
    if (taskId == m_taskId && text == m_shown)
        return;
    m_taskId = taskId;
    m_shown = text;
    m_evidence->setText(text);
    m_candidates->clear();
    m_remoteId->clear();
    const QJsonArray candidates = attempts.isEmpty() ? QJsonArray() : attempts.last().candidates;
    for (const QJsonValue &v : candidates) {
        const QJsonObject c = v.toObject();
        auto *item = new QTreeWidgetItem(m_candidates);
        int column = 0;
        for (const char *key : {"id", "created_at", "state", "name", "why"})
            item->setText(column++, c.value(QLatin1StringView(key)).toString());
        item->setToolTip(4, CreateGuard::candidateText(c));
    }
    updateButtons();
}

void ConfirmationPanel::setAnswering(bool answering)
{
    m_answering = answering;
    updateButtons();
}

QString ConfirmationPanel::evidenceText() const
{
    return m_evidence->text();
}

void ConfirmationPanel::updateButtons()
{
    const bool open = !m_taskId.isEmpty() && !m_answering;
    m_created->setEnabled(open && !m_remoteId->text().trimmed().isEmpty());
    m_notCreated->setEnabled(open);
}

} // namespace Tasktrail
