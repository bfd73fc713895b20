namespace Traceability.Benchmarks;

/// <summary>
/// Issue 22 point 2: the host's resident memory under three garbage-collector settings, set through
/// the environment (the runtime reads DOTNET_gcServer and DOTNET_GCDynamicAdaptationMode before the
/// runtimeconfig.json the project wrote): each loads the lookup scenario's lots and events, then
/// serves random JSON lookups over all of them with the default cache budget (Lookup:CacheMegabytes)
/// while the RSS is sampled. Rows: RSS after the load, the highest sample during the lookups, and the
/// lookup rate (so a setting that saves memory by serving less shows it); the curve goes below the table.
/// </summary>
internal static class GcScenario
{
    private const int Samples = 12;

    internal static readonly (string Name, Dictionary<string, string> Environment)[] Settings =
    [
        ("Workstation GC (the host's setting)", []),
        ("Server GC with DATAS", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1" }),
        ("Server GC without DATAS", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" }),
    ];

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var rows = new List<Row>();
        var curves = new List<(string Name, List<(double Seconds, double Mb)> Samples)>();
        foreach (var (name, environment) in Settings)
        {
            var (memory, samples) = await MemoryAsync(context, name, environment, rows.Count > 2 ? rows[2].Value : null);
            rows.AddRange(memory);
            curves.Add((name, samples));
        }
        context.Notes.Add(Curve(curves));
        return rows;
    }

    /// <summary>
    /// Issue 22 point 4, for a quiet machine: capture, capture-erp and the memory load with its lookups, each on a
    /// fresh host, under each of the three settings in turn (capture's hosts through
    /// <see cref="ScenarioContext.HostEnvironment"/>); the rows, then the same figures side by side below the table.
    /// Under load from other processes the settings' differences drown (the GC's threads compete with them): the
    /// figures mean something only from a machine doing nothing else.
    /// </summary>
    public static async Task<IReadOnlyList<Row>> AbAsync(ScenarioContext context)
    {
        var rows = new List<Row>();
        var bySetting = new List<(string Name, List<Row> Rows)>();
        var curves = new List<(string Name, List<(double Seconds, double Mb)> Samples)>();
        foreach (var (name, environment) in Settings)
        {
            Console.WriteLine($"   == {name}");
            var under = context with { HostEnvironment = environment };
            var mine = new List<Row>();
            mine.AddRange(await CaptureScenario.RunAsync(under));
            mine.AddRange(await CaptureErpScenario.RunAsync(under));
            var (memory, samples) = await MemoryAsync(context, name, environment, bySetting.Count > 0 ? bySetting[0].Rows[^1].Value : null);
            mine.AddRange(memory.Select(r => r with { Figure = r.Figure[(name.Length + 2)..] }));
            curves.Add((name, samples));
            bySetting.Add((name, mine));
            rows.AddRange(mine.Select(r => r with { Scenario = "gc-ab", Figure = $"{name}: {r.Figure}" }));
        }
        context.Notes.Add(SideBySide(bySetting));
        context.Notes.Add(Curve(curves));
        return rows;
    }

    /// <summary>The memory load, then random lookups with the RSS sampled, on a fresh host under one setting.</summary>
    private static async Task<(List<Row> Rows, List<(double Seconds, double Mb)> Samples)> MemoryAsync(
        ScenarioContext context, string name, Dictionary<string, string> environment, double? firstRate)
    {
        var lots = context.Quick ? 5_000 : 100_000;
        var duration = TimeSpan.FromSeconds(context.Quick ? 12 : 60);
        Console.WriteLine($"   {name}");
        using var host = await HostProcess.StartAsync(context.Provider, environment, dataRoot: HostProcess.MemoryBackedRoot);
        var empty = host.WorkingSetBytes() / 1048576.0;
        var gtin = await LookupScenario.LoadAsync(host, lots);
        var loaded = host.WorkingSetBytes() / 1048576.0;
        // The environment is read by the runtime, not checked by it: the GC threads show whether it took.
        Console.WriteLine($"   {ServerGcThreads(host.ProcessId)} server GC threads; RSS {empty:N0} MB empty, {loaded:N0} MB loaded");

        using var client = LookupScenario.Client(LookupScenario.Connections);
        var samples = new List<(double, double)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                samples.Add((clock.Elapsed.TotalSeconds, host.WorkingSetBytes() / 1048576.0));
                try { await Task.Delay(duration / Samples, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var result = await LoadTool.RunAsync(client, LookupScenario.Connections, duration,
            n => LookupScenario.Lookup(host, gtin, n, lots, "application/json"), r => r.StatusCode == HttpStatusCode.OK);
        await stop.CancelAsync();
        await sampler;
        samples.Add((clock.Elapsed.TotalSeconds, host.WorkingSetBytes() / 1048576.0));
        if (result.Errors > 0) throw new InvalidOperationException($"{name}: {result.Errors} lookups were not 200.");

        List<Row> rows =
        [
            new Row("memory-gc", $"{name}: host RSS after loading {lots * LookupScenario.EventsPerLot:N0} events ({lots:N0} lots), {context.Provider}",
                loaded, "MB", "RSS of the empty host", empty, "≤ 300 MB"),
            new Row("memory-gc", $"{name}: highest RSS while serving random lookups over all lots ({LookupScenario.Connections} connections, {duration.TotalSeconds:F0} s, default cache budget)",
                samples.Max(s => s.Item2), "MB", "RSS of the empty host", empty, "≤ 400 MB"),
            new Row("memory-gc", $"{name}: JSON lookups during that pass", result.RequestsPerSecond, "req/s",
                "the first setting's", firstRate ?? result.RequestsPerSecond, "report"),
        ];
        return (rows, samples);
    }

    /// <summary>Each figure once, with its value under each setting (and its ratio to its limit) in columns.</summary>
    private static string SideBySide(List<(string Name, List<Row> Rows)> bySetting)
    {
        var sb = new StringBuilder("The GC settings side by side (value, and value / limit of the same host's run):\n\n| figure | ");
        sb.AppendJoin(" | ", bySetting.Select(s => s.Name)).Append(" |\n|---|").Append(string.Concat(bySetting.Select(_ => "---|"))).Append('\n');
        for (var i = 0; i < bySetting[0].Rows.Count; i++)
        {
            var first = bySetting[0].Rows[i];
            sb.Append($"| {first.Scenario}: {first.Figure} | ");
            sb.AppendJoin(" | ", bySetting.Select(s => i < s.Rows.Count ? $"{s.Rows[i].Format(s.Rows[i].Value)} {s.Rows[i].Unit} ({s.Rows[i].Ratio})" : ""));
            sb.Append(" |\n");
        }
        return sb.ToString();
    }

    /// <summary>The RSS samples of each setting side by side, by sample (their times differ by milliseconds).</summary>
    private static string Curve(List<(string Name, List<(double Seconds, double Mb)> Samples)> curves)
    {
        var sb = new StringBuilder("RSS over the lookup pass (MB; the time is the first setting's):\n\n| s | ");
        sb.AppendJoin(" | ", curves.Select(c => c.Name)).Append(" |\n|---|").Append(string.Concat(curves.Select(_ => "---|"))).Append('\n');
        for (var i = 0; i < curves.Max(c => c.Samples.Count); i++)
        {
            sb.Append($"| {curves[0].Samples.ElementAtOrDefault(i).Seconds:F0} | ");
            sb.AppendJoin(" | ", curves.Select(c => i < c.Samples.Count ? c.Samples[i].Mb.ToString("N0") : "")).Append(" |\n");
        }
        return sb.ToString();
    }

    /// <summary>Threads named by the runtime's server GC (".NET Server GC"); none under workstation GC.</summary>
    private static int ServerGcThreads(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task")
                .Count(t => File.ReadAllText(Path.Combine(t, "comm")).StartsWith(".NET Server GC", StringComparison.Ordinal));
        }
        catch (IOException) { return -1; }
    }
}
