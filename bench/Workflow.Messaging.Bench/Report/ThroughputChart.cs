using System.Globalization;
using System.Net;
using System.Text;

namespace Workflow.Messaging.Bench.Report;

/// <summary>Throughput against worker count as a small hand-written SVG line chart.</summary>
internal static class ThroughputChart
{
    private const int Width = 640, Height = 400, Left = 70, Right = 20, Top = 40, Bottom = 60;

    public static string Render(string title, IReadOnlyList<BenchResult> results)
    {
        var points = results.OrderBy(r => r.Workers).Select(r => (X: (double)r.Workers, Y: r.ExecutionsPerSecond)).ToList();
        var maxX = Math.Max(1, points.Max(p => p.X));
        var maxY = NiceCeiling(Math.Max(1, points.Max(p => p.Y)));
        double Px(double x) => Left + (x / maxX) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (y / maxY) * (Height - Top - Bottom);
        string S(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{WebUtility.HtmlEncode(title)}</text>");
        for (var i = 0; i <= 4; i++)
        {
            var y = maxY * i / 4;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{S(Py(y))}\" x2=\"{Width - Right}\" y2=\"{S(Py(y))}\" stroke=\"#ddd\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{S(Py(y) + 4)}\" text-anchor=\"end\">{S(y)}</text>");
        }
        foreach (var p in points)
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{S(Px(p.X))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{p.X}</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">workers</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text transform=\"translate(18 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">executions/s</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => $"{S(Px(p.X))},{S(Py(p.Y))}"))}\"/>");
        foreach (var p in points)
            svg.AppendLine(CultureInfo.InvariantCulture, $"<circle cx=\"{S(Px(p.X))}\" cy=\"{S(Py(p.Y))}\" r=\"4\" fill=\"#1f77b4\"><title>{p.X} workers: {S(p.Y)} executions/s</title></circle>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    // 1, 2 or 5 times a power of ten: axis labels people can read.
    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(c => c >= value);
    }
}
