namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 8's reliability tests, loopback only: capture and sync under load while the portal fails,
/// and capture and sync while the host is killed. Both end with the same check: every acknowledged
/// event is stored once and reached the portal once, and no capture is half-stored.
/// </summary>
public sealed class ReliabilityTests : IDisposable
{
    /// <summary>15 s in CI; TRACE_SOAK=1 makes it the 60 s soak.</summary>
    private static readonly TimeSpan LoadDuration =
        TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("TRACE_SOAK") == "1" ? 60 : 15);

    /// <summary>30 % of portal calls fail (500, 503, 429), and 5 % are stored, then the connection drops (→ 409 on retry).</summary>
    private static readonly object PortalFaults = new
    {
        errorRate = 0.3, statuses = new[] { 500, 503, 429 }, retryAfterSeconds = 0, dropRate = 0.05,
    };

    private const int Lots = 8;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "trace-reliab-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Under_load_with_a_failing_portal_every_acknowledged_event_is_stored_once_and_synced_once()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await portal.SetFaultsAsync(PortalFaults);
        var settings = portal.HostSettings();
        settings["RateLimits:PublicPermitLimit"] = "0"; // one test client is not a scraper
        await using var app = new TraceabilityApp { Settings = settings };
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        var lots = Enumerable.Range(0, Lots).Select(i => $"R{i}").ToArray();
        foreach (var lot in lots) await producer.RegisterLotAsync(gtin, lot);
        var lookup = app.CreateClient();
        lookup.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        var sent = new ConcurrentBag<Capture>();
        var lookups = 0;
        var clock = Stopwatch.StartNew();
        var capturing = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var n = worker; clock.Elapsed < LoadDuration; n += 3)
            {
                var capture = Capture.Of(gtin, lots[n % Lots], events: 20);
                var response = await producer.Client.PostAsync("/epcis/capture", capture.Content(), Ct);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                sent.Add(capture with { Acknowledged = true });
            }
        }, Ct));
        var lookingUp = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var n = worker; clock.Elapsed < LoadDuration; n += 3)
            {
                var response = await lookup.GetAsync($"/01/{gtin}/10/{lots[n % Lots]}", Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Interlocked.Increment(ref lookups);
            }
        }, Ct));
        await Task.WhenAll([.. capturing, .. lookingUp]);

        await WaitForSyncAsync(app.Admin());
        await AssertExactlyOnceAsync(producer.Client, gtin, lots, [.. sent], portal);
        var stats = await portal.StatsAsync();
        Report($"{LoadDuration.TotalSeconds} s: {sent.Count} captures ({sent.Sum(c => c.EventIds.Length)} events), {lookups} lookups; portal: {stats}");
        Assert.True(lookups > 0 && sent.Count > 0, $"{sent.Count} captures, {lookups} lookups");
        Assert.True(stats.FaultsInjected > 0, "the portal's faults were not in force");
    }

    [Fact]
    public async Task Killing_the_host_three_times_during_capture_and_sync_loses_and_duplicates_nothing()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await portal.SetFaultsAsync(PortalFaults);
        var settings = portal.HostSettings();
        settings["Sync:LeaseSeconds"] = "5"; // rows a killed host had leased come back after 5 s
        // A lease must outlast a round (the host checks at start): portal calls end within 3 s here.
        settings["Portal:TotalTimeout"] = "00:00:03";
        settings["Portal:AttemptTimeout"] = "00:00:01";
        var lots = Enumerable.Range(0, Lots).Select(i => $"K{i}").ToArray();
        var gtin = "0" + "893999800001" + Traceability.Domain.Gs1.Gs1CheckDigit.Compute("0893999800001");
        var sent = new ConcurrentBag<Capture>();
        string producerKey;

        using (var first = await StandaloneProcess.StartAsync(dataDirectory, TraceabilityApp.AdminKey, settings))
        {
            var admin = first.Client(TraceabilityApp.AdminKey);
            var body = await (await admin.PostAsJsonAsync("/api/v1/producers", new
            {
                name = "HTX", taxCode = "5000999998", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "8939998" },
            }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
            producerKey = (string)body!["apiKey"]!;
            var producer = first.Client(producerKey);
            Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam" } }, Ct)).StatusCode);
            foreach (var lot in lots)
                Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot }, Ct)).StatusCode);
            await CaptureUntilKilledAsync(first, producer, gtin, lots, sent, portal);
        }
        for (var restart = 1; restart < 3; restart++)
        {
            using var host = await StandaloneProcess.StartAsync(dataDirectory, TraceabilityApp.AdminKey, settings);
            await CaptureUntilKilledAsync(host, host.Client(producerKey), gtin, lots, sent, portal);
        }

        using var last = await StandaloneProcess.StartAsync(dataDirectory, TraceabilityApp.AdminKey, settings);
        await WaitForSyncAsync(last.Client(TraceabilityApp.AdminKey));
        await AssertExactlyOnceAsync(last.Client(producerKey), gtin, lots, [.. sent], portal);
        Report($"{sent.Count(c => c.Acknowledged)} captures acknowledged, {sent.Count(c => !c.Acknowledged)} cut by a kill; portal: {await portal.StatsAsync()}");
        Assert.True(sent.Count(c => !c.Acknowledged) > 0, "no capture was in flight at a kill");
    }

    /// <summary>
    /// Four captures at a time until at least two more are acknowledged and the portal has received
    /// more events (so both capture and sync are under way), then SIGKILL.
    /// </summary>
    private static async Task CaptureUntilKilledAsync(StandaloneProcess host, HttpClient producer, string gtin,
        string[] lots, ConcurrentBag<Capture> sent, SimulatorHost portal)
    {
        var syncedBefore = portal.State.Received("event").Count;
        var acknowledged = 0;
        var captures = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var n = worker; ; n += 4)
            {
                var capture = Capture.Of(gtin, lots[n % Lots], events: 100);
                var status = (HttpStatusCode?)null;
                try
                {
                    status = (await producer.PostAsync("/epcis/capture", capture.Content())).StatusCode;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                sent.Add(capture with { Acknowledged = status == HttpStatusCode.Accepted });
                if (status is null) return; // the host is gone
                Assert.Equal(HttpStatusCode.Accepted, status);
                Interlocked.Increment(ref acknowledged);
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        while (acknowledged < 2 || portal.State.Received("event").Count <= syncedBefore)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "capture and sync did not get going");
            Assert.DoesNotContain(captures, c => c.IsFaulted);
            await Task.Delay(10, Ct); // polling for progress, not timing it
        }
        host.Kill();
        await Task.WhenAll(captures);
    }

    /// <summary>Waits until the outbox has nothing pending or in flight (a killed host's leases expire first).</summary>
    internal static async Task WaitForSyncAsync(HttpClient admin)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/sync/status", Ct))!;
            if ((long)status["pending"]! == 0 && (long)status["inFlight"]! == 0)
            {
                Assert.Equal(0, (long)status["failed"]!);
                return;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"the outbox did not drain: {status.ToJsonString()}");
            await Task.Delay(100, Ct); // polling the worker, not timing it
        }
    }

    /// <summary>
    /// Stored once: no event twice in the store, every acknowledged capture whole, every other one
    /// whole or absent. Synced once: the portal received each stored event exactly once, and nothing else.
    /// </summary>
    private static async Task AssertExactlyOnceAsync(HttpClient reader, string gtin, string[] lots,
        IReadOnlyList<Capture> sent, SimulatorHost portal)
    {
        var stored = new List<string>();
        foreach (var lot in lots)
            foreach (var e in await Epcis.QueryAsync(reader, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/{lot}&perPage=1000"))
                stored.Add((string)e!["eventID"]!);
        var storedOnce = stored.ToHashSet();
        Assert.Equal(stored.Count, storedOnce.Count);
        foreach (var capture in sent)
        {
            var present = capture.EventIds.Count(storedOnce.Contains);
            if (capture.Acknowledged) Assert.Equal(capture.EventIds.Length, present);
            else Assert.True(present is 0 || present == capture.EventIds.Length, $"a capture is half-stored: {present} of {capture.EventIds.Length}");
        }
        Assert.Equal(stored.Count, sent.Where(c => c.EventIds.Any(storedOnce.Contains)).Sum(c => c.EventIds.Length));

        var received = portal.State.Received("event").Select(r => r.NaturalKey).ToList();
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Equal(storedOnce.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        Assert.Equal(0, (await portal.StatsAsync()).DuplicatesStored);
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>One EPCIS document sent to /epcis/capture, its events named so the checks can find them.</summary>
    internal sealed record Capture(string[] EventIds, JsonObject Document, bool Acknowledged = false)
    {
        public static Capture Of(string gtin, string lot, int events)
        {
            var ids = Enumerable.Range(0, events).Select(_ => $"urn:uuid:{Guid.NewGuid()}").ToArray();
            return new(ids, Epcis.Document(ids.Select((id, i) => Epcis.ObjectEvent(gtin, lot, "shipping", i, id))));
        }

        public StringContent Content() => new(Document.ToJsonString(), Encoding.UTF8, "application/json");
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
