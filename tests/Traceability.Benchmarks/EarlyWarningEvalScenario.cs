namespace Traceability.Benchmarks;

/// <summary>
/// Issue 19 point 4: the early-warning evaluation. For each seed (default 1–5) the simulation
/// (tests/Shared/EarlyWarningSimulation.cs, also run small by the functional tests) generates
/// <c>--weeks</c> (default 6; quick: 3) of one province's traffic (<c>--threshold</c>: another
/// EarlyWarning:Threshold than the host's default) with labelled incidents and decoys
/// and feeds it through the engine; the rows are the aggregate over the seeds, the note the table per
/// seed and per incident.
/// </summary>
internal static class EarlyWarningEvalScenario
{
    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var seeds = (context.Seeds ?? "1,2,3,4,5").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var weeks = context.Weeks is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : context.Quick ? 3 : 6;
        double? threshold = context.Threshold is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : null;
        // The seeds are independent runs (each its own store and clock): side by side, in seed order in the report.
        var results = (await Task.WhenAll(seeds.Select(async seed =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await Task.Run(() => EarlyWarningSimulation.RunAsync(seed, weeks * 7, threshold));
            Console.WriteLine($"   seed {seed}: {result.Scans:N0} scans, {result.Ranked.Count} alerts, recall {result.Recall:P0}, " +
                $"p@10 {result.PrecisionAt(10):P0}, {clock.Elapsed.TotalSeconds:F0} s");
            return result;
        }))).ToList();
        var times = results.SelectMany(r => r.TimesToAlert).Order().ToArray();
        var totalWeeks = results.Sum(r => r.Weeks);
        context.Notes.Add(Table(results, weeks, threshold));
        return
        [
            new("early-warning-eval", $"recall of injected incidents ({seeds.Length} seeds × {weeks} weeks)", Mean(results, r => r.Recall), "", "target", 0.9, "≥ 0.9"),
            new("early-warning-eval", "precision@10 (mean over seeds)", Mean(results, r => r.PrecisionAt(10)), "", "target", 0.8, "≥ 0.8"),
            new("early-warning-eval", "precision@50 (mean over seeds)", Mean(results, r => r.PrecisionAt(50)), "", "–", 0, "–"),
            new("early-warning-eval", "median time from first incident scan to alert (simulated)", Percentile(times, 0.5), "min", "target", 60, "< 60 min"),
            new("early-warning-eval", "p90 time from first incident scan to alert (simulated)", Percentile(times, 0.9), "min", "–", 0, "–"),
            new("early-warning-eval", "false alarms per simulated week on decoy traffic", results.Sum(r => r.DecoyFalseAlarms) / totalWeeks, "/week", "target", 2, "< 2"),
            new("early-warning-eval", "other false alarms per simulated week (background traffic)", results.Sum(r => r.OtherFalseAlarms) / totalWeeks, "/week", "–", 0, "–"),
        ];
    }

    private static double Mean(List<EarlyWarningSimulation.Result> results, Func<EarlyWarningSimulation.Result, double> of) => results.Average(of);

    private static double Percentile(double[] sortedMinutes, double q) =>
        sortedMinutes.Length == 0 ? double.NaN : sortedMinutes[Math.Min(sortedMinutes.Length - 1, (int)Math.Ceiling(q * sortedMinutes.Length) - 1)];

    private static double Percentile(TimeSpan[] sorted, double q) => Percentile([.. sorted.Select(t => t.TotalMinutes)], q);

    /// <summary>Per seed: the metrics; per incident: found by which kinds, and how fast; per decoy: its false alarms.</summary>
    private static string Table(List<EarlyWarningSimulation.Result> results, int weeks, double? threshold)
    {
        var lines = new List<string>
        {
            $"Early-warning evaluation, {weeks} simulated weeks per seed, EarlyWarning:Threshold {(threshold is { } th ? th.ToString(CultureInfo.InvariantCulture) : "default")}:",
            "",
            "| seed | scans | complaints | inspections | alerts | precision@10 | precision@50 | recall | median / p90 time to alert | decoy false alarms / week | other false alarms / week |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in results)
        {
            var times = r.TimesToAlert.Order().ToArray();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Seed} | {r.Scans:N0} | {r.Complaints} | {r.Inspections} | {r.Ranked.Count} | {r.PrecisionAt(10):F2} | {r.PrecisionAt(50):F2} | {r.Recall:F2} | {Percentile(times, 0.5):F0} / {Percentile(times, 0.9):F0} min | {r.DecoyFalseAlarms / r.Weeks:F2} | {r.OtherFalseAlarms / r.Weeks:F2} |"));
        }
        // Where the time goes: the first alert's kind and how many pieces of the incident's evidence it took.
        lines.AddRange(["", "| incident | found (seeds) | alert kinds | time to alert per seed (min) | first alert per seed: kind @ n-th piece of evidence |", "|---|---|---|---|---|"]);
        foreach (var name in results.SelectMany(r => r.Incidents).Select(i => i.Name).Distinct())
        {
            var of = results.Select(r => r.Incidents.Single(i => i.Name == name)).ToList();
            lines.Add($"| {name} | {of.Count(i => i.Found)}/{of.Count} | {string.Join(", ", of.SelectMany(i => i.Kinds).Distinct().Order())} | " +
                string.Join(", ", of.Select(i => i.TimeToAlert is { } t ? t.TotalMinutes.ToString("F0", CultureInfo.InvariantCulture) : "–")) + " | " +
                string.Join(", ", of.Select(i => i.FirstKind is null ? "–" : $"{i.FirstKind} @ {i.Evidence}")) + " |");
        }
        lines.AddRange(["", "| decoy | false alarms (all seeds) | kinds |", "|---|---|---|"]);
        foreach (var name in results.SelectMany(r => r.Decoys).Select(d => d.Name).Distinct())
        {
            var alarms = results.SelectMany(r => r.Ranked).Where(a => a.Incident is null && a.Decoy == name).ToList();
            lines.Add($"| {name} | {alarms.Count} | {string.Join(", ", alarms.Select(a => a.Alert.Kind).Distinct().Order())} |");
        }
        var other = results.SelectMany(r => r.Ranked).Where(a => a.Incident is null && a.Decoy is null).ToList();
        lines.Add($"| (background, no decoy) | {other.Count} | {string.Join(", ", other.GroupBy(a => a.Alert.Kind).Select(g => $"{g.Key} × {g.Count()}"))} |");
        return string.Join(Environment.NewLine, lines);
    }
}
