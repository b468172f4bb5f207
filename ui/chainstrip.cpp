#include "chainstrip.h"

#include "displaytext.h"
#include "policy/conformance.h"
#include "records/taskchain.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QStyleOptionFocusRect>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// One card of the strip. Painted rather than styled so that it stays a compact block of text
// in every style, but it is a real button: focusable, checkable, activated by Space or Enter.
class ChainCard final : public QAbstractButton
{
public:
    explicit ChainCard(const QString &title, QWidget *parent)
        : QAbstractButton(parent)
        , m_title(title)
    {
        setCheckable(true);
        setFocusPolicy(Qt::StrongFocus);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        setAttribute(Qt::WA_Hover);
        setAccessibleName(title);
        setLines({}, false);
    }

    void setLines(const QStringList &lines, bool recorded)
    {
        m_lines = lines;
        m_recorded = recorded;
        const QString body = recorded ? lines.join(u'\n') : ChainStrip::tr("not recorded");
        setText(m_title); // what QAbstractButton reports to accessibility
        setAccessibleDescription(body);
        setToolTip(body);
        updateGeometry();
        update();
    }

    QString cardText() const
    {
        return m_title % u'\n' %
               (m_recorded ? m_lines.join(u'\n') : ChainStrip::tr("not recorded"));
    }
    bool recorded() const { return m_recorded; }

    QSize sizeHint() const override
    {
        const QFontMetrics fm(font());
        return {fm.averageCharWidth() * 26, bodyHeight()};
    }
    QSize minimumSizeHint() const override
    {
        const QFontMetrics fm(font());
        return {fm.averageCharWidth() * 12, bodyHeight()};
    }

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
            click();
            return;
        }
        QAbstractButton::keyPressEvent(event);
    }

    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QPalette &pal = palette();
        const int pad = padding();
        const qreal border = isChecked() ? 2.0 : 1.0;
        const QRectF frame =
            QRectF(rect()).adjusted(border / 2, border / 2, -border / 2, -border / 2);
        QColor fill = pal.color(QPalette::Base);
        if (underMouse() || isDown())
            fill = pal.color(QPalette::AlternateBase);
        p.setPen(
            QPen(isChecked() ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), border));
        p.setBrush(fill);
        p.drawRoundedRect(frame, pad / 2.0, pad / 2.0);

        QRect text = rect().adjusted(pad, pad, -pad, -pad);
        QFont titleFont = font();
        titleFont.setBold(true);
        p.setFont(titleFont);
        p.setPen(pal.color(QPalette::Text));
        const QFontMetrics titleMetrics(titleFont);
        p.drawText(text.topLeft() + QPoint(0, titleMetrics.ascent()),
                   titleMetrics.elidedText(m_title, Qt::ElideRight, text.width()));
        text.setTop(text.top() + titleMetrics.lineSpacing() + pad / 2);

        QFont bodyFont = font();
        QColor bodyColor = pal.color(QPalette::Text);
        QStringList lines = m_lines;
        if (!m_recorded) {
            bodyFont.setItalic(true);
            bodyColor = pal.color(QPalette::PlaceholderText);
            lines = {ChainStrip::tr("not recorded")};
        }
        p.setFont(bodyFont);
        p.setPen(bodyColor);
        const QFontMetrics fm(bodyFont);
        for (const QString &line : std::as_const(lines)) {
            if (text.height() < fm.height())
                break;
            p.drawText(text.topLeft() + QPoint(0, fm.ascent()),
                       fm.elidedText(line, Qt::ElideRight, text.width()));
            text.setTop(text.top() + fm.lineSpacing());
        }

        if (hasFocus()) {
            QStyleOptionFocusRect option;
            option.initFrom(this);
            option.rect = rect().adjusted(pad / 3, pad / 3, -pad / 3, -pad / 3);
            style()->drawPrimitive(QStyle::PE_FrameFocusRect, &option, &p, this);
        }
    }

private:
    int padding() const { return QFontMetrics(font()).height() / 2; }
    // Room for the title and five rows, whatever the card holds, so that the cards line up.
    int bodyHeight() const
    {
        QFont titleFont = font();
        titleFont.setBold(true);
        const QFontMetrics fm(font());
        return 2 * padding() + QFontMetrics(titleFont).lineSpacing() + padding() / 2 +
               5 * fm.lineSpacing();
    }

    QString m_title;
    QStringList m_lines;
    bool m_recorded = false;
};

namespace {

QString joined(const QStringList &list)
{
    return list.join(u", "_s);
}

QString withVersion(const QString &id, const QString &version)
{
    return version.isEmpty() ? id : id % u'@' % version;
}

// The first line of a request, shortened: the card is a glance, the detail page has the rest.
QString firstLine(const QString &text, int maxChars)
{
    QString line = text.section(u'\n', 0, 0).trimmed();
    if (line.size() > maxChars)
        line = line.left(maxChars - 1) % QChar(0x2026);
    else if (line.size() < text.trimmed().size())
        line += QChar(0x2026);
    return line;
}

QStringList requestLines(const TaskChain &chain)
{
    const RequestRecord &r = *chain.request;
    QStringList lines;
    if (!r.requester.isEmpty() && !r.triggerSystem.isEmpty())
        lines << ChainStrip::tr("%1 via %2").arg(r.requester, r.triggerSystem);
    else if (!r.requester.isEmpty() || !r.triggerSystem.isEmpty())
        lines << r.requester % r.triggerSystem;
    if (r.createdAt.isValid())
        lines << DisplayText::timestamp(r.createdAt);
    if (!r.text.isEmpty())
        lines << firstLine(r.text, 80);
    if (lines.isEmpty())
        lines << r.id;
    return lines;
}

QStringList identityLines(const IdentityRecord &i)
{
    QStringList lines;
    lines << (i.principal.isEmpty() ? i.id : i.principal);
    lines << DisplayText::identityKind(i.kind);
    if (!i.onBehalfOf.isEmpty())
        lines << ChainStrip::tr("on behalf of %1").arg(i.onBehalfOf);
    if (!i.scopes.isEmpty())
        lines << ChainStrip::tr("scopes: %1").arg(joined(i.scopes));
    return lines;
}

QStringList policyLines(const TaskChain &chain)
{
    QStringList lines;
    if (chain.policy)
        lines << withVersion(chain.policy->id, chain.policy->version);
    else if (!chain.task.policyId.isEmpty())
        lines << withVersion(chain.task.policyId, chain.task.policyVersion);
    if (chain.taskTemplate)
        lines << ChainStrip::tr("template %1")
                     .arg(withVersion(chain.taskTemplate->id, chain.taskTemplate->version));
    else if (!chain.task.templateId.isEmpty())
        lines << ChainStrip::tr("template %1")
                     .arg(withVersion(chain.task.templateId, chain.task.templateVersion));
    if (chain.policy && !chain.policy->verdict.isEmpty())
        lines << ChainStrip::tr("launch: %1").arg(chain.policy->verdict);
    // What the conformance check found after the run, the verdict a reviewer wants.
    if (!lines.isEmpty() || chain.checkedAt)
        lines << ChainStrip::tr("review: %1").arg(PolicyVerdict::of(chain).text());
    return lines;
}

QStringList commandLines(const TaskChain &chain)
{
    QStringList lines;
    if (!chain.commands.isEmpty()) {
        const auto failed = std::count_if(chain.commands.cbegin(), chain.commands.cend(),
                                          [](const TaskChain::Command &c) {
                                              return c.record.exitCode && *c.record.exitCode != 0;
                                          });
        const QString count = chain.commands.size() == 1
                                  ? ChainStrip::tr("1 command")
                                  : ChainStrip::tr("%1 commands").arg(chain.commands.size());
        lines << ChainStrip::tr("%1, %2 failed").arg(count).arg(failed);
    }
    if (!chain.task.tests.isEmpty()) {
        int passed = 0;
        int failed = 0;
        for (const TestResult &t : chain.task.tests) {
            if (t.outcome == u"passed")
                ++passed;
            else if (t.outcome == u"failed" || t.outcome == u"error")
                ++failed;
        }
        lines << ChainStrip::tr("tests: %1 passed, %2 failed").arg(passed).arg(failed);
    } else if (!chain.commands.isEmpty()) {
        lines << ChainStrip::tr("no tests recorded");
    }
    return lines;
}

QString checksSummary(const QList<CheckRunRecord> &checks)
{
    int passed = 0;
    int failed = 0;
    int pending = 0;
    for (const CheckRunRecord &c : checks) {
        if (c.status != u"completed" && c.conclusion.isEmpty())
            ++pending;
        else if (c.conclusion == u"success" || c.conclusion == u"neutral" ||
                 c.conclusion == u"skipped")
            ++passed;
        else
            ++failed;
    }
    QString summary = ChainStrip::tr("checks: %1 passed, %2 failed").arg(passed).arg(failed);
    if (pending > 0)
        summary = ChainStrip::tr("%1, %2 pending").arg(summary).arg(pending);
    return summary;
}

QStringList pullRequestLines(const TaskChain &chain)
{
    if (!chain.pullRequest)
        return {ChainStrip::tr("#%1").arg(*chain.task.prNumber),
                ChainStrip::tr("details not recorded")};
    const PullRequestRecord &p = *chain.pullRequest;
    QString state = p.merged() ? ChainStrip::tr("merged") : p.state;
    if (p.draft && !p.merged())
        state = ChainStrip::tr("draft");
    QStringList lines{ChainStrip::tr("#%1 %2").arg(p.number).arg(state).trimmed()};
    if (!p.labels.isEmpty())
        lines << ChainStrip::tr("labels: %1").arg(joined(p.labels));
    const QStringList reviewers = p.requestedReviewers + p.requestedTeams;
    if (!reviewers.isEmpty())
        lines << ChainStrip::tr("reviewers: %1").arg(joined(reviewers));
    if (!chain.checkRuns.isEmpty())
        lines << checksSummary(chain.checkRuns);
    if (!p.title.isEmpty())
        lines << p.title;
    return lines;
}

} // namespace

ChainStrip::ChainStrip(QWidget *parent)
    : QWidget(parent)
    , m_group(new QButtonGroup(this))
{
    auto *layout = new QHBoxLayout(this);
    // The gaps hold the painted connectors; they scale with the font like everything else.
    layout->setSpacing(fontMetrics().height() * 2);
    m_group->setExclusive(true);
    for (int i = 0; i < cardCount; ++i) {
        m_cards[std::size_t(i)] = new ChainCard(cardTitle(Card(i)), this);
        m_group->addButton(m_cards[std::size_t(i)], i);
        layout->addWidget(m_cards[std::size_t(i)]);
    }
    m_cards[0]->setChecked(true);
    connect(m_group, &QButtonGroup::idClicked, this,
            [this](int id) { Q_EMIT cardActivated(Card(id)); });
}

ChainStrip::~ChainStrip() = default;

QString ChainStrip::cardTitle(Card card)
{
    switch (card) {
    case Card::Request:
        return tr("Request");
    case Card::Identity:
        return tr("Identity");
    case Card::Policy:
        return tr("Policy");
    case Card::Commands:
        return tr("Commands");
    case Card::PullRequest:
        return tr("Pull request");
    case Card::Transcript:
        return tr("Transcript");
    }
    return {};
}

void ChainStrip::setChain(const TaskChain &chain)
{
    setCard(Card::Request, chain.request ? requestLines(chain) : QStringList());
    setCard(Card::Identity, chain.identity ? identityLines(*chain.identity) : QStringList());
    setCard(Card::Policy, policyLines(chain));
    setCard(Card::Commands, commandLines(chain));
    setCard(Card::PullRequest,
            chain.pullRequest || chain.task.prNumber ? pullRequestLines(chain) : QStringList());
    const qint64 entries = chain.transcriptEntries;
    setCard(Card::Transcript, entries == 0   ? QStringList()
                              : entries == 1 ? QStringList{tr("1 entry")}
                                             : QStringList{tr("%L1 entries").arg(entries)});
}

void ChainStrip::clear()
{
    for (int i = 0; i < cardCount; ++i)
        setCard(Card(i), {});
}

void ChainStrip::setCard(Card which, const QStringList &lines)
{
    card(which)->setLines(lines, !lines.isEmpty());
}

ChainCard *ChainStrip::card(Card card) const
{
    return m_cards[std::size_t(card)];
}

QString ChainStrip::cardText(Card which) const
{
    return card(which)->cardText();
}

bool ChainStrip::isRecorded(Card which) const
{
    return card(which)->recorded();
}

QWidget *ChainStrip::cardWidget(Card which) const
{
    return card(which);
}

ChainStrip::Card ChainStrip::currentCard() const
{
    return Card(qMax(0, m_group->checkedId()));
}

void ChainStrip::setCurrentCard(Card which)
{
    card(which)->setChecked(true);
}

void ChainStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor color = palette().color(QPalette::Mid);
    const qreal head = fontMetrics().height() / 3.0;
    p.setPen(QPen(color, qMax(1.0, head / 3.0)));
    for (int i = 0; i + 1 < chainCardCount; ++i) {
        const QRect from = m_cards[std::size_t(i)]->geometry();
        const QRect to = m_cards[std::size_t(i) + 1]->geometry();
        const qreal y = from.center().y();
        const QPointF start(from.right() + head / 2, y);
        const QPointF end(to.left() - head / 2, y);
        if (end.x() - start.x() < head * 2)
            continue;
        p.drawLine(start, end - QPointF(head, 0));
        QPainterPath arrow;
        arrow.moveTo(end);
        arrow.lineTo(end + QPointF(-head * 1.5, -head));
        arrow.lineTo(end + QPointF(-head * 1.5, head));
        arrow.closeSubpath();
        p.fillPath(arrow, color);
    }
}

} // namespace Tasktrail
