#pragma once

#include <QDateTime>
#include <QString>

class QComboBox;
class QDateTimeEdit;
class QWidget;

namespace Tasktrail::FilterWidgets {

// Filter bars share these: a time edit at its minimum reads "any" (QDateTimeEdit's special
// value, so no extra checkbox is needed), and a combo box's choice is its item data, the first
// item ("any") holding an empty string.
QDateTimeEdit *timeEdit(const QString &objectName, QWidget *parent);
// The edit's time, or an invalid QDateTime for "any".
QDateTime timeOf(const QDateTimeEdit *edit);
void setTime(QDateTimeEdit *edit, const QDateTime &time);

// A combo whose first item is "any"; `label` names it in the tooltip and the "any" text.
QComboBox *choiceCombo(const QString &objectName, const QString &label, QWidget *parent);
QString choice(const QComboBox *box);
// Selects `value`, adding it when the combo does not list it (yet), so a filter naming it
// is not lost.
void choose(QComboBox *box, const QString &value);

} // namespace Tasktrail::FilterWidgets
