#include "ansitext.h"

#include <array>

namespace Tasktrail {

namespace {

struct SgrState
{
    int foreground = -1;
    int background = -1;
    bool bold = false;
};

QList<int> sgrParameters(QByteArrayView params)
{
    QList<int> values;
    int value = 0;
    for (const char c : params) {
        if (c >= '0' && c <= '9') {
            value = qMin(value * 10 + (c - '0'), 9999);
        } else {
            values << value;
            value = 0;
        }
    }
    values << value; // an empty parameter list means 0, a reset
    return values;
}

void applySgr(SgrState &state, const QList<int> &codes)
{
    for (qsizetype i = 0; i < codes.size(); ++i) {
        const int code = codes.at(i);
        if (code == 0) {
            state = SgrState{};
        } else if (code == 1) {
            state.bold = true;
        } else if (code == 22) {
            state.bold = false;
        } else if (code >= 30 && code <= 37) {
            state.foreground = code - 30;
        } else if (code >= 90 && code <= 97) {
            state.foreground = code - 90 + 8;
        } else if (code == 39) {
            state.foreground = -1;
        } else if (code >= 40 && code <= 47) {
            state.background = code - 40;
        } else if (code >= 100 && code <= 107) {
            state.background = code - 100 + 8;
        } else if (code == 49) {
            state.background = -1;
        } else if (code == 38 || code == 48) {
            // Extended colours: 5;n (256 colours) or 2;r;g;b. Only the first 16 map to the
            // palette; the rest keep the default but their parameters are consumed.
            int &target = code == 38 ? state.foreground : state.background;
            const int mode = i + 1 < codes.size() ? codes.at(i + 1) : -1;
            if (mode == 5 && i + 2 < codes.size()) {
                const int n = codes.at(i + 2);
                target = n < 16 ? n : -1;
                i += 2;
            } else if (mode == 2) {
                target = -1;
                i = qMin(i + 4, codes.size());
            } else {
                i = codes.size();
            }
        }
    }
}

} // namespace

QList<AnsiSegment> parseAnsi(QByteArrayView utf8)
{
    QList<AnsiSegment> segments;
    SgrState state;
    QByteArray pending;
    const auto flush = [&] {
        if (pending.isEmpty())
            return;
        segments << AnsiSegment{QString::fromUtf8(pending), state.foreground, state.background,
                                state.bold};
        pending.clear();
    };

    const qsizetype size = utf8.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char c = utf8.at(i);
        if (c != '\x1b') {
            pending += c;
            continue;
        }
        if (i + 1 >= size || utf8.at(i + 1) != '[')
            continue; // a lone ESC or a non-CSI sequence: drop the ESC
        // CSI: parameter bytes 0x30-0x3f, intermediates 0x20-0x2f, one final byte 0x40-0x7e.
        qsizetype end = i + 2;
        while (end < size && (utf8.at(end) < 0x40 || utf8.at(end) > 0x7e))
            ++end;
        if (end >= size)
            break; // truncated sequence at the end of the line
        if (utf8.at(end) == 'm') {
            flush();
            applySgr(state, sgrParameters(utf8.sliced(i + 2, end - i - 2)));
        }
        i = end;
    }
    flush();
    return segments;
}

QColor ansiColor(int index)
{
    static constexpr std::array<QRgb, 16> palette = {
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
        0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    };
    if (index < 0 || index >= int(palette.size()))
        return {};
    return QColor::fromRgb(palette[std::size_t(index)]);
}

} // namespace Tasktrail
