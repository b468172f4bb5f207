#pragma once

#include "displaytext.h"
#include "records/recordfields.h"

#include <QString>
#include <QStringBuilder>

#include <algorithm>
#include <initializer_list>
#include <string_view>

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
    // A row for each field of a record in its list's order (records/recordfields.h), but
    // the key when the section already names the record, and those in `skip` (shown another
    // way by the caller). The fields in `blocks` are free text and come last.
    template<typename Record>
    DetailHtml &fields(const Record &record, std::span<const RecordField<Record>> list,
                       bool withKey, std::initializer_list<std::string_view> skip = {},
                       std::initializer_list<std::string_view> blocks = {})
    {
        const auto in = [](std::initializer_list<std::string_view> names, const char *name) {
            return std::find(names.begin(), names.end(), std::string_view(name)) != names.end();
        };
        for (const auto &f : list) {
            if ((!withKey && f.merge == FieldMerge::Key) || in(skip, f.name) || in(blocks, f.name))
                continue;
            row(fieldLabel(f), fieldText(record, f, Shown{}));
        }
        for (const auto &f : list) {
            if (in(blocks, f.name))
                block(fieldLabel(f), fieldText(record, f, Shown{}));
        }
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

    // Times and token kinds as the rest of the application writes them.
    struct Shown
    {
        QString operator()(const QDateTime &time) const { return DisplayText::timestamp(time); }
        QString operator()(IdentityKind kind) const { return DisplayText::identityKind(kind); }
    };

    // The headers and the cells of a table of records, a column for each field in its list's
    // order but `omit` (the key the page already names).
    template<typename Record>
    static QStringList headers(std::span<const RecordField<Record>> list, std::string_view omit)
    {
        QStringList out;
        for (const auto &f : list) {
            if (omit != f.name)
                out << fieldLabel(f);
        }
        return out;
    }
    template<typename Record>
    static QStringList cells(const Record &record, std::span<const RecordField<Record>> list,
                             std::string_view omit)
    {
        QStringList out;
        for (const auto &f : list) {
            if (omit != f.name)
                out << fieldText(record, f, Shown{});
        }
        return out;
    }

private:
    QString m_title;
    QString m_rows;
};

} // namespace Tasktrail
