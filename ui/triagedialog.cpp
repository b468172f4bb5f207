#include "triagedialog.h"

#include "findingsmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace Tasktrail {

TriageDialog::TriageDialog(int count, TriageState current, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"triageDialog"_s);
    setWindowTitle(count == 1 ? tr("Triage a finding") : tr("Triage %L1 findings").arg(count));
    m_state = new QComboBox(this);
    m_state->setObjectName(u"triageState"_s);
    for (const TriageState s : allTriageStates())
        m_state->addItem(FindingsModel::triageText(s), int(s));
    setState(current);
    m_note = new QLineEdit(this);
    m_note->setObjectName(u"triageNote"_s);
    m_note->setPlaceholderText(tr("Why (kept with the change, in the evidence chain)"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("State"), m_state);
    form->addRow(tr("Note"), m_note);
    form->addRow(buttons);
}

TriageState TriageDialog::state() const
{
    return TriageState(m_state->currentData().toInt());
}

QString TriageDialog::note() const
{
    return m_note->text().trimmed();
}

void TriageDialog::setState(TriageState state)
{
    m_state->setCurrentIndex(std::max(0, m_state->findData(int(state))));
}

void TriageDialog::setNote(const QString &note)
{
    m_note->setText(note);
}

} // namespace Tasktrail
