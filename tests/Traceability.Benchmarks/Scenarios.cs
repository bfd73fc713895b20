namespace Traceability.Benchmarks;

internal sealed record ScenarioContext(string Provider, bool Quick);

/// <summary>One line of the report: a measured figure beside its limit on the same machine.</summary>
internal sealed record Row(string Scenario, string Figure, double Value, string Unit, string LimitName, double Limit, string Target)
{
    public string Ratio => Limit > 0 ? $"{Value / Limit:P0}" : "–";

    public string Format(double v) => v >= 100 ? v.ToString("N0") : v.ToString("N2");

    public static string Markdown(IEnumerable<Row> rows, string command, int cores, TimeSpan elapsed)
    {
        var lines = new List<string>
        {
            $"Command: `{command}` — {cores} cores, {DateTime.UtcNow:yyyy-MM-dd} UTC, {elapsed.TotalSeconds:F0} s in all",
            "",
            "| scenario | figure | value | limit (same machine) | value / limit | target |",
            "|---|---|---|---|---|---|",
        };
        lines.AddRange(rows.Select(r =>
            $"| {r.Scenario} | {r.Figure} | {r.Format(r.Value)} {r.Unit} | {r.LimitName}: {r.Format(r.Limit)} {r.Unit} | {r.Ratio} | {r.Target} |"));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}

internal static class Scenarios
{
    /// <summary>What runs without arguments: everything, as lookup reports page, verify and memory on its one load.</summary>
    public static readonly string[] Default = ["capture", "lookup", "sync"];

    public static readonly Dictionary<string, Func<ScenarioContext, Task<IReadOnlyList<Row>>>> All = new()
    {
        ["capture"] = CaptureScenario.RunAsync,
        ["lookup"] = LookupScenario.RunAsync, // also gives the page, verify and memory rows
        ["verify"] = LookupScenario.VerifyAsync, // the lookup load, then only verify
        ["memory"] = LookupScenario.MemoryAsync, // the lookup load only
        ["sync"] = SyncScenario.RunAsync,
        ["qr"] = QrScenario.RunAsync, // decoders on 120 photo-like images, then the image bombs
        ["qr-decode"] = QrScenario.DecodersAsync, // the decoders only
        ["qr-bomb"] = QrScenario.BombsAsync, // the bombs only
        ["statistics"] = StatisticsScenario.RunAsync, // issue 18: the periodic report's query over a year (not in the default run)
        ["early-warning-cost"] = EarlyWarningCostScenario.RunAsync, // issue 19: the early-warning engine's CPU per scan, in process (not in the default run)
    };
}
