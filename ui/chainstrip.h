#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include <array>

class QButtonGroup;

namespace Tasktrail {

class ChainCard;
struct TaskChain;

// The signature of a task at a glance: Request -> Identity -> Policy -> Commands -> PR as five
// connected cards, and the agent's conversation (Transcript) beside them. A card is a button:
// clicking it (or Space/Enter with focus on it) checks it and emits cardActivated, so a detail view
// can follow. Parts a source never delivered read "not recorded" instead of being left out, because
// a missing link is itself the answer.
class ChainStrip final : public QWidget
{
    Q_OBJECT

public:
    enum class Card
    {
        Request,
        Identity,
        Policy,
        Commands,
        PullRequest,
        Transcript, // beside the chain: the conversation that led to its commands
    };
    Q_ENUM(Card)
    static constexpr int cardCount = 6;
    // The cards joined by arrows: request to pull request.
    static constexpr int chainCardCount = 5;

    explicit ChainStrip(QWidget *parent = nullptr);
    ~ChainStrip() override;

    void setChain(const TaskChain &chain);
    void clear();

    // What a card shows, one line per row, the title first. Tests and accessibility read it.
    QString cardText(Card card) const;
    bool isRecorded(Card card) const;
    // The card's button, e.g. for its geometry or focus.
    QWidget *cardWidget(Card card) const;

    Card currentCard() const;
    // Checks a card without emitting cardActivated (for a view restoring its state).
    void setCurrentCard(Card card);

    static QString cardTitle(Card card);

Q_SIGNALS:
    void cardActivated(Tasktrail::ChainStrip::Card card);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void setCard(Card card, const QStringList &lines);
    ChainCard *card(Card card) const;

    std::array<ChainCard *, cardCount> m_cards{};
    QButtonGroup *m_group = nullptr;
};

} // namespace Tasktrail
