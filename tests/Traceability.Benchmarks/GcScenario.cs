using System.Diagnostics;
using System.Net;
using System.Text;

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

    private static readonly (string Name, Dictionary<string, string> Environment)[] Settings =
    [
        ("Workstation GC (the host's setting)", []),
        ("Server GC with DATAS", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1" }),
        ("Server GC without DATAS", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" }),
    ];

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var lots = context.Quick ? 5_000 : 100_000;
        var duration = TimeSpan.FromSeconds(context.Quick ? 12 : 60);
        var rows = new List<Row>();
        var curves = new List<(string Name, List<(double Seconds, double Mb)> Samples)>();
        foreach (var (name, environment) in Settings)
        {
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
            curves.Add((name, samples));

            rows.Add(new Row("memory-gc", $"{name}: host RSS after loading {lots * LookupScenario.EventsPerLot:N0} events ({lots:N0} lots), {context.Provider}",
                loaded, "MB", "RSS of the empty host", empty, "≤ 300 MB"));
            rows.Add(new Row("memory-gc", $"{name}: highest RSS while serving random lookups over all lots ({LookupScenario.Connections} connections, {duration.TotalSeconds:F0} s, default cache budget)",
                samples.Max(s => s.Item2), "MB", "RSS of the empty host", empty, "≤ 400 MB"));
            rows.Add(new Row("memory-gc", $"{name}: JSON lookups during that pass", result.RequestsPerSecond, "req/s",
                "the first setting's", rows.Count > 3 ? rows[2].Value : result.RequestsPerSecond, "report"));
        }
        context.Notes.Add(Curve(curves));
        return rows;
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
