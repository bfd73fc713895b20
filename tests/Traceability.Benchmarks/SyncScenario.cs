using Traceability.Sync;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 4: the host loads lots × 10 events with its sync worker off, restarts with the worker on
/// and pointed at the portal simulator (in this process, over loopback), and drains. The limit is
/// the simulator called directly with the same records, the worker's concurrency and its lease
/// batches. Both are timed over two windows of the same run: after a warm-up, and later, in the
/// steady state. Then the same with issue 4's fault mix: time to drain and portal calls per record.
/// </summary>
internal static class SyncScenario
{
    internal static readonly SyncOptions Worker = new(); // the defaults a user runs with; the direct caller uses them too

    /// <summary>
    /// Portal:RatePerSecond in the benchmark: the client's own quota (default 50/s, see the README's
    /// configuration table) would be all that is measured, and the simulator enforces none. 10,000/s was
    /// within reach of the drain here and capped it: the quota sits far above.
    /// </summary>
    internal const string BenchmarkQuota = "100000";

    /// <summary>Issue 4's mix: 20 % 500/503, 10 % 429 with Retry-After, 5 % stored-then-dropped, 30 s tokens.</summary>
    private static readonly FaultSettings FaultMix = new()
    {
        ErrorRate = 0.3, Statuses = [500, 503, 429], RetryAfterSeconds = 1, DropRate = 0.05, TokenLifetimeSeconds = 30,
    };

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        // Windows in events. Both sides first push a warm-up (6 events in 10 timed): the host has just
        // restarted, and its JIT tiering runs for seconds. Window 1 (the figure reported since
        // session 3) follows it. The direct caller keeps getting faster after it (its rate rose by a
        // quarter to a half in this session's runs), so window 2, as long again, shows the steady state.
        var timedLots = context.Quick ? 500 : 5_000;
        var warmupLots = timedLots * 6 / 10;
        var lots = warmupLots + 2 * timedLots;
        var faultLots = context.Quick ? 50 : 100; // retry delays, not CPU, set its pace: ~15 records/s
        var timed = timedLots * LookupScenario.EventsPerLot;
        var warmup = warmupLots * LookupScenario.EventsPerLot;
        int[] bounds = [warmup, warmup + timed, warmup + 2 * timed];

        Console.WriteLine("   simulator called directly through the portal client …");
        var direct = await DirectAsync(lots, bounds, DirectCaller.Stack.Client);
        Console.WriteLine("   " + string.Join("; then ", direct.Select(w => $"{w.Rate:N0} events/s, caller {w.CallerCpu:N0} µs and simulator {w.SimulatorCpu:N0} µs of CPU per event")));
        Console.WriteLine("   simulator called directly with bare HttpClient POSTs …");
        var bare = await DirectAsync(lots, bounds, DirectCaller.Stack.Bare);
        Console.WriteLine("   " + string.Join("; then ", bare.Select(w => $"{w.Rate:N0} events/s, caller {w.CallerCpu:N0} µs and simulator {w.SimulatorCpu:N0} µs of CPU per event")));

        Console.WriteLine("   drain, faults off …");
        var (drain, _, _) = await DrainAsync(context, lots, faults: null, bounds);
        Console.WriteLine("   " + string.Join("; then ", drain.Select(w => $"{w.Rate:N0} events/s, host {w.CallerCpu:N0} µs and simulator {w.SimulatorCpu:N0} µs of CPU per event")));

        Console.WriteLine("   drain, issue 4 fault mix …");
        var faultEvents = faultLots * LookupScenario.EventsPerLot;
        var (_, faulted, stats) = await DrainAsync(context, faultLots, FaultMix, bounds: []);
        var records = stats.Products + stats.Lots + stats.Events;
        var callsPerRecord = (double)stats.Requests / records;

        var shape = $"concurrency {Worker.Concurrency}, batches of {Worker.BatchSize}, {Worker.Lanes} lanes; portal simulator in the benchmark process, {context.Provider}";
        const string limitName = "the portal client (AddNationalPortalClient: Refit, token handler, Polly) called directly from its own process, same records, concurrency and batches, same window";
        var steady = drain[1];
        return
        [
            new Row("sync", $"outbox drain to the portal, faults off: {timed:N0} events after {warmup:N0} of warm-up ({shape})",
                drain[0].Rate, "events/s", limitName, direct[0].Rate, "≥ 80 %"),
            new Row("sync", $"the same drain, steady state: the next {timed:N0} events ({lots:N0} lots in all)",
                steady.Rate, "events/s", limitName, direct[1].Rate, "≥ 80 %"),
            new Row("sync", "the portal client alone, steady state (the limit above)", direct[1].Rate, "events/s",
                "bare HttpClient POSTs of the same records, same window", bare[1].Rate, "report"),
            new Row("sync", "host CPU per event in the steady state (lease and record in SQLite, mapping, Refit, Polly, token handler, telemetry)",
                steady.CallerCpu, "µs", "the portal client's alone (Refit, Polly, token handler)", direct[1].CallerCpu, "report"),
            new Row("sync", "the portal client's CPU per event alone, steady state", direct[1].CallerCpu, "µs",
                "bare HttpClient calls'", bare[1].CallerCpu, "report"),
            new Row("sync", "simulator CPU per event in the steady state of the drain", steady.SimulatorCpu, "µs",
                "the simulator's in the direct run", direct[1].SimulatorCpu, "report"),
            new Row("sync", $"drain with the fault mix ({faultEvents:N0} events, {faultLots} lots; 20 % 500/503, 10 % 429, 5 % dropped, 30 s tokens)",
                faulted.TotalSeconds, "s", "the same records with faults off at the clean rate",
                faultEvents / drain[0].Rate, "report"),
            new Row("sync", $"portal calls per record with the fault mix ({records:N0} records; {stats.DuplicatesRejected:N0} duplicates answered 409, 0 stored)",
                callsPerRecord, "calls", "one call per record", 1, "report"),
        ];
    }

    /// <summary>One timed window: events/s by the simulator's clock, CPU µs per event of the caller and of the simulator.</summary>
    private sealed record Window(double Rate, double CallerCpu, double SimulatorCpu);

    /// <summary>
    /// Loads the host with the worker off, restarts it with the worker on against a fresh simulator,
    /// and returns each window between <paramref name="bounds"/> (events stored), the time from the
    /// first record the portal stored to the last event, and the simulator's stats.
    /// </summary>
    private static async Task<(IReadOnlyList<Window> Windows, TimeSpan Drain, SimulatorStats Stats)> DrainAsync(
        ScenarioContext context, int lots, FaultSettings? faults, int[] bounds)
    {
        using var loading = await HostProcess.StartAsync(context.Provider);
        await LookupScenario.LoadAsync(loading, lots);
        await loading.WaitForLookupViewsAsync(lots, ProjectorCatchUp(lots));
        await using var portal = await PortalSimulatorServer.StartAsync(faults);
        var settings = portal.HostSettings();
        settings["Sync__Enabled"] = "true";
        settings["Portal__RatePerSecond"] = BenchmarkQuota;
        using var host = await loading.RestartAsync(settings);
        var (marks, stats) = await WatchAsync(portal, lots, bounds, host.CpuTime, () => { }, TimeSpan.FromMinutes(context.Quick ? 5 : 10));
        var received = portal.State.Received();
        return (Windows(portal.State, bounds, marks), received[^1].ReceivedAt - received[0].ReceivedAt, stats);
    }

    /// <summary>How long to wait for the lookup projector after a load: its own pace, and a minute more.</summary>
    internal static TimeSpan ProjectorCatchUp(int lots) =>
        TimeSpan.FromSeconds(60 + (double)lots / Traceability.Lookup.Api.Provenance.LookupProjector.BuildsPerSecond);

    /// <summary>The limit: a fresh simulator called by <see cref="DirectCaller"/>, timed over the same windows as the drain.</summary>
    private static async Task<IReadOnlyList<Window>> DirectAsync(int lots, int[] bounds, DirectCaller.Stack stack)
    {
        await using var portal = await PortalSimulatorServer.StartAsync();
        using var caller = DirectCaller.Start(portal.BaseAddress, lots, stack);
        var (marks, _) = await WatchAsync(portal, lots, bounds, caller.CpuTime, caller.ThrowIfFailed, TimeSpan.FromMinutes(10));
        return Windows(portal.State, bounds, marks);
    }

    /// <summary>
    /// Waits until the simulator holds every lot and event once, taking a CPU mark of the caller
    /// (<paramref name="callerCpu"/>) and of this process as the events stored pass each bound.
    /// </summary>
    private static async Task<(List<CpuMark> Marks, SimulatorStats Stats)> WatchAsync(PortalSimulatorServer portal, int lots,
        int[] bounds, Func<TimeSpan> callerCpu, Action throwIfCallerFailed, TimeSpan timeout)
    {
        var events = lots * LookupScenario.EventsPerLot;
        var clock = Stopwatch.StartNew();
        var marks = new List<CpuMark>();
        SimulatorStats stats;
        while ((stats = portal.State.Stats()).Events < events)
        {
            if (marks.Count < bounds.Length && stats.Events >= bounds[marks.Count])
                marks.Add(CpuMark.Take(callerCpu, stats.Events));
            throwIfCallerFailed();
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"The portal holds {stats.Events:N0} of {events:N0} events after {timeout.TotalMinutes} min.");
            await Task.Delay(100);
            if (clock.Elapsed.TotalSeconds % 15 < 0.1)
                Console.WriteLine($"   {stats.Events:N0} of {events:N0} events at the portal ({stats.Requests:N0} requests)");
        }
        if (marks.Count < bounds.Length)
            marks.Add(CpuMark.Take(callerCpu, stats.Events)); // the last bound is the end
        if (stats.DuplicatesStored != 0 || stats.Lots != lots || stats.Events != events)
            throw new InvalidOperationException($"The portal holds {stats}; expected {lots} lots and {events} events, each once.");
        return (marks, stats);
    }

    /// <summary>The windows between consecutive bounds: rate by the simulator's clock, CPU from the marks taken at the bounds.</summary>
    private static List<Window> Windows(PortalState state, int[] bounds, List<CpuMark> marks)
    {
        var events = state.Received("event");
        return [.. Enumerable.Range(1, Math.Max(0, bounds.Length - 1)).Select(i =>
        {
            var (first, last) = (bounds[i - 1], Math.Min(bounds[i], events.Count) - 1);
            var rate = (last - first) / (events[last].ReceivedAt - events[first].ReceivedAt).TotalSeconds;
            return new Window(rate, marks[i].CallerPerEvent(marks[i - 1]), marks[i].SimulatorPerEvent(marks[i - 1]));
        })];
    }

    /// <summary>CPU used so far by the caller (the host or the direct caller) and by this process (the simulator), at a count of events stored.</summary>
    private sealed record CpuMark(TimeSpan Caller, TimeSpan Simulator, long Events)
    {
        public static CpuMark Take(Func<TimeSpan> callerCpu, long events) =>
            new(callerCpu(), Process.GetCurrentProcess().TotalProcessorTime, events);

        public double CallerPerEvent(CpuMark from) => (Caller - from.Caller).TotalMicroseconds / (Events - from.Events);

        public double SimulatorPerEvent(CpuMark from) => (Simulator - from.Simulator).TotalMicroseconds / (Events - from.Events);
    }
}
