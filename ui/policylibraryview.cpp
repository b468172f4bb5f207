#include "policylibraryview.h"

#include "asyncquery.h"
#include "displaytext.h"
#include "highlight/loghighlighter.h"
#include "store/recordstore.h"
#include "text/textdiff.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QPlainTextEdit *textPage(const QString &name, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

QString kindTitle(PolicyDocument::Kind kind)
{
    return kind == PolicyDocument::Kind::Template ? PolicyLibraryView::tr("Templates")
                                                  : PolicyLibraryView::tr("Policies");
}

} // namespace

PolicyLibraryView::PolicyLibraryView(QWidget *parent)
    : QWidget(parent)
    , m_queries(new AsyncQuery(this))
    , m_model(new QStandardItemModel(this))
    , m_highlighter(std::make_unique<LogHighlighter>(palette()))
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_tree = new QTreeView(splitter);
    m_tree->setObjectName(u"policyTree"_s);
    m_tree->setModel(m_model);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setUniformRowHeights(true);

    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_header = new QLabel(right);
    m_header->setObjectName(u"policyHeader"_s);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    m_pages = new QTabWidget(right);
    m_text = textPage(u"policyText"_s, m_pages);
    m_changes = textPage(u"policyChanges"_s, m_pages);
    m_pages->addTab(m_text, tr("Text"));
    m_pages->addTab(m_changes, tr("Changes from the previous version"));
    m_highlighter->highlight(m_text->document(), HighlightKind::Toml);
    m_highlighter->highlight(m_changes->document(), HighlightKind::UnifiedDiff);
    rightLayout->addWidget(m_header);
    rightLayout->addWidget(m_pages, 1);
    splitter->addWidget(m_tree);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &PolicyLibraryView::showRow);
    reload();
}

PolicyLibraryView::~PolicyLibraryView() = default;

void PolicyLibraryView::setStore(RecordStore *store)
{
    m_queries->setDatabase(store ? store->location() : QString());
    reload();
}

bool PolicyLibraryView::isLoading() const
{
    return m_queries->isPending(0);
}

void PolicyLibraryView::reload()
{
    if (m_queries->database().isEmpty()) {
        m_queries->cancel(0);
        showDocuments({});
        return;
    }
    m_queries->run(
        0, this,
        [](RecordStore &store) {
            QList<PolicyDocument> documents = store.policyDocuments(PolicyDocument::Kind::Template);
            documents << store.policyDocuments(PolicyDocument::Kind::Policy);
            return documents;
        },
        [this](const QList<PolicyDocument> &documents) { showDocuments(documents); });
}

void PolicyLibraryView::showDocuments(const QList<PolicyDocument> &documents)
{
    m_documents.clear();
    m_model->clear();
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Loaded")});
    m_text->clear();
    m_changes->clear();
    const bool open = !m_queries->database().isEmpty();
    m_header->setText(open ? tr("Choose a template or policy version.")
                           : tr("No database is open."));
    if (open) {
        for (const auto kind : {PolicyDocument::Kind::Template, PolicyDocument::Kind::Policy}) {
            auto *kindItem = new QStandardItem(kindTitle(kind));
            kindItem->setSelectable(false);
            QMap<QString, QStandardItem *> ids;
            for (const PolicyDocument &doc : documents) {
                if (doc.kind != kind)
                    continue;
                QStandardItem *&idItem = ids[doc.id];
                if (!idItem) {
                    idItem = new QStandardItem(
                        doc.name.isEmpty() ? doc.id : tr("%1 (%2)").arg(doc.id, doc.name));
                    idItem->setSelectable(false);
                    kindItem->appendRow({idItem, new QStandardItem});
                }
                auto *version = new QStandardItem(tr("version %1").arg(doc.version));
                version->setData(int(kind), KindRole);
                version->setData(doc.id, IdRole);
                version->setData(doc.version, VersionRole);
                idItem->appendRow(
                    {version, new QStandardItem(DisplayText::timestamp(doc.loadedAt))});
                m_documents << doc;
            }
            m_model->appendRow({kindItem, new QStandardItem});
        }
        m_tree->expandAll();
        m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    }
    if (const std::optional<Wanted> wanted = std::exchange(m_wanted, std::nullopt))
        selectDocument(*wanted);
    Q_EMIT loaded();
}

bool PolicyLibraryView::showDocument(PolicyDocument::Kind kind, const QString &id,
                                     const QString &version)
{
    const Wanted wanted{kind, id, version};
    if (isLoading()) {
        m_wanted = wanted;
        return true;
    }
    return selectDocument(wanted);
}

bool PolicyLibraryView::selectDocument(const Wanted &wanted)
{
    // Rows are newest first, so the first version row of the id is the newest.
    const QModelIndexList rows = m_model->match(m_model->index(0, 0), IdRole, wanted.id, -1,
                                                Qt::MatchExactly | Qt::MatchRecursive);
    for (const QModelIndex &row : rows) {
        if (row.data(KindRole).toInt() != int(wanted.kind))
            continue;
        if (!wanted.version.isEmpty() && row.data(VersionRole).toString() != wanted.version)
            continue;
        m_tree->setCurrentIndex(row);
        m_tree->scrollTo(row);
        return true;
    }
    Q_EMIT documentNotFound(wanted.kind, wanted.id, wanted.version);
    return false;
}

const PolicyDocument *PolicyLibraryView::previousVersion(const PolicyDocument &doc) const
{
    // m_documents holds each kind's versions newest loaded first: the previous version of a
    // document is the next one of the same id after it.
    bool seen = false;
    for (const PolicyDocument &other : m_documents) {
        if (other.kind != doc.kind || other.id != doc.id)
            continue;
        if (seen)
            return &other;
        seen = other.version == doc.version;
    }
    return nullptr;
}

void PolicyLibraryView::showRow(const QModelIndex &index)
{
    const QModelIndex first = index.siblingAtColumn(0);
    const QString id = first.data(IdRole).toString();
    if (id.isEmpty())
        return;
    const auto kind = PolicyDocument::Kind(first.data(KindRole).toInt());
    const QString version = first.data(VersionRole).toString();
    for (const PolicyDocument &doc : std::as_const(m_documents)) {
        if (doc.kind != kind || doc.id != id || doc.version != version)
            continue;
        m_header->setText(tr("%1@%2 · SHA-256 %3 · loaded %4 from %5")
                              .arg(doc.id, doc.version, doc.digest,
                                   DisplayText::timestamp(doc.loadedAt), doc.sourcePath));
        m_text->setPlainText(doc.text);
        const PolicyDocument *previous = previousVersion(doc);
        m_changes->setPlainText(previous ? tr("Changes from version %1:\n").arg(previous->version) %
                                               unifiedDiff(previous->text, doc.text)
                                         : tr("This is the first version on file."));
        return;
    }
}

QString PolicyLibraryView::text() const
{
    return m_text->toPlainText();
}

QString PolicyLibraryView::changes() const
{
    return m_changes->toPlainText();
}

QString PolicyLibraryView::header() const
{
    return m_header->text();
}

void PolicyLibraryView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        // New formats for the new palette: highlighters built from the old one are replaced.
        m_highlighter->setPalette(palette());
        m_highlighter->highlight(m_text->document(), HighlightKind::Toml);
        m_highlighter->highlight(m_changes->document(), HighlightKind::UnifiedDiff);
    }
}

} // namespace Tasktrail
