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

class AsyncQuery;
class LogHighlighter;
class RecordStore;

// The approved templates and policies on file, every version of each: the text in force for a
// version, highlighted, and what changed from the version before it. The documents are read on
// the view's query thread.
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

    // The database read (on a connection of the view's own; `store` is not kept); nullptr
    // clears the view.
    void setStore(RecordStore *store);
    void reload();
    bool isLoading() const;

    // Selects and shows a version; an empty version means the newest. False, and
    // documentNotFound(), when it is not on file; while the documents are being read, it is
    // shown (or reported missing) once they are.
    bool showDocument(PolicyDocument::Kind kind, const QString &id, const QString &version = {});

    // What is shown: the document's text, the diff from its previous version (empty for the
    // first version), and the header line.
    QString text() const;
    QString changes() const;
    QString header() const;
    QStandardItemModel *model() const { return m_model; }

Q_SIGNALS:
    void loaded();
    void documentNotFound(Tasktrail::PolicyDocument::Kind kind, const QString &id,
                          const QString &version);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Wanted
    {
        PolicyDocument::Kind kind = PolicyDocument::Kind::Template;
        QString id;
        QString version;
    };
    void showDocuments(const QList<PolicyDocument> &documents);
    bool selectDocument(const Wanted &wanted);
    void showRow(const QModelIndex &index);
    const PolicyDocument *previousVersion(const PolicyDocument &doc) const;

    AsyncQuery *m_queries = nullptr;
    std::optional<Wanted> m_wanted; // asked for while the documents were being read
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
