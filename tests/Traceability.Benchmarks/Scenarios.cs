namespace Traceability.Benchmarks;

internal sealed record ScenarioContext(string Provider, bool Quick)
{
    /// <summary>Markdown a scenario adds below the table (e.g. a curve that does not fit in one row).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The early-warning evaluation's random seeds (comma-separated), simulated weeks and threshold, when given.</summary>
    public string? Seeds { get; init; }

    public string? Weeks { get; init; }

    public string? Threshold { get; init; }

    /// <summary>Environment for every host a scenario starts (gc-ab: the GC setting under test); empty: the host's own settings.</summary>
    public IReadOnlyDictionary<string, string> HostEnvironment { get; init; } = new Dictionary<string, string>();
}

/// <summary>One line of the report: a measured figure beside its limit on the same machine.</summary>
internal sealed record Row(string Scenario, string Figure, double Value, string Unit, string LimitName, double Limit, string Target)
{
    public string Ratio => Limit > 0 ? $"{Value / Limit:P0}" : "–";

    public string Format(double v) => v >= 100 ? v.ToString("N0") : v.ToString("N2");

    public static string Markdown(IEnumerable<Row> rows, string command, int cores, TimeSpan elapsed, IEnumerable<string>? notes = null)
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
        foreach (var note in notes ?? []) lines.AddRange(["", note]);
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}

internal static class Scenarios
{
    /// <summary>What runs without arguments: everything, as lookup reports page, verify and memory on its one load.</summary>
    public static readonly string[] Default = ["capture", "capture-erp", "lookup", "startup", "sync", "sync-sustained", "sync-catchup"];

    public static readonly Dictionary<string, Func<ScenarioContext, Task<IReadOnlyList<Row>>>> All = new()
    {
        ["capture"] = CaptureScenario.RunAsync,
        ["capture-erp"] = CaptureErpScenario.RunAsync, // issue 22: ERP-like documents, 1 client and 8
        ["lookup"] = LookupScenario.RunAsync, // also gives the page, verify and memory rows
        ["page-render"] = PageRenderScenario.RunAsync, // issue 22: one rendering of the provenance page, in process, µs and bytes (not in the default run)
        ["memory-gc"] = GcScenario.RunAsync,
        ["gc-ab"] = GcScenario.AbAsync, // issue 22 point 4: capture, capture-erp and memory under the three GC settings, side by side (not in the default run; for a quiet machine) // issue 22 point 2: the memory load and random lookups under three GC settings, with the RSS curve
        ["startup"] = StartupScenario.RunAsync, // issue 22 point 5: process start to the first answered lookup, empty and loaded store
        ["verify"] = LookupScenario.VerifyAsync, // the lookup load, then only verify
        ["memory"] = LookupScenario.MemoryAsync, // the lookup load only
        ["sync"] = SyncScenario.RunAsync,
        ["sync-sustained"] = SyncLoadScenario.SustainedAsync, // issue 22: 1,000 events/s for 60 s with the worker on: outbox lag
        ["sync-catchup"] = SyncLoadScenario.CatchUpAsync, // issue 22: 100,000 records pending after an outage, at the default and the highest quota
        ["qr"] = QrScenario.RunAsync, // decoders on 120 photo-like images, then the image bombs
        ["qr-decode"] = QrScenario.DecodersAsync, // the decoders only
        ["qr-bomb"] = QrScenario.BombsAsync, // the bombs only
        ["statistics"] = StatisticsScenario.RunAsync, // issue 18: the periodic report's query over a year (not in the default run)
        ["early-warning-cost"] = EarlyWarningCostScenario.RunAsync, // issue 19: the early-warning engine's CPU per scan, in process (not in the default run)
        ["early-warning-eval"] = EarlyWarningEvalScenario.RunAsync, // issue 19 point 4: labelled incidents and decoys through the engine, per seed (not in the default run)
    };
}
