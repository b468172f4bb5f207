#pragma once

#include <QString>
#include <QWidget>

class QTextBrowser;

namespace Tasktrail {

struct TaskChain;

// Read-only account of one task: request -> identity -> policy -> commands -> PR.
// Every recorded value is escaped before it reaches the rich-text view: prompts, log-derived
// strings and PR titles come from outside and must render as text, never as markup.
class ChainPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ChainPanel(QWidget *parent = nullptr);
    ~ChainPanel() override;

    void showChain(const TaskChain &chain);
    void showMissingTask(const QString &taskId);
    // The selected row's task is still being read: no chain rather than another task's.
    void showLoading();
    void clear();

    // The document as a reader sees it, and the HTML it was built from.
    QString plainText() const;
    QString html() const { return m_html; }

    // Builds the panel's HTML for a chain; every value in it is escaped.
    static QString chainHtml(const TaskChain &chain);

private:
    void setHtml(const QString &html);

    QTextBrowser *m_view = nullptr;
    QString m_html;
};

} // namespace Tasktrail
