#pragma once

#include <QString>
#include <QStringBuilder>

namespace Tasktrail {

// Label/value rows for the chain's detail pages. Labels and values are escaped alike, so
// neither a recorded string nor a translation can inject markup into a rich-text view.
class DetailHtml final
{
public:
    explicit DetailHtml(const QString &title)
        : m_title(title)
    {}

    DetailHtml &row(const QString &label, const QString &value)
    {
        if (!value.isEmpty())
            m_rows += QStringLiteral("<tr><td><b>") % label.toHtmlEscaped() %
                      QStringLiteral("</b>&nbsp;</td><td>") % value.toHtmlEscaped() %
                      QStringLiteral("</td></tr>");
        return *this;
    }
    // Free text (prompts, request text) keeps its line breaks.
    DetailHtml &block(const QString &label, const QString &text)
    {
        if (!text.isEmpty())
            m_rows += QStringLiteral("<tr><td><b>") % label.toHtmlEscaped() %
                      QStringLiteral("</b>&nbsp;</td><td style=\"white-space: pre-wrap\">") %
                      text.toHtmlEscaped() % QStringLiteral("</td></tr>");
        return *this;
    }
    bool isEmpty() const { return m_rows.isEmpty(); }

    // `missing` is what an empty section says instead, in a muted italic.
    QString html(const QString &missing) const
    {
        const QString title =
            QStringLiteral("<h3>") % m_title.toHtmlEscaped() % QStringLiteral("</h3>");
        if (m_rows.isEmpty())
            return title % QStringLiteral("<p><i>") % missing.toHtmlEscaped() %
                   QStringLiteral("</i></p>");
        return title % QStringLiteral("<table cellspacing=\"2\">") % m_rows %
               QStringLiteral("</table>");
    }

private:
    QString m_title;
    QString m_rows;
};

} // namespace Tasktrail
