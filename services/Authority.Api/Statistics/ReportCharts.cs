using ScottPlot;

namespace Traceability.Authority.Api.Statistics;

/// <summary>
/// The report's charts as SVG made on the server by ScottPlot, embedded in the page as inline
/// <c>&lt;svg&gt;</c>. ScottPlot's SVG uses presentation attributes (<c>fill</c>, <c>stroke</c>),
/// never a <c>style</c> attribute or element, so the page's strict CSP holds; its clip-path ids
/// are numbered per chart, so each chart's are prefixed to stay unique on the page.
/// </summary>
public static class ReportCharts
{
    private const int Width = 720, Height = 300;
    private const string Font = "DejaVu Sans";

    /// <summary>Scans per day, as a line over the period's dates.</summary>
    public static string ByDay(string id, string label, IReadOnlyList<DayCount> days)
    {
        var plot = NewPlot();
        if (days.Count > 0)
        {
            var xs = days.Select(d => DateTime.ParseExact(d.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToOADate()).ToArray();
            var scatter = plot.Add.Scatter(xs, days.Select(d => (double)d.Count).ToArray());
            scatter.MarkerSize = days.Count > 62 ? 0 : 5;
            plot.Axes.DateTimeTicksBottom();
        }
        plot.Axes.Margins(bottom: 0);
        return Svg(plot, id, label);
    }

    /// <summary>One bar per name (provinces, categories), largest first, at most <paramref name="max"/>.</summary>
    public static string Bars(string id, string label, IReadOnlyList<(string Name, long Count)> bars, int max = 12)
    {
        var plot = NewPlot();
        var shown = bars.Take(max).ToList();
        if (shown.Count > 0)
        {
            plot.Add.Bars(shown.Select((b, i) => new Bar { Position = i, Value = b.Count, FillColor = Colors.SteelBlue }).ToList());
            plot.Axes.Bottom.SetTicks([.. shown.Select((_, i) => (double)i)], [.. shown.Select(b => b.Name)]);
            plot.Axes.Bottom.TickLabelStyle.Rotation = shown.Count > 5 ? -30 : 0;
            plot.Axes.Bottom.TickLabelStyle.Alignment = shown.Count > 5 ? Alignment.MiddleRight : Alignment.UpperCenter;
        }
        plot.Axes.Margins(bottom: 0);
        return Svg(plot, id, label);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        return plot;
    }

    /// <summary>The SVG element alone (no XML declaration), scalable (viewBox), named for screen readers, ids made unique.</summary>
    private static string Svg(Plot plot, string id, string label)
    {
        var svg = plot.GetSvgXml(Width, Height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = svg[start..]
            .Replace("id=\"", $"id=\"{id}-", StringComparison.Ordinal)
            .Replace("url(#", $"url(#{id}-", StringComparison.Ordinal);
        var named = $"<svg role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(label)}\" viewBox=\"0 0 {Width} {Height}\" ";
        return named + svg["<svg ".Length..];
    }
}
