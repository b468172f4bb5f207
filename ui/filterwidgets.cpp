#include "filterwidgets.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTimeEdit>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail::FilterWidgets {
namespace {

QDateTime anyTime()
{
    return QDateTime(QDate(2000, 1, 1), QTime(0, 0), QTimeZone::utc());
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Tasktrail::FilterWidgets", text);
}

} // namespace

QDateTimeEdit *timeEdit(const QString &objectName, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(parent);
    edit->setObjectName(objectName);
    // setTimeZone() replaces setTimeSpec() only from Qt 6.7 on, and Qt 6.4 is still supported.
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    edit->setTimeSpec(Qt::UTC);
    QT_WARNING_POP
    edit->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    edit->setCalendarPopup(true);
    edit->setMinimumDateTime(anyTime());
    edit->setSpecialValueText(tr("any"));
    edit->setDateTime(anyTime());
    return edit;
}

QDateTime timeOf(const QDateTimeEdit *edit)
{
    return edit->dateTime() <= anyTime() ? QDateTime() : edit->dateTime();
}

void setTime(QDateTimeEdit *edit, const QDateTime &time)
{
    edit->setDateTime(time.isValid() ? time.toUTC() : anyTime());
}

QComboBox *choiceCombo(const QString &objectName, const QString &label, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->setObjectName(objectName);
    box->setToolTip(label);
    // Repository and policy names can be long; the text boxes keep the room they need.
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(8);
    box->addItem(tr("Any %1").arg(label.toLower()), QString());
    return box;
}

QString choice(const QComboBox *box)
{
    return box->currentData().toString();
}

void choose(QComboBox *box, const QString &value)
{
    const int index = box->findData(value);
    if (index >= 0) {
        box->setCurrentIndex(index);
        return;
    }
    box->addItem(value, value);
    box->setCurrentIndex(box->count() - 1);
}

} // namespace Tasktrail::FilterWidgets
