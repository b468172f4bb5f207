#pragma once

#include "records/finding.h"

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace Tasktrail {

// Asks for the triage of the selected findings: the new state and a note. Writes nothing:
// the findings view sends what it answers to the database.
class TriageDialog final : public QDialog
{
    Q_OBJECT

public:
    // `count` findings are selected; `current` preselects a state they share.
    TriageDialog(int count, TriageState current, QWidget *parent = nullptr);

    TriageState state() const;
    QString note() const;
    void setState(TriageState state);
    void setNote(const QString &note);

private:
    QComboBox *m_state = nullptr;
    QLineEdit *m_note = nullptr;
};

} // namespace Tasktrail
