#include "loghighlighter.h"

#include <QSyntaxHighlighter>
#include <QTextDocument>

#include <array>
#include <utility>

#ifdef TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

constexpr std::size_t styleCount = std::size_t(HighlightStyle::Section) + 1;
using FormatTable = std::array<QTextCharFormat, styleCount>;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor blend(const QColor &a, const QColor &b, qreal towardsB)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * towardsB,
                            a.greenF() + (b.greenF() - a.greenF()) * towardsB,
                            a.blueF() + (b.blueF() - a.blueF()) * towardsB);
}

FormatTable formatsFor(const QPalette &palette)
{
    // Hues are fixed; their lightness follows the background so both themes keep contrast.
    const bool dark = isDark(palette);
    const auto colour = [dark](QRgb onLight, QRgb onDark) {
        return QColor::fromRgb(dark ? onDark : onLight);
    };
    const auto coloured = [](const QColor &c, bool bold = false) {
        QTextCharFormat f;
        f.setForeground(c);
        if (bold)
            f.setFontWeight(QFont::Bold);
        return f;
    };
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);

    FormatTable table;
    const auto set = [&table](HighlightStyle s, const QTextCharFormat &f) {
        table[std::size_t(s)] = f;
    };
    set(HighlightStyle::Error, coloured(colour(0xc01c28, 0xff7b72)));
    set(HighlightStyle::Warning, coloured(colour(0x9a6700, 0xe3b341)));
    set(HighlightStyle::Timestamp, coloured(blend(text, base, 0.45)));
    QTextCharFormat prompt;
    prompt.setFontWeight(QFont::Bold);
    set(HighlightStyle::Prompt, prompt);
    set(HighlightStyle::DiffAdded, coloured(colour(0x1a7f37, 0x7ee787)));
    set(HighlightStyle::DiffRemoved, coloured(colour(0xc01c28, 0xff7b72)));
    set(HighlightStyle::DiffHunk, coloured(colour(0x8250df, 0xd2a8ff)));
    set(HighlightStyle::DiffHeader, coloured(text, true));
    set(HighlightStyle::JsonKey, coloured(colour(0x0550ae, 0x79c0ff)));
    set(HighlightStyle::JsonString, coloured(colour(0x0a3069, 0xa5d6ff)));
    set(HighlightStyle::JsonNumber, coloured(colour(0x953800, 0xffa657)));
    set(HighlightStyle::JsonLiteral, coloured(colour(0x8250df, 0xd2a8ff), true));
    QTextCharFormat comment = coloured(blend(text, base, 0.45));
    comment.setFontItalic(true);
    set(HighlightStyle::Comment, comment);
    set(HighlightStyle::Section, coloured(colour(0x8250df, 0xd2a8ff), true));
    return table;
}

QList<QTextLayout::FormatRange> builtinRanges(QStringView line, HighlightKind kind,
                                              const FormatTable &formats)
{
    QList<QTextLayout::FormatRange> ranges;
    for (const StyledSpan &span : builtinSpans(line, kind))
        ranges.push_back({int(span.start), int(span.length), formats[std::size_t(span.style)]});
    return ranges;
}

class BuiltinDocumentHighlighter final : public QSyntaxHighlighter
{
public:
    BuiltinDocumentHighlighter(QTextDocument *document, HighlightKind kind, FormatTable formats)
        : QSyntaxHighlighter(document)
        , m_kind(kind)
        , m_formats(std::move(formats))
    {}

protected:
    void highlightBlock(const QString &text) override
    {
        for (const auto &range : builtinRanges(text, m_kind, m_formats))
            setFormat(range.start, range.length, range.format);
    }

private:
    HighlightKind m_kind;
    FormatTable m_formats;
};

#ifdef TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING
// One repository for the whole application: loading the definitions is not cheap.
KSyntaxHighlighting::Repository &repository()
{
    static KSyntaxHighlighting::Repository shared;
    return shared;
}

QString definitionName(HighlightKind kind)
{
    switch (kind) {
    case HighlightKind::UnifiedDiff:
        return u"Diff"_s;
    case HighlightKind::Json:
        return u"JSON"_s;
    case HighlightKind::Toml:
        return u"TOML"_s;
    case HighlightKind::CommandLog:
        break;
    }
    return {};
}

KSyntaxHighlighting::Theme themeFor(const QPalette &palette)
{
    return repository().defaultTheme(isDark(palette) ? KSyntaxHighlighting::Repository::DarkTheme
                                                     : KSyntaxHighlighting::Repository::LightTheme);
}

// Collects the formats of one line instead of applying them to a document.
class LineHighlighter final : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    QList<QTextLayout::FormatRange> formatLine(QStringView line)
    {
        m_ranges.clear();
        highlightLine(line, KSyntaxHighlighting::State{});
        return std::exchange(m_ranges, {});
    }

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override
    {
        if (length == 0 || format.isDefaultTextStyle(theme()))
            return;
        QTextCharFormat f;
        if (format.hasTextColor(theme()))
            f.setForeground(format.textColor(theme()));
        if (format.hasBackgroundColor(theme()))
            f.setBackground(format.backgroundColor(theme()));
        if (format.isBold(theme()))
            f.setFontWeight(QFont::Bold);
        if (format.isItalic(theme()))
            f.setFontItalic(true);
        m_ranges.push_back({offset, length, f});
    }

private:
    QList<QTextLayout::FormatRange> m_ranges;
};
#endif

} // namespace

class LogHighlighterPrivate
{
public:
    QPalette palette;
    FormatTable formats;
#ifdef TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING
    LineHighlighter lines;
#endif
};

LogHighlighter::LogHighlighter(const QPalette &palette)
    : d(std::make_unique<LogHighlighterPrivate>())
{
    setPalette(palette);
}

LogHighlighter::~LogHighlighter() = default;

void LogHighlighter::setPalette(const QPalette &palette)
{
    d->palette = palette;
    d->formats = formatsFor(palette);
#ifdef TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING
    d->lines.setTheme(themeFor(palette));
#endif
}

QTextCharFormat LogHighlighter::format(HighlightStyle style) const
{
    return d->formats[std::size_t(style)];
}

QList<QTextLayout::FormatRange> LogHighlighter::formatLine(QStringView line, HighlightKind kind)
{
#ifdef TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING
    const auto definition = repository().definitionForName(definitionName(kind));
    if (definition.isValid()) {
        if (d->lines.definition() != definition)
            d->lines.setDefinition(definition);
        return d->lines.formatLine(line);
    }
#endif
    return builtinRanges(line, kind, d->formats);
}

void LogHighlighter::highlight(QTextDocument *document, HighlightKind kind)
{
    if (!document)
        return;
    // Highlighting again (e.g. for a new palette) replaces what was installed before.
    qDeleteAll(document->findChildren<QSyntaxHighlighter *>(Qt::FindDirectChildrenOnly));
#ifdef TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING
    const auto definition = repository().definitionForName(definitionName(kind));
    if (definition.isValid()) {
        auto *highlighter = new KSyntaxHighlighting::SyntaxHighlighter(document);
        highlighter->setTheme(themeFor(d->palette));
        highlighter->setDefinition(definition);
        return;
    }
#endif
    new BuiltinDocumentHighlighter(document, kind, d->formats); // owned by the document
}

bool LogHighlighter::hasKSyntaxHighlighting()
{
#ifdef TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING
    return true;
#else
    return false;
#endif
}

} // namespace Tasktrail
