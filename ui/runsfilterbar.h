#pragma once

#include "records/summaries.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QToolButton;
class QTimer;

namespace Tasktrail {

// The runs table's filter: free text, one choice per facet (state, repository, identity kind,
// policy, campaign) and a time range; a chart of the Overview adds its pull-request terms
// (TaskFilter::pullRequest ...), shown as one button that clears them. It never reads the database;
// whoever has the facet values hands them over with setFacetValues(), and every change is announced
// as a whole TaskFilter.
class RunsFilterBar final : public QWidget
{
    Q_OBJECT

public:
    explicit RunsFilterBar(QWidget *parent = nullptr);
    ~RunsFilterBar() override;

    // Replaces a facet's choices; the current choice stays when it is still offered.
    void setFacetValues(TaskFacet facet, const QStringList &values);
    QStringList facetValues(TaskFacet facet) const;

    TaskFilter filter() const;
    void setFilter(const TaskFilter &filter);

    // Typing waits this long for the next key before the filter changes.
    static constexpr int textDelayMs = 250;

Q_SIGNALS:
    void filterChanged(const Tasktrail::TaskFilter &filter);

private:
    QComboBox *combo(TaskFacet facet) const;
    QComboBox *addCombo(const QString &name, const QString &label);
    void announce();
    void showPullRequestTerms();

    QLineEdit *m_text = nullptr;
    QComboBox *m_state = nullptr;
    QComboBox *m_repo = nullptr;
    QComboBox *m_identityKind = nullptr;
    QComboBox *m_policy = nullptr;
    QComboBox *m_campaign = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QTimer *m_textTimer = nullptr;
    QToolButton *m_pullRequest = nullptr;
    TaskFilter m_pullRequestTerms; // only its pull-request fields are set
    TaskFilter m_announced;
    bool m_updating = false;
};

} // namespace Tasktrail
