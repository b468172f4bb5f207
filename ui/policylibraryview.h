#pragma once

#include "records/templatespec.h"

#include <QList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStandardItemModel;
class QTabWidget;
class QTreeView;

namespace Tasktrail {

class LogHighlighter;
class RecordStore;

// The approved templates and policies on file, every version of each: the text in force for a
// version, highlighted, and what changed from the version before it.
class PolicyLibraryView final : public QWidget
{
    Q_OBJECT

public:
    enum Role
    {
        KindRole = Qt::UserRole, // int (PolicyDocument::Kind), on version rows
        IdRole,
        VersionRole,
    };

    explicit PolicyLibraryView(QWidget *parent = nullptr);
    ~PolicyLibraryView() override;

    // Not owned; nullptr clears the view.
    void setStore(RecordStore *store);
    void reload();

    // Selects and shows a version; an empty version means the newest. False when it is not on
    // file.
    bool showDocument(PolicyDocument::Kind kind, const QString &id, const QString &version = {});

    // What is shown: the document's text, the diff from its previous version (empty for the
    // first version), and the header line.
    QString text() const;
    QString changes() const;
    QString header() const;
    QStandardItemModel *model() const { return m_model; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void showRow(const QModelIndex &index);
    const PolicyDocument *previousVersion(const PolicyDocument &doc) const;

    RecordStore *m_store = nullptr;
    QList<PolicyDocument> m_documents;
    QStandardItemModel *m_model = nullptr;
    QTreeView *m_tree = nullptr;
    QLabel *m_header = nullptr;
    QTabWidget *m_pages = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPlainTextEdit *m_changes = nullptr;
    std::unique_ptr<LogHighlighter> m_highlighter;
};

} // namespace Tasktrail
