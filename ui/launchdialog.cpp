#include "launchdialog.h"

#include "asyncquery.h"
#include "github/tokensources.h"
#include "keychaintokensource.h"
#include "launch/backendfactory.h"
#include "launchplanmodel.h"
#include "policy/policyfile.h"
#include "store/recordstore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

enum QuerySlot
{
    DocumentsSlot,
    PlanSlot,
};

QString documentRef(const PolicyDocument &doc)
{
    return doc.id + u'@' + doc.version;
}

QString osUserName()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? qEnvironmentVariable("USERNAME") : user;
}

} // namespace

LaunchDialog::LaunchDialog(RecordStore &store, QWidget *parent)
    : QDialog(parent)
    , m_queries(new AsyncQuery(this))
    , m_planModel(new LaunchPlanModel(this))
{
    setWindowTitle(tr("Launch Tasks"));
    setObjectName(u"launchDialog"_s);

    m_planTable = new QTableView(this);
    m_planTable->setObjectName(u"launchPlanTable"_s);
    m_planTable->setModel(m_planModel);
    m_planTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_planTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_planTable->setWordWrap(false);
    m_planTable->verticalHeader()->hide();
    m_planTable->horizontalHeader()->setSectionResizeMode(LaunchPlanModel::ReasonColumn,
                                                          QHeaderView::Stretch);
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"launchSummary"_s);
    m_error = new QLabel(this);
    m_error->setObjectName(u"launchError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(u"color: #b00020"_s);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_dryRun = buttons->addButton(tr("&Dry Run"), QDialogButtonBox::ActionRole);
    m_dryRun->setObjectName(u"dryRunButton"_s);
    m_launch = buttons->addButton(tr("&Launch"), QDialogButtonBox::AcceptRole);
    m_launch->setObjectName(u"launchButton"_s);
    m_launch->setEnabled(false);
    m_cancel = buttons->button(QDialogButtonBox::Cancel);
    connect(m_dryRun, &QPushButton::clicked, this, &LaunchDialog::dryRun);
    // The button box's accepted() is left unconnected: Launch accepts only when the submit
    // succeeded.
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_launch, &QPushButton::clicked, this, &LaunchDialog::launch);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(createInputs());
    auto *planBox = new QWidget(splitter);
    auto *planLayout = new QVBoxLayout(planBox);
    planLayout->setContentsMargins(0, 0, 0, 0);
    planLayout->addWidget(m_planTable, 1);
    planLayout->addWidget(m_summary);
    planLayout->addWidget(m_error);
    splitter->addWidget(planBox);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);

    m_queries->setDatabase(store.location());
    fillDocuments();
    prefillParameters();
    invalidate();
    resize(900, 760);
}

LaunchDialog::~LaunchDialog() = default;

QWidget *LaunchDialog::createInputs()
{
    auto *inputs = new QWidget(this);
    const auto combo = [inputs](const QString &name) {
        auto *box = new QComboBox(inputs);
        box->setObjectName(name);
        return box;
    };
    const auto line = [inputs](const QString &name, const QString &text) {
        auto *edit = new QLineEdit(text, inputs);
        edit->setObjectName(name);
        return edit;
    };
    m_template = combo(u"templateCombo"_s);
    m_policy = combo(u"policyCombo"_s);
    m_identity = line(u"identityEdit"_s, {});
    m_identityKind = combo(u"identityKindCombo"_s);
    m_identityKind->addItem(tr("As stored for the identity"), int(IdentityKind::Unknown));
    for (const IdentityKind kind :
         {IdentityKind::GitHubAppUserToken, IdentityKind::GitHubAppInstallationToken,
          IdentityKind::FineGrainedPat, IdentityKind::ClassicPat, IdentityKind::OAuthAppToken,
          IdentityKind::LocalUser})
        m_identityKind->addItem(toString(kind), int(kind));
    m_requester = line(u"requesterEdit"_s, osUserName());
    m_trigger = line(u"triggerEdit"_s, u"tasktrail-app"_s);
    m_repositories = new QPlainTextEdit(inputs);
    m_repositories->setObjectName(u"repositoriesEdit"_s);
    m_repositories->setPlaceholderText(tr("owner/name, one a line"));
    m_repositories->setTabChangesFocus(true);
    m_query = line(u"repositoryQueryEdit"_s, {});
    m_query->setPlaceholderText(tr("or a glob over the known repositories, e.g. acme-*/*"));
    m_parameters = new QTableWidget(0, 2, inputs);
    m_parameters->setObjectName(u"parametersTable"_s);
    m_parameters->setHorizontalHeaderLabels({tr("Parameter"), tr("Value")});
    m_parameters->horizontalHeader()->setStretchLastSection(true);
    m_parameters->verticalHeader()->hide();
    m_backend = combo(u"backendCombo"_s);
    m_backend->addItems(backendNames());
    m_idempotencyKey = line(u"idempotencyKeyEdit"_s, {});
    m_idempotencyKey->setPlaceholderText(tr("optional: the same key launches once"));

    auto *form = new QFormLayout(inputs);
    form->addRow(tr("&Template:"), m_template);
    form->addRow(tr("&Policy:"), m_policy);
    form->addRow(tr("&Identity:"), m_identity);
    form->addRow(tr("Identity &kind:"), m_identityKind);
    form->addRow(tr("&Requester:"), m_requester);
    form->addRow(tr("T&rigger system:"), m_trigger);
    form->addRow(tr("Rep&ositories:"), m_repositories);
    form->addRow(tr("Repository &query:"), m_query);
    form->addRow(tr("P&arameters:"), m_parameters);
    form->addRow(tr("&Backend:"), m_backend);
    form->addRow(tr("Idempotency &key:"), m_idempotencyKey);

    for (QComboBox *box : {m_template, m_policy, m_identityKind, m_backend})
        connect(box, &QComboBox::currentIndexChanged, this, &LaunchDialog::invalidate);
    connect(m_template, &QComboBox::currentIndexChanged, this, &LaunchDialog::prefillParameters);
    for (QLineEdit *edit : {m_identity, m_requester, m_trigger, m_query, m_idempotencyKey})
        connect(edit, &QLineEdit::textChanged, this, &LaunchDialog::invalidate);
    connect(m_repositories, &QPlainTextEdit::textChanged, this, &LaunchDialog::invalidate);
    connect(m_parameters, &QTableWidget::itemChanged, this, &LaunchDialog::invalidate);
    return inputs;
}

void LaunchDialog::fillDocuments()
{
    m_dryRun->setEnabled(false);
    m_queries->run(
        DocumentsSlot, this,
        [](RecordStore &store) {
            QList<PolicyDocument> documents = store.policyDocuments(PolicyDocument::Kind::Template);
            documents << store.policyDocuments(PolicyDocument::Kind::Policy);
            return documents;
        },
        [this](const QList<PolicyDocument> &documents) { showDocuments(documents); });
}

void LaunchDialog::showDocuments(const QList<PolicyDocument> &documents)
{
    m_templates.clear();
    for (const PolicyDocument &doc : documents) {
        if (doc.kind == PolicyDocument::Kind::Template) {
            m_templates << doc;
            m_template->addItem(documentRef(doc));
        } else {
            m_policy->addItem(documentRef(doc));
        }
    }
    m_dryRun->setEnabled(true);
    prefillParameters();
    Q_EMIT documentsLoaded();
}

bool LaunchDialog::isLoading() const
{
    return m_queries->isPending(DocumentsSlot) || m_queries->isPending(PlanSlot);
}

QStringList LaunchDialog::promptParameters(const QString &prompt)
{
    // The planner's placeholder syntax (fillPrompt()).
    static const QRegularExpression placeholder(u"\\{([A-Za-z_][A-Za-z0-9_.-]*)\\}"_s);
    QStringList names;
    auto it = placeholder.globalMatch(prompt);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (name != u"repo" && !names.contains(name))
            names << name;
    }
    return names;
}

void LaunchDialog::prefillParameters()
{
    // Keep the values typed so far for names the new template uses too.
    QVariantMap values;
    for (int row = 0; row < m_parameters->rowCount(); ++row) {
        if (const QTableWidgetItem *key = m_parameters->item(row, 0)) {
            const QTableWidgetItem *value = m_parameters->item(row, 1);
            values.insert(key->text(), value ? value->text() : QString());
        }
    }
    QString prompt;
    const QString ref = m_template->currentText();
    for (const PolicyDocument &doc : std::as_const(m_templates)) {
        if (documentRef(doc) != ref)
            continue;
        QList<PolicyFileError> errors;
        if (const auto spec = parseTemplate(doc.sourcePath, doc.text.toUtf8(), &errors))
            prompt = spec->prompt;
        break;
    }
    const QSignalBlocker blocker(m_parameters);
    const QStringList names = promptParameters(prompt);
    m_parameters->setRowCount(int(names.size()));
    for (int row = 0; row < names.size(); ++row) {
        m_parameters->setItem(row, 0, new QTableWidgetItem(names.at(row)));
        m_parameters->setItem(row, 1, new QTableWidgetItem(values.value(names.at(row)).toString()));
    }
    invalidate();
}

LaunchRequest LaunchDialog::request() const
{
    LaunchRequest r;
    r.templateRef = m_template->currentText();
    r.policyRef = m_policy->currentText();
    for (const QString &line : m_repositories->toPlainText().split(u'\n')) {
        if (!line.trimmed().isEmpty())
            r.repositories << line.trimmed();
    }
    r.repositoryQuery = m_query->text().trimmed();
    for (int row = 0; row < m_parameters->rowCount(); ++row) {
        const QTableWidgetItem *key = m_parameters->item(row, 0);
        const QTableWidgetItem *value = m_parameters->item(row, 1);
        if (key && !key->text().trimmed().isEmpty())
            r.parameters.insert(key->text().trimmed(), value ? value->text() : QString());
    }
    r.requester = m_requester->text().trimmed();
    r.triggerSystem = m_trigger->text().trimmed();
    r.identity.id = m_identity->text().trimmed();
    r.identity.kind = IdentityKind(m_identityKind->currentData().toInt());
    r.idempotencyKey = m_idempotencyKey->text().trimmed();
    r.backend = m_backend->currentText();
    return r;
}

void LaunchDialog::setTokenSource(TokenSource *tokens)
{
    m_tokens = tokens;
}

void LaunchDialog::invalidate()
{
    // A plan still being made is for inputs that are gone.
    m_queries->cancel(PlanSlot);
    m_planned = false;
    m_launch->setEnabled(false);
}

bool LaunchDialog::dryRun()
{
    if (m_queries->isPending(DocumentsSlot))
        return false;
    invalidate();
    m_summary->setText(tr("Planning…"));
    // Planning only reads; it runs on a connection of the dialog's own.
    m_queries->run(
        PlanSlot, this,
        [request = request(), clock = m_clock](RecordStore &store) {
            LaunchPlanner planner(store);
            if (clock)
                planner.setClock(clock);
            return planner.plan(request);
        },
        [this](const LaunchPlan &plan) { showPlan(plan); });
    return true;
}

void LaunchDialog::showPlan(const LaunchPlan &plan)
{
    m_planModel->setPlan(plan);
    m_error->setText(plan.errors.join(u'\n'));
    if (!plan.ok()) {
        m_summary->clear();
        invalidate();
        Q_EMIT dryRunFinished(false);
        return;
    }
    QString summary = m_planModel->summary();
    if (!plan.policyDenial.isEmpty())
        summary += u" — "_s + tr("the policy denies the launch: %1").arg(plan.policyDenial);
    if (plan.existingCampaign)
        summary += u" — "_s + tr("already launched as %1").arg(*plan.existingCampaign);
    m_summary->setText(summary);
    m_planned = true;
    m_launch->setEnabled(plan.eligibleCount() > 0 || plan.existingCampaign.has_value());
    Q_EMIT dryRunFinished(true);
}

bool LaunchDialog::launch()
{
    if (!canLaunch() || m_launching)
        return false;
    m_launching = true;
    m_launch->setEnabled(false);
    m_dryRun->setEnabled(false);
    const QString identity = request().identity.id;
    if (m_tokens) {
        QString error;
        submit(m_tokens->token(identity, &error));
        return true;
    }
    // The keychain may ask the user to unlock it: the dialog stays responsive meanwhile, and
    // the launch goes on when the answer arrives. Only the token's hash is recorded.
    m_error->setText(tr("Reading the identity's token from the keychain…"));
    KeychainTokens::readToken(identity, this,
                              [this](const std::optional<QByteArray> &token, const QString &) {
                                  m_error->clear();
                                  submit(token);
                              });
    return true;
}

void LaunchDialog::submit(const std::optional<QByteArray> &token)
{
    m_cancel->setEnabled(false);
    m_summary->setText(tr("Submitting…"));
    const bool asked = m_queries->write(
        this,
        [request = request(), token, clock = m_clock](RecordStore &store) {
            MemoryTokenSource tokens;
            if (token)
                tokens.setToken(request.identity.id, *token);
            LaunchPlanner planner(store);
            if (clock)
                planner.setClock(clock);
            planner.setTokenSource(&tokens);
            return planner.submit(request);
        },
        [this](std::optional<LaunchSubmission> submission, const QString &error) {
            finishLaunch(std::move(submission), error);
        });
    if (!asked)
        finishLaunch(std::nullopt, tr("No database is open."));
}

void LaunchDialog::finishLaunch(std::optional<LaunchSubmission> submission, const QString &error)
{
    m_launching = false;
    m_dryRun->setEnabled(true);
    m_cancel->setEnabled(true);
    m_submission = submission ? std::move(*submission) : LaunchSubmission{};
    const QString failure = submission ? m_submission.error : error;
    if (!failure.isEmpty()) {
        m_error->setText(failure);
        m_summary->clear();
        if (submission)
            m_planModel->setPlan(m_submission.plan);
        invalidate();
        Q_EMIT launchFinished(false);
        return;
    }
    m_summary->setText(m_submission.existing
                           ? tr("Already launched as %1.").arg(m_submission.campaignId)
                           : tr("Launched %1.").arg(m_submission.campaignId));
    Q_EMIT launchFinished(true);
    accept();
}

void LaunchDialog::reject()
{
    // The submit runs to its end either way; closing now would hide whether it launched.
    if (m_queries->isWriting())
        return;
    QDialog::reject();
}

QString LaunchDialog::summaryText() const
{
    return m_summary->text();
}

QString LaunchDialog::errorText() const
{
    return m_error->text();
}

bool LaunchDialog::canLaunch() const
{
    return m_planned && m_launch->isEnabled();
}

} // namespace Tasktrail
