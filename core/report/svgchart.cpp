#include "svgchart.h"

#include "reportcharts.h"
#include "reporttext.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr double width = 720;
constexpr double height = 280;
constexpr double top = 40;
constexpr double right = 16;

QString n(double v)
{
    return QString::number(v, 'f', 1);
}

double niceMax(double max)
{
    if (max <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(max)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (step * magnitude >= max)
            return step * magnitude;
    }
    return 10 * magnitude;
}

double maxValue(const ReportChart &c)
{
    double max = 0;
    for (qsizetype i = 0; i < c.categories.size(); ++i) {
        double stack = 0;
        for (const ReportChartSeries &s : c.series) {
            const double v = s.values.value(i);
            if (c.stacked && !s.line)
                stack += v;
            else
                max = qMax(max, v);
        }
        max = qMax(max, stack);
    }
    return niceMax(max);
}

QString text(double x, double y, const QString &label, const char *anchor,
             const QString &extra = {})
{
    return u"<text x=\""_s % n(x) % u"\" y=\""_s % n(y) % u"\" text-anchor=\""_s %
           QLatin1StringView(anchor) % u'"' % extra % u'>' % ReportText::html(label) %
           u"</text>\n"_s;
}

QString rect(double x, double y, double w, double h, const QString &color, const QString &tip)
{
    return u"<rect x=\""_s % n(x) % u"\" y=\""_s % n(y) % u"\" width=\""_s % n(w) %
           u"\" height=\""_s % n(h) % u"\" fill=\""_s % ReportText::html(color) % u"\"><title>"_s %
           ReportText::html(tip) % u"</title></rect>\n"_s;
}

QString legend(const ReportChart &c)
{
    QString out;
    double x = 60;
    for (const ReportChartSeries &s : c.series) {
        out += rect(x, 22, 10, 10, s.color, s.name);
        out += text(x + 14, 31, s.name, "start");
        x += 24 + 7 * double(s.name.size());
    }
    return out;
}

QString vertical(const ReportChart &c)
{
    const double left = 48;
    const double bottom = 64;
    const double plotW = width - left - right;
    const double plotH = height - top - bottom;
    const double max = maxValue(c);
    const qsizetype count = qMax<qsizetype>(1, c.categories.size());
    const double slot = plotW / double(count);
    qsizetype bars = 0;
    for (const ReportChartSeries &s : c.series)
        bars += s.line ? 0 : 1;
    const double barW = c.stacked ? slot * 0.8 : slot * 0.8 / double(qMax<qsizetype>(1, bars));
    const auto y = [&](double v) { return top + plotH - v / max * plotH; };
    QString out;
    for (int i = 0; i <= 4; ++i) {
        const double v = max * i / 4;
        out += u"<line x1=\""_s % n(left) % u"\" x2=\""_s % n(width - right) % u"\" y1=\""_s %
               n(y(v)) % u"\" y2=\""_s % n(y(v)) % u"\" stroke=\"#ddd\"/>\n"_s;
        out += text(left - 4, y(v) + 4, ReportText::number(v), "end");
    }
    const qsizetype every = qMax<qsizetype>(1, (count + 11) / 12);
    for (qsizetype i = 0; i < c.categories.size(); ++i) {
        const double x0 = left + slot * double(i) + slot * 0.1;
        double stack = 0;
        qsizetype bar = 0;
        for (const ReportChartSeries &s : c.series) {
            if (s.line)
                continue;
            const double v = s.values.value(i);
            const double x = c.stacked ? x0 : x0 + barW * double(bar++);
            if (v > 0)
                out += rect(x, y(stack + v), barW, y(stack) - y(stack + v), s.color,
                            c.categories[i] % u": "_s % s.name % u' ' % ReportText::number(v));
            if (c.stacked)
                stack += v;
        }
        if (i % every == 0) {
            const double lx = left + slot * (double(i) + 0.5);
            out +=
                text(lx, top + plotH + 12, c.categories[i], "end",
                     u" transform=\"rotate(-40 "_s % n(lx) % u' ' % n(top + plotH + 12) % u")\""_s);
        }
    }
    for (const ReportChartSeries &s : c.series) {
        if (!s.line)
            continue;
        QString points;
        for (qsizetype i = 0; i < c.categories.size(); ++i)
            points += n(left + slot * (double(i) + 0.5)) % u',' % n(y(s.values.value(i))) % u' ';
        out += u"<polyline fill=\"none\" stroke-width=\"2\" stroke=\""_s %
               ReportText::html(s.color) % u"\" points=\""_s % points.trimmed() % u"\"/>\n"_s;
    }
    return out;
}

QString horizontal(const ReportChart &c)
{
    const double left = 200;
    const double plotW = width - left - right - 40;
    const double max = maxValue(c);
    const double rowH =
        qMin(24.0, (height - top - 10) / double(qMax<qsizetype>(1, c.categories.size())));
    QString out;
    for (qsizetype i = 0; i < c.categories.size(); ++i) {
        const double y0 = top + rowH * double(i);
        QString label = c.categories[i];
        if (label.size() > 30)
            label = label.left(29) % u'…';
        out += text(left - 6, y0 + rowH * 0.7, label, "end");
        double x = left;
        for (const ReportChartSeries &s : c.series) {
            const double v = s.values.value(i);
            const double w = v / max * plotW;
            out += rect(x, y0 + rowH * 0.15, w, rowH * 0.7, s.color,
                        c.categories[i] % u": "_s % ReportText::number(v));
            out += text(x + w + 4, y0 + rowH * 0.7, ReportText::number(v), "start");
            x += c.stacked ? w : 0;
        }
    }
    return out;
}

} // namespace

QString svgChart(const ReportChart &c)
{
    return u"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\""_s %
           n(width) % u"\" height=\""_s % n(height) % u"\" viewBox=\"0 0 "_s % n(width) % u' ' %
           n(height) % u"\" font-family=\"sans-serif\" font-size=\"11\">\n<title>"_s %
           ReportText::html(c.title) % u"</title>\n"_s %
           text(8, 14, c.title, "start", u" font-size=\"14\" font-weight=\"bold\""_s) % legend(c) %
           (c.horizontal ? horizontal(c) : vertical(c)) % u"</svg>\n"_s;
}

} // namespace Tasktrail
