using System.Globalization;
using System.Text;

namespace ForgetLab.Core.Plots;

/// <summary>One point of a series, with optional 95% intervals on either axis (drawn as error bars).</summary>
public sealed record ChartPoint(double X, double Y, double? XLow = null, double? XHigh = null, double? YLow = null, double? YHigh = null, string? Label = null);

/// <summary>A named set of points: markers, optionally joined by a line; dashed for fitted curves.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, bool Line = false, bool Markers = true, bool Dashed = false, string? Color = null, bool InLegend = true);

/// <summary>
/// A small, dependency-free SVG chart writer: one plot area, linear or log₁₀ axes with ticks, series
/// with markers, lines and error bars, point labels, and a legend. Enough for the report's figures
/// and regenerable from report.json by <c>forgetlab plot</c>; not a general plotting library.
/// </summary>
public sealed class SvgChart
{
    public static readonly string[] Palette =
        ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"];

    private const double Width = 820, Height = 480, Left = 70, Right = 270, Top = 40, Bottom = 56;

    public required string Title { get; init; }
    public required string XLabel { get; init; }
    public required string YLabel { get; init; }
    public bool LogX { get; init; }
    public bool LogY { get; init; }
    public List<ChartSeries> Series { get; } = [];

    /// <summary>Free text lines under the legend (fit results, notes).</summary>
    public List<string> Notes { get; } = [];

    public string ToSvg()
    {
        var all = Series.SelectMany(s => s.Points).SelectMany(Extent).Where(p => Usable(p.X, LogX) && Usable(p.Y, LogY)).ToList();
        if (all.Count == 0) all = [(1, 1)];
        var (x0, x1) = Range(all.Select(p => p.X), LogX);
        var (y0, y1) = Range(all.Select(p => p.Y), LogY);
        double Px(double x) => Left + (Scale(x, LogX) - Scale(x0, LogX)) / (Scale(x1, LogX) - Scale(x0, LogX)) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (Scale(y, LogY) - Scale(y0, LogY)) / (Scale(y1, LogY) - Scale(y0, LogY)) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(F($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(Title)}</text>\n"));
        var plotRight = Width - Right;
        var plotBottom = Height - Bottom;
        foreach (var t in Ticks(x0, x1, LogX))
        {
            var px = Px(t);
            svg.Append(F($"<line x1=\"{px:0.#}\" y1=\"{Top}\" x2=\"{px:0.#}\" y2=\"{plotBottom}\" stroke=\"#e5e5e5\"/>\n"));
            svg.Append(F($"<text x=\"{px:0.#}\" y=\"{plotBottom + 16}\" text-anchor=\"middle\">{TickText(t)}</text>\n"));
        }

        foreach (var t in Ticks(y0, y1, LogY))
        {
            var py = Py(t);
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{py:0.#}\" x2=\"{plotRight}\" y2=\"{py:0.#}\" stroke=\"#e5e5e5\"/>\n"));
            svg.Append(F($"<text x=\"{Left - 6}\" y=\"{py + 4:0.#}\" text-anchor=\"end\">{TickText(t)}</text>\n"));
        }

        svg.Append(F($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotRight - Left}\" height=\"{plotBottom - Top}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(F($"<text x=\"{(Left + plotRight) / 2}\" y=\"{Height - 14}\" text-anchor=\"middle\">{Escape(XLabel + (LogX ? " (log)" : ""))}</text>\n"));
        svg.Append(F($"<text transform=\"translate(18 {(Top + plotBottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(YLabel + (LogY ? " (log)" : ""))}</text>\n"));

        var placed = new List<(double X0, double Y0, double X1, double Y1)>();
        for (var i = 0; i < Series.Count; i++)
        {
            var s = Series[i];
            var color = s.Color ?? Palette[i % Palette.Length];
            var points = s.Points.Where(p => Usable(p.X, LogX) && Usable(p.Y, LogY)).ToList();
            if (s.Line && points.Count > 1)
                svg.Append(F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")} points=\"{string.Join(' ', points.Select(p => F($"{Px(p.X):0.#},{Py(p.Y):0.#}")))}\"/>\n"));
            foreach (var p in points)
            {
                if (p.YLow is { } yl && p.YHigh is { } yh && Usable(yl, LogY) && Usable(yh, LogY))
                    svg.Append(F($"<line x1=\"{Px(p.X):0.#}\" y1=\"{Py(yl):0.#}\" x2=\"{Px(p.X):0.#}\" y2=\"{Py(yh):0.#}\" stroke=\"{color}\" stroke-width=\"1.2\"/>\n"));
                if (p.XLow is { } xl && p.XHigh is { } xh && Usable(xl, LogX) && Usable(xh, LogX))
                    svg.Append(F($"<line x1=\"{Px(xl):0.#}\" y1=\"{Py(p.Y):0.#}\" x2=\"{Px(xh):0.#}\" y2=\"{Py(p.Y):0.#}\" stroke=\"{color}\" stroke-width=\"1.2\"/>\n"));
                if (s.Markers)
                    svg.Append(F($"<circle cx=\"{Px(p.X):0.#}\" cy=\"{Py(p.Y):0.#}\" r=\"4\" fill=\"{color}\"/>\n"));
                if (p.Label is { } label)
                    svg.Append(PointLabel(label, Px(p.X), Py(p.Y), plotRight, placed));
            }
        }

        var ly = Top + 6.0;
        for (var i = 0; i < Series.Count; i++)
        {
            var s = Series[i];
            if (!s.InLegend) continue;
            var color = s.Color ?? Palette[i % Palette.Length];
            if (s.Line) svg.Append(F($"<line x1=\"{plotRight + 12}\" y1=\"{ly + 4}\" x2=\"{plotRight + 32}\" y2=\"{ly + 4}\" stroke=\"{color}\" stroke-width=\"1.8\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}/>\n"));
            if (s.Markers) svg.Append(F($"<circle cx=\"{plotRight + 22}\" cy=\"{ly + 4}\" r=\"4\" fill=\"{color}\"/>\n"));
            svg.Append(F($"<text x=\"{plotRight + 38}\" y=\"{ly + 8}\" font-size=\"11\">{Escape(s.Name)}</text>\n"));
            ly += 17;
        }

        ly += 8;
        foreach (var note in Notes)
        {
            svg.Append(F($"<text x=\"{plotRight + 12}\" y=\"{ly + 8}\" font-size=\"10\" fill=\"#444\">{Escape(note)}</text>\n"));
            ly += 14;
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>
    /// A point's label, right of the point (left of it in the plot's right quarter, so it stays inside),
    /// moved up or down past labels already placed so that neighbours stay readable.
    /// </summary>
    private static string PointLabel(string label, double x, double y, double plotRight, List<(double X0, double Y0, double X1, double Y1)> placed)
    {
        var width = 5.6 * label.Length;
        var leftOf = x > plotRight - (plotRight - Left) / 4;
        var x0 = leftOf ? x - 6 - width : x + 6;
        foreach (var dy in new[] { -6.0, 14, -18, 26, -30, 38 })
        {
            var box = (X0: x0, Y0: y + dy - 9, X1: x0 + width, Y1: y + dy + 2);
            if (placed.Any(b => b.X0 < box.X1 && box.X0 < b.X1 && b.Y0 < box.Y1 && box.Y0 < b.Y1)) continue;
            placed.Add(box);
            return F($"<text x=\"{(leftOf ? x - 6 : x + 6):0.#}\" y=\"{y + dy:0.#}\" font-size=\"10\" fill=\"#333\"{(leftOf ? " text-anchor=\"end\"" : "")}>{Escape(label)}</text>\n");
        }

        return "";
    }

    private static IEnumerable<(double X, double Y)> Extent(ChartPoint p)
    {
        yield return (p.X, p.Y);
        if (p.YLow is { } yl) yield return (p.X, yl);
        if (p.YHigh is { } yh) yield return (p.X, yh);
        if (p.XLow is { } xl) yield return (xl, p.Y);
        if (p.XHigh is { } xh) yield return (xh, p.Y);
    }

    private static bool Usable(double v, bool log) => double.IsFinite(v) && (!log || v > 0);

    private static double Scale(double v, bool log) => log ? Math.Log10(v) : v;

    /// <summary>Axis range: 5% padding on either side (in log₁₀ on log axes), and a span when all values are equal.</summary>
    private static (double Low, double High) Range(IEnumerable<double> values, bool log)
    {
        var list = values.ToList();
        double lo = list.Min(), hi = list.Max();
        if (log)
        {
            var (a, b) = (Math.Log10(lo), Math.Log10(hi));
            if (b - a < 0.3) { a -= 0.15; b += 0.15; }
            var padLog = (b - a) * 0.05;
            return (Math.Pow(10, a - padLog), Math.Pow(10, b + padLog));
        }

        if (hi - lo < 1e-12) { lo -= 1; hi += 1; }
        var pad = (hi - lo) * 0.05;
        return (lo - pad, hi + pad);
    }

    /// <summary>Ticks: 1, 2, 5 × 10ᵏ within the range on log axes (1, 3 × 10ᵏ over one to two decades, decades only beyond); round steps on linear ones.</summary>
    internal static IReadOnlyList<double> Ticks(double lo, double hi, bool log)
    {
        var ticks = new List<double>();
        if (log)
        {
            var decades = Math.Log10(hi / lo);
            double[] mantissas = decades > 2 ? [1] : decades > 1 ? [1, 3] : [1, 2, 5];
            for (var e = (int)Math.Floor(Math.Log10(lo)); e <= (int)Math.Ceiling(Math.Log10(hi)); e++)
                foreach (var m in mantissas)
                {
                    var t = m * Math.Pow(10, e);
                    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.Add(t);
                }

            return ticks;
        }

        var raw = (hi - lo) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return ticks;
    }

    private static string TickText(double v) =>
        Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-3 && v != 0)
            ? v.ToString("0.#e0", CultureInfo.InvariantCulture)
            : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
