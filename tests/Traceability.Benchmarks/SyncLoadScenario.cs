using System.Collections.Concurrent;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 22 point 4, the questions a province has about sync: does the portal's copy stay close to
/// real time under a steady capture load (<see cref="SustainedAsync"/>), and how long does it take to
/// catch up after the portal was away for an hour (<see cref="CatchUpAsync"/>)?
/// </summary>
internal static class SyncLoadScenario
{
    /// <summary>Portal:RatePerSecond's default (an assumption, see the README's configuration table); the simulator is set to it too.</summary>
    private const double DefaultQuota = 50;
    /// <summary>The highest rate limit the simulator's settings allow (FaultSettings.RateLimitPerSecond), and Portal:RatePerSecond's.</summary>
    private const double HighestQuota = 1_000_000;

    /// <summary>
    /// 1,000 events/s captured for 60 s (quick: 15 s) in 100-event documents, every 100 ms, with the
    /// worker on and pointed at the simulator; the quota is raised (<see cref="SyncScenario.BenchmarkQuota"/>)
    /// since the default 50/s cannot carry 1,000 events/s at all. The lag of an event is the time from its
    /// capture's 202 to the portal storing it, by this process's clock (the simulator runs in it).
    /// </summary>
    public static async Task<IReadOnlyList<Row>> SustainedAsync(ScenarioContext context)
    {
        const int perSecond = 1000, perDocument = 100;
        var seconds = context.Quick ? 15 : 60;
        var lots = context.Quick ? 200 : 1000;
        await using var portal = await PortalSimulatorServer.StartAsync();
        var settings = portal.HostSettings();
        settings["Sync__Enabled"] = "true";
        settings["Portal__RatePerSecond"] = SyncScenario.BenchmarkQuota;
        using var host = await HostProcess.StartAsync(context.Provider, settings);
        var (producer, gtin) = await LookupScenario.RegisterAsync(host, lots);
        using var _ = producer;
        await WaitAsync(() => portal.State.Stats().Lots >= lots, TimeSpan.FromMinutes(5), $"{lots} lots at the portal");

        Console.WriteLine($"   capturing {perSecond:N0} events/s for {seconds} s …");
        var acknowledged = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var posts = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 * perDocument / perSecond));
        var clock = Stopwatch.StartNew();
        var documents = 0;
        while (clock.Elapsed.TotalSeconds < seconds && await timer.WaitForNextTickAsync())
        {
            var d = documents++;
            // Not awaited: a slow capture must not slow the offered load down.
            posts.Add(Task.Run(async () =>
            {
                var (body, ids) = Document(gtin, d, perDocument, lots);
                using var response = await producer.PostAsync("/epcis/capture", new StringContent(body, Encoding.UTF8, "application/json"));
                if (response.StatusCode != HttpStatusCode.Accepted)
                    throw new InvalidOperationException($"capture {d}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var at = DateTimeOffset.UtcNow;
                foreach (var id in ids) acknowledged[id] = at;
            }));
        }
        await Task.WhenAll(posts);
        var offered = clock.Elapsed;
        var events = documents * perDocument;
        await WaitAsync(() => portal.State.Stats().Events >= events, TimeSpan.FromMinutes(5), $"{events:N0} events at the portal");
        var received = portal.State.Received("event");
        var started = DateTimeOffset.UtcNow - clock.Elapsed;
        Console.WriteLine($"   capture ran {offered.TotalSeconds:N1} s; the portal stored its first event {(received[0].ReceivedAt - started).TotalSeconds:N1} s " +
            $"and its last {(received[^1].ReceivedAt - started).TotalSeconds:N1} s after the capture started");
        var lags = received.Select(r => (r.ReceivedAt - acknowledged[r.NaturalKey]).TotalMilliseconds).Order().ToArray();
        double Percentile(double q) => lags[Math.Min(lags.Length - 1, (int)(q * lags.Length))];
        var pollMs = SyncScenario.Worker.PollInterval.TotalMilliseconds;
        Console.WriteLine($"   lag p50 {Percentile(0.5):N0} ms, p99 {Percentile(0.99):N0} ms, max {lags[^1]:N0} ms");
        return
        [
            new Row("sync-sustained", $"capture offered at {perSecond:N0} events/s for {seconds} s in {perDocument}-event documents, worker on ({context.Provider})",
                events / offered.TotalSeconds, "events/s", "the rate offered", perSecond, "report"),
            new Row("sync-sustained", "outbox lag p50: capture's 202 to the portal storing the event (quota raised; the default 50/s cannot carry this load)",
                Percentile(0.5), "ms", "the worker's idle poll interval (Sync:PollInterval)", pollMs, "report"),
            new Row("sync-sustained", "outbox lag p99", Percentile(0.99), "ms", "the worker's idle poll interval (Sync:PollInterval)", pollMs, "report"),
        ];
    }

    /// <summary>
    /// 100,000 records pending (quick: 10,000; one product, the lots and 10 events each) after an hour
    /// without the portal, loaded with the worker off; then, on copies of that store, the worker on
    /// against a simulator that enforces the default quota (its rate over a window, and the time to
    /// drain it implies: a full drain at 50/s takes half an hour), and against one at the highest rate the
    /// simulator allows (the time to drain, measured) beside the portal client called directly over
    /// the same records.
    /// </summary>
    public static async Task<IReadOnlyList<Row>> CatchUpAsync(ScenarioContext context)
    {
        var lots = context.Quick ? 909 : 9_091;
        var records = 1 + lots * (1 + LookupScenario.EventsPerLot);
        var window = TimeSpan.FromSeconds(context.Quick ? 10 : 60);
        using var loading = await HostProcess.StartAsync(context.Provider);
        await LookupScenario.LoadAsync(loading, lots);
        // An hour of captures gave the projector the hour to keep up; only the drain is timed here.
        await loading.WaitForLookupViewsAsync(lots, SyncScenario.ProjectorCatchUp(lots));

        double quotaRate;
        long refused;
        {
            Console.WriteLine($"   default quota ({DefaultQuota}/s at the portal and in the client), {window.TotalSeconds:F0} s window …");
            await using var portal = await PortalSimulatorServer.StartAsync(new FaultSettings { RateLimitPerSecond = DefaultQuota });
            var settings = portal.HostSettings();
            settings["Sync__Enabled"] = "true"; // Portal:RatePerSecond left at its default
            using var host = await loading.StartOnCopyAsync(settings);
            await WaitAsync(() => Stored(portal) > 0, TimeSpan.FromMinutes(1), "the first record at the portal");
            var from = Stored(portal);
            await Task.Delay(window);
            quotaRate = (Stored(portal) - from) / window.TotalSeconds;
            refused = portal.State.Stats().FaultsInjected;
            Console.WriteLine($"   {quotaRate:N1} records/s; the portal refused {refused:N0} calls with 429");
        }

        TimeSpan drained;
        {
            Console.WriteLine($"   highest quota ({HighestQuota:N0}/s) …");
            await using var portal = await PortalSimulatorServer.StartAsync(new FaultSettings { RateLimitPerSecond = HighestQuota });
            var settings = portal.HostSettings();
            settings["Sync__Enabled"] = "true";
            settings["Portal__RatePerSecond"] = HighestQuota.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var host = await loading.RestartAsync(settings);
            await WaitAsync(() => Stored(portal) >= records, TimeSpan.FromMinutes(15), $"{records:N0} records at the portal");
            drained = Span(portal);
            Console.WriteLine($"   drained in {drained.TotalSeconds:N1} s");
        }

        TimeSpan direct;
        {
            Console.WriteLine("   the portal client called directly over the same records …");
            await using var portal = await PortalSimulatorServer.StartAsync(new FaultSettings { RateLimitPerSecond = HighestQuota });
            using var caller = DirectCaller.Start(portal.BaseAddress, lots, DirectCaller.Stack.Client);
            await WaitAsync(() => { caller.ThrowIfFailed(); return Stored(portal) >= records; }, TimeSpan.FromMinutes(15), $"{records:N0} records at the portal");
            direct = Span(portal);
        }

        return
        [
            new Row("sync-catchup", $"catch-up after an outage at the default quota: records pushed per second over {window.TotalSeconds:F0} s " +
                $"({records:N0} pending; {refused:N0} calls refused 429 in the window), {context.Provider}",
                quotaRate, "records/s", "the quota (Portal:RatePerSecond's default, the simulator set to it)", DefaultQuota, "report"),
            new Row("sync-catchup", $"time to drain the {records:N0} records at that rate (extrapolated from the window; the full drain at the quota is not run)",
                records / quotaRate, "s", "the quota's own time (records / 50 per s)", records / DefaultQuota, "report"),
            new Row("sync-catchup", $"time to drain the {records:N0} records at the simulator's highest quota ({HighestQuota:N0}/s; first to last record stored)",
                drained.TotalSeconds, "s", "the portal client called directly over the same records", direct.TotalSeconds, "report"),
        ];
    }

    private static long Stored(PortalSimulatorServer portal)
    {
        var stats = portal.State.Stats();
        return stats.Products + stats.Lots + stats.Events;
    }

    /// <summary>From the first record the portal stored to the last.</summary>
    private static TimeSpan Span(PortalSimulatorServer portal)
    {
        var received = portal.State.Received();
        return received[^1].ReceivedAt - received[0].ReceivedAt;
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        for (var clock = Stopwatch.StartNew(); !done(); await Task.Delay(50))
            if (clock.Elapsed > timeout) throw new TimeoutException($"No {what} after {timeout.TotalMinutes:N0} min.");
    }

    /// <summary>A document of <paramref name="count"/> events over the lots in turn, stamped a minute ago; returns its eventIDs too.</summary>
    private static (string Body, List<string> EventIds) Document(string gtin, int d, int count, int lots)
    {
        var ids = new List<string>(count);
        var sb = new StringBuilder(count * 450);
        sb.Append("""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[""");
        var time = DateTimeOffset.UtcNow.AddMinutes(-1).ToOffset(TimeSpan.FromHours(7));
        for (var i = 0; i < count; i++)
        {
            var id = $"urn:uuid:{Guid.NewGuid()}";
            ids.Add(id);
            if (i > 0) sb.Append(',');
            sb.Append($$"""{"type":"ObjectEvent","eventID":"{{id}}","eventTime":"{{time.AddMilliseconds(i):yyyy-MM-ddTHH:mm:ss.fffzzz}}","eventTimeZoneOffset":"+07:00","action":"OBSERVE","bizStep":"shipping","disposition":"in_transit","readPoint":{"id":"urn:epc:id:sgln:8938888.00001.0"},"quantityList":[{"epcClass":"https://id.gs1.org/01/{{gtin}}/10/L{{(d * count + i) % lots}}","quantity":10,"uom":"KGM"}]}""");
        }
        sb.Append("]}}");
        return (sb.ToString(), ids);
    }
}
