#include "compareview.h"

#include "alignedcommandsmodel.h"
#include "asyncquery.h"
#include "displaytext.h"
#include "highlight/loghighlighter.h"
#include "layoutstate.h"
#include "query/runsentence.h"
#include "store/recordstore.h"

#include <QCloseEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

enum QuerySlot
{
    ComparisonSlot,
    DiffSlot,
};

const QString present = u"\u2713"_s; // a check mark: the run has it

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText); // stored text is never markup
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? u"-"_s : s;
}

QString duration(std::optional<qint64> ms)
{
    return ms ? DisplayText::duration(*ms) : u"-"_s;
}

QString commandCount(const TaskChain &c)
{
    int failed = 0;
    for (const TaskChain::Command &command : c.commands) {
        if (command.record.exitCode && *command.record.exitCode != 0)
            ++failed;
    }
    return CompareView::tr("%1 (%2 failed)").arg(c.commands.size()).arg(failed);
}

QTreeWidgetItem *section(QTreeWidget *tree, const QString &title, int count)
{
    auto *item = new QTreeWidgetItem(tree, {u"%1 (%2)"_s.arg(title).arg(count)});
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    return item;
}

void addSets(QTreeWidget *tree, const QString &title, const RunComparison::Sets &sets)
{
    QTreeWidgetItem *top =
        section(tree, title, int(sets.both.size() + sets.onlyA.size() + sets.onlyB.size()));
    for (const QString &value : sets.both)
        new QTreeWidgetItem(top, {value, present, present});
    for (const QString &value : sets.onlyA)
        new QTreeWidgetItem(top, {value, present, QString()});
    for (const QString &value : sets.onlyB)
        new QTreeWidgetItem(top, {value, QString(), present});
}

} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_queries(new AsyncQuery(this))
    , m_commands(new AlignedCommandsModel(this))
    , m_highlighter(std::make_unique<LogHighlighter>(palette()))
{
    setWindowTitle(tr("Compare Runs"));
    m_status = new QLabel(this);
    m_status->setObjectName(u"compareStatus"_s);
    m_status->setTextFormat(Qt::PlainText);

    // The chains keep the height their wrapped sentences need; the splitter shares the rest.
    QWidget *chains = createChains();
    auto *outer = m_outer = new QSplitter(Qt::Vertical, this);
    outer->setObjectName(u"compareSplitter"_s);
    outer->addWidget(createCommandsAndLists(outer));
    outer->addWidget(createLogDiff(outer));
    outer->setStretchFactor(0, 3);
    outer->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(chains);
    layout->addWidget(outer, 1);

    connect(m_commandsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    showLogDiff(current.row());
            });
    connect(m_commandsView, &QAbstractItemView::activated, this, &CompareView::onActivated);
    connect(m_openA, &QPushButton::clicked, this, [this] { Q_EMIT taskRequested(m_taskA); });
    connect(m_openB, &QPushButton::clicked, this, [this] { Q_EMIT taskRequested(m_taskB); });
}

CompareView::~CompareView() = default;

QWidget *CompareView::createCommandsAndLists(QWidget *parent)
{
    auto *middle = m_middle = new QSplitter(Qt::Horizontal, parent);
    middle->setObjectName(u"compareMiddleSplitter"_s);
    m_commandsView = new QTreeView(middle);
    m_commandsView->setObjectName(u"alignedCommands"_s);
    m_commandsView->setModel(m_commands);
    m_commandsView->setRootIsDecorated(false);
    m_commandsView->setUniformRowHeights(true);
    m_commandsView->setAlternatingRowColors(true);
    m_commandsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_commandsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_commandsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_lists = new QTreeWidget(middle);
    m_lists->setObjectName(u"compareLists"_s);
    m_lists->setHeaderLabels({tr("Files, hosts, tests, findings"), tr("A"), tr("B")});
    m_lists->setRootIsDecorated(true);
    m_lists->header()->setStretchLastSection(false);
    m_lists->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_lists->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_lists->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    middle->addWidget(m_commandsView);
    middle->addWidget(m_lists);
    middle->setStretchFactor(0, 3);
    middle->setStretchFactor(1, 2);
    return middle;
}

QWidget *CompareView::createLogDiff(QWidget *parent)
{
    auto *diffBox = new QWidget(parent);
    auto *diffLayout = new QVBoxLayout(diffBox);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    m_diffTitle = valueLabel(diffBox);
    m_diffTitle->setObjectName(u"logDiffTitle"_s);
    m_diffTitle->setText(tr("Pick a command to see the diff of its logs."));
    m_diff = new QPlainTextEdit(diffBox);
    m_diff->setObjectName(u"logDiff"_s);
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter->highlight(m_diff->document(), HighlightKind::UnifiedDiff);
    diffLayout->addWidget(m_diffTitle);
    diffLayout->addWidget(m_diff, 1);
    return diffBox;
}

QWidget *CompareView::createChains()
{
    auto *chains = new QWidget(this);
    auto *grid = new QGridLayout(chains);
    grid->setContentsMargins(0, 0, 0, 0);
    m_openA = new QPushButton(tr("Open Run &A"), chains);
    m_openA->setObjectName(u"openRunA"_s);
    m_openB = new QPushButton(tr("Open Run &B"), chains);
    m_openB->setObjectName(u"openRunB"_s);
    grid->addWidget(m_openA, 0, 1, Qt::AlignLeft);
    grid->addWidget(m_openB, 0, 2, Qt::AlignLeft);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    addChainRow(u"sentence"_s, tr("In a sentence"));
    addChainRow(u"task"_s, tr("Task"));
    addChainRow(u"repo"_s, tr("Repository"));
    addChainRow(u"state"_s, tr("State"));
    addChainRow(u"request"_s, tr("Request"));
    addChainRow(u"identity"_s, tr("Identity"));
    addChainRow(u"policy"_s, tr("Policy"));
    addChainRow(u"template"_s, tr("Template"));
    addChainRow(u"pullRequest"_s, tr("Pull request"));
    addChainRow(u"duration"_s, tr("Duration"));
    addChainRow(u"commands"_s, tr("Commands"));
    addChainRow(u"findings"_s, tr("Findings"));
    return chains;
}

void CompareView::addChainRow(const QString &key, const QString &label)
{
    auto *chains = m_openA->parentWidget();
    auto *grid = static_cast<QGridLayout *>(chains->layout());
    const int row = grid->rowCount();
    auto *title = new QLabel(label, chains);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    QLabel *a = valueLabel(chains);
    QLabel *b = valueLabel(chains);
    a->setObjectName(u"chainA-"_s % key);
    b->setObjectName(u"chainB-"_s % key);
    grid->addWidget(title, row, 0, Qt::AlignTop);
    grid->addWidget(a, row, 1, Qt::AlignTop);
    grid->addWidget(b, row, 2, Qt::AlignTop);
    m_chainValues.insert(key, {a, b});
}

void CompareView::setChainValue(const QString &key, const QString &a, const QString &b)
{
    const auto [labelA, labelB] = m_chainValues.value(key);
    labelA->setText(orDash(a));
    labelB->setText(orDash(b));
}

void CompareView::setDatabase(const QString &location)
{
    m_queries->setDatabase(location);
}

void CompareView::compare(const QString &taskA, const QString &taskB)
{
    m_taskA = taskA;
    m_taskB = taskB;
    m_loading = true;
    m_queries->cancel(DiffSlot);
    m_loadingDiff = false;
    m_diffRow = -1;
    m_commands->clear();
    m_lists->clear();
    m_diff->clear();
    m_status->setText(tr("Reading %1 and %2…").arg(taskA, taskB));
    const quint64 job = m_queries->run(
        ComparisonSlot, this,
        [taskA, taskB](RecordStore &store) {
            Read read;
            const std::optional<TaskChain> a = store.taskChainOutline(taskA);
            const std::optional<TaskChain> b = a ? store.taskChainOutline(taskB) : std::nullopt;
            if (!a || !b)
                read.missing = a ? taskB : taskA;
            else
                read.comparison = RunComparison::of(*a, *b);
            return read;
        },
        [this](const Read &read) { onRead(read); });
    if (job == 0) {
        m_loading = false;
        m_status->setText(tr("No database is open."));
        Q_EMIT compared();
    }
}

void CompareView::onRead(const Read &read)
{
    m_loading = false;
    if (!read.comparison) {
        m_status->setText(tr("No task %1 in this database.").arg(read.missing));
        Q_EMIT compared();
        return;
    }
    const RunComparison &c = *read.comparison;
    int differing = 0;
    for (const RunComparison::AlignedCommand &row : c.commands)
        differing += row.match != RunComparison::Match::Same;
    m_status->setText(
        tr("A: %1    B: %2    %3 of %4 aligned commands differ.%5")
            .arg(c.a.task.id, c.b.task.id)
            .arg(differing)
            .arg(c.commands.size())
            .arg(c.commandsApproximate
                     ? tr(" Too many commands to align in full: the differing middle is listed "
                          "as only in A, then only in B.")
                     : QString()));
    showChains(c);
    m_commands->setComparison(c);
    // Column widths the reader set (a restored layout) are kept; otherwise fitted to the rows.
    if (!m_layoutRestored) {
        for (int column = 0; column < AlignedCommandsModel::ColumnCount; ++column) {
            if (column != AlignedCommandsModel::CommandColumn)
                m_commandsView->resizeColumnToContents(column);
        }
        // The command line as wide as the longest, up to half the table.
        m_commandsView->resizeColumnToContents(AlignedCommandsModel::CommandColumn);
        m_commandsView->setColumnWidth(
            AlignedCommandsModel::CommandColumn,
            std::min(m_commandsView->columnWidth(AlignedCommandsModel::CommandColumn),
                     m_commandsView->width() / 2));
    }
    showLists(c);
    Q_EMIT compared();
}

void CompareView::showChains(const RunComparison &c)
{
    const RunComparison::Links a = RunComparison::linksOf(c.a);
    const RunComparison::Links b = RunComparison::linksOf(c.b);
    setChainValue(u"sentence"_s, RunSentence::of(c.a), RunSentence::of(c.b));
    setChainValue(u"task"_s, c.a.task.id, c.b.task.id);
    setChainValue(u"repo"_s, c.a.task.repo, c.b.task.repo);
    setChainValue(u"state"_s, DisplayText::state(c.a.task.state),
                  DisplayText::state(c.b.task.state));
    setChainValue(u"request"_s, a.request, b.request);
    setChainValue(u"identity"_s, a.identity, b.identity);
    setChainValue(u"policy"_s, a.policy, b.policy);
    setChainValue(u"template"_s, a.taskTemplate, b.taskTemplate);
    setChainValue(u"pullRequest"_s, a.pullRequest, b.pullRequest);
    setChainValue(u"duration"_s, duration(RunComparison::durationMs(c.a.task)),
                  duration(RunComparison::durationMs(c.b.task)));
    setChainValue(u"commands"_s, commandCount(c.a), commandCount(c.b));
    const auto findings = [](const TaskChain &chain) {
        return chain.checkedAt ? QString::number(chain.findings.size()) : tr("never checked");
    };
    setChainValue(u"findings"_s, findings(c.a), findings(c.b));
}

void CompareView::showLists(const RunComparison &c)
{
    m_lists->clear();
    addSets(m_lists, tr("Files changed"), c.files);
    addSets(m_lists, tr("Hosts contacted"), c.hosts);
    QTreeWidgetItem *tests = section(m_lists, tr("Tests"), int(c.tests.size()));
    for (const RunComparison::TestPair &t : c.tests)
        new QTreeWidgetItem(tests, {t.name, t.outcomeA, t.outcomeB});
    // A finding by its rule and message, with its severity under the run that has it.
    QMap<std::pair<QString, QString>, std::pair<QString, QString>> findings;
    for (const Finding &f : c.a.findings)
        findings[{f.rule, f.message}].first = toString(f.severity);
    for (const Finding &f : c.b.findings)
        findings[{f.rule, f.message}].second = toString(f.severity);
    QTreeWidgetItem *top = section(m_lists, tr("Findings"), int(findings.size()));
    for (auto it = findings.cbegin(); it != findings.cend(); ++it) {
        auto *item = new QTreeWidgetItem(
            top, {it.key().first % u": "_s % it.key().second, it.value().first, it.value().second});
        item->setToolTip(0, item->text(0));
    }
    m_lists->expandAll();
}

void CompareView::showLogDiff(int row)
{
    if (row < 0 || row >= m_commands->rowCount())
        return;
    m_diffRow = row;
    m_loadingDiff = true;
    m_diffTitle->setText(tr("Reading the logs of row %1…").arg(row + 1));
    std::optional<TaskChain::Command> a;
    std::optional<TaskChain::Command> b;
    if (const TaskChain::Command *command = m_commands->commandA(row))
        a = *command;
    if (const TaskChain::Command *command = m_commands->commandB(row))
        b = *command;
    m_queries->run(
        DiffSlot, this,
        [a, b](RecordStore &store) {
            return LogDiff::of(store, a ? &*a : nullptr, b ? &*b : nullptr);
        },
        [this, row](const LogDiff &diff) { showDiff(row, diff); });
}

void CompareView::showDiff(int row, const LogDiff &diff)
{
    m_loadingDiff = false;
    const auto side = [](const TaskChain::Command *c, qint64 lines) {
        return c ? tr("#%1 (%Ln line(s))", nullptr, int(std::min<qint64>(lines, INT_MAX)))
                       .arg(c->record.seq)
                 : tr("none");
    };
    QString title = tr("Log diff of row %1: A %2, B %3.")
                        .arg(row + 1)
                        .arg(side(m_commands->commandA(row), diff.linesA),
                             side(m_commands->commandB(row), diff.linesB));
    if (diff.truncated)
        title +=
            tr(" Only the first %1 lines of each log are compared.").arg(LogDiff::defaultLineLimit);
    if (diff.approximate)
        title += tr(" Too many differing lines to align in full.");
    if (!m_commands->commandA(row) || !m_commands->commandB(row))
        title += m_commands->commandA(row) ? tr(" Only A ran this command.")
                                           : tr(" Only B ran this command.");
    else if (!diff.changed())
        title += tr(" The logs are the same.");
    m_diffTitle->setText(title);
    QString text;
    for (const LogDiff::Line &line : diff.lines) {
        const QChar mark = line.op == LogDiff::Op::Same    ? u' '
                           : line.op == LogDiff::Op::OnlyA ? u'-'
                                                           : u'+';
        text += mark % line.text % u'\n';
    }
    m_diff->setPlainText(text);
    Q_EMIT logDiffShown(row);
}

void CompareView::onActivated(const QModelIndex &index)
{
    // A row opens the command's log in its run: A's where A ran it, else B's.
    if (const TaskChain::Command *a = m_commands->commandA(index.row()))
        Q_EMIT commandLogRequested(m_taskA, a->record.seq);
    else if (const TaskChain::Command *b = m_commands->commandB(index.row()))
        Q_EMIT commandLogRequested(m_taskB, b->record.seq);
}

QByteArray CompareView::saveLayout() const
{
    return saveLayoutState({{m_outer, m_middle}, {m_commandsView->header(), m_lists->header()}});
}

bool CompareView::restoreLayout(const QByteArray &state)
{
    m_layoutRestored = restoreLayoutState(
        {{m_outer, m_middle}, {m_commandsView->header(), m_lists->header()}}, state);
    return m_layoutRestored;
}

void CompareView::closeEvent(QCloseEvent *event)
{
    Q_EMIT closing();
    QWidget::closeEvent(event);
}

} // namespace Tasktrail
