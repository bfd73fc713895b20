using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Traceability.PortalSimulator;
using Traceability.Sync;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 4: the host loads lots × 10 events with its sync worker off, restarts with the worker on
/// and pointed at the portal simulator (in this process, over loopback), and drains. The limit is
/// the simulator called directly with the same records, the worker's concurrency and its lease
/// batches. Then the same with issue 4's fault mix: time to drain and portal calls per record.
/// </summary>
internal static class SyncScenario
{
    private static readonly SyncOptions Worker = new(); // the defaults a user runs with

    /// <summary>Issue 4's mix: 20 % 500/503, 10 % 429 with Retry-After, 5 % stored-then-dropped, 30 s tokens.</summary>
    private static readonly FaultSettings FaultMix = new()
    {
        ErrorRate = 0.3, Statuses = [500, 503, 429], RetryAfterSeconds = 1, DropRate = 0.05, TokenLifetimeSeconds = 30,
    };

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var lots = context.Quick ? 500 : 5_000;
        // Both sides first push warm-up lots (6 events in 10 measured): the host has just restarted,
        // and its JIT tiering (tier-0, then instrumented code) runs for ~15 s — most of a cold drain.
        var warmupLots = lots * 6 / 10;
        var faultLots = context.Quick ? 50 : 100; // retry delays, not CPU, set its pace: ~15 records/s
        var events = lots * LookupScenario.EventsPerLot;
        var warmupEvents = warmupLots * LookupScenario.EventsPerLot;
        var shape = $"{events:N0} events, {lots:N0} lots, timed after {warmupEvents:N0} events of warm-up, concurrency {Worker.Concurrency}, batches of {Worker.BatchSize}";

        Console.WriteLine("   simulator called directly …");
        var limit = await DirectAcceptRateAsync(warmupLots + lots, warmupEvents);
        Console.WriteLine($"   {limit:N0} events/s");

        Console.WriteLine("   drain, faults off …");
        var (drainRate, _, _) = await DrainAsync(context, warmupLots + lots, faults: null, warmupEvents);
        Console.WriteLine($"   {drainRate:N0} events/s");

        Console.WriteLine("   drain, issue 4 fault mix …");
        var faultEvents = faultLots * LookupScenario.EventsPerLot;
        var (_, faulted, stats) = await DrainAsync(context, faultLots, FaultMix, warmupEvents: 0);
        var records = stats.Products + stats.Lots + stats.Events;
        var callsPerRecord = (double)stats.Requests / records;

        var portal = $"portal simulator in the benchmark process, {context.Provider}";
        return
        [
            new Row("sync", $"outbox drain to the portal, faults off ({shape}; {portal})", drainRate, "events/s",
                "the simulator called directly, same records, concurrency and batches", limit, "≥ 80 %"),
            new Row("sync", $"drain with the fault mix ({faultEvents:N0} events, {faultLots} lots; 20 % 500/503, 10 % 429, 5 % dropped, 30 s tokens)",
                faulted.TotalSeconds, "s", "the same records with faults off at the clean rate",
                faultEvents / drainRate, "report"),
            new Row("sync", $"portal calls per record with the fault mix ({records:N0} records; {stats.DuplicatesRejected:N0} duplicates answered 409, 0 stored)",
                callsPerRecord, "calls", "one call per record", 1, "report"),
        ];
    }

    /// <summary>
    /// Loads the host with the worker off, restarts it with the worker on against a fresh simulator,
    /// and returns the steady event rate, the time from the first record the portal stored to the
    /// last event, and the simulator's stats.
    /// </summary>
    private static async Task<(double EventRate, TimeSpan Drain, SimulatorStats Stats)> DrainAsync(ScenarioContext context, int lots, FaultSettings? faults, int warmupEvents)
    {
        var events = lots * LookupScenario.EventsPerLot;
        using var loading = await HostProcess.StartAsync(context.Provider);
        await LookupScenario.LoadAsync(loading, lots);
        await using var portal = await PortalSimulatorServer.StartAsync(faults);
        var settings = portal.HostSettings();
        settings["Sync__Enabled"] = "true";
        // The client's own quota (default 50/s, the real portal's) would be all this measured; the simulator has none.
        settings["Portal__RatePerSecond"] = "10000";
        using var host = await loading.RestartAsync(settings);

        var clock = Stopwatch.StartNew();
        var timeout = TimeSpan.FromMinutes(context.Quick ? 5 : 10);
        SimulatorStats stats;
        while ((stats = portal.State.Stats()).Events < events)
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"The portal holds {stats.Events:N0} of {events:N0} events after {timeout.TotalMinutes} min.");
            await Task.Delay(250);
            if (clock.Elapsed.TotalSeconds % 15 < 0.25)
                Console.WriteLine($"   {stats.Events:N0} of {events:N0} events at the portal ({stats.Requests:N0} requests)");
        }
        if (stats.DuplicatesStored != 0 || stats.Lots != lots || stats.Events != events)
            throw new InvalidOperationException($"The portal holds {stats}; expected {lots} lots and {events} events, each once.");
        var received = portal.State.Received();
        return (EventRateAfter(portal.State, warmupEvents), received[^1].ReceivedAt - received[0].ReceivedAt, stats);
    }

    /// <summary>
    /// The limit: one product, the lots, then the events, posted straight to a fresh simulator with
    /// the worker's concurrency in rounds of its lease batch. Timed like the drain, by the simulator's
    /// own clock, over the events after the warm-up.
    /// </summary>
    private static async Task<double> DirectAcceptRateAsync(int lots, int warmupEvents)
    {
        var events = lots * LookupScenario.EventsPerLot;
        await using var portal = await PortalSimulatorServer.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Worker.Concurrency }) { BaseAddress = portal.BaseAddress };
        var token = await http.PostAsync("sso/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = PortalSimulatorServer.ClientId, ["client_secret"] = PortalSimulatorServer.ClientSecret,
        }));
        http.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!);

        var product = await CreateAsync(http, "ToChuc_SanPham", "idSanPham", new
        {
            maSoThue = "5000888888", maBarcode = "08938888000015", tenSanPham = "Cam sành Hàm Yên", donViTinh = "kg",
            xuatXu = "Tuyên Quang", moTa = (string?)null, hinhAnh = (string?)null, thuongHieu = "Hàm Yên", tieuChuanApDung = new[] { "VietGAP" },
        });
        var lotIds = new string[lots];
        await InBatchesAsync(lots, async i => lotIds[i] = await CreateAsync(http, "ToChuc_LoHang", "idLoHang", new
        {
            idSanPham = product, soLo = $"L{i}", ngaySanXuat = "2026-10-01", hanSuDung = "2027-03-01", soLuong = 1000m, donViTinh = "KGM",
        }));
        var start = new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.FromHours(7));
        await InBatchesAsync(events, async i => await CreateAsync(http, "ToChuc_SuKien", "idSuKien", new
        {
            idLoHang = lotIds[i / LookupScenario.EventsPerLot], maSuKien = $"urn:uuid:{Guid.NewGuid()}", congDoan = "vanChuyen",
            thoiGian = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"), maTruyVetSanPham = $"08938888000015.L{i / 10}",
            maTruyVetDiaDiem = "urn:epc:id:sgln:8938888.00001.0", tenDiaDiem = (string?)null, diaChi = (string?)null,
            moTa = "ObjectEvent OBSERVE shipping in_progress",
        }));
        return EventRateAfter(portal.State, warmupEvents);
    }

    /// <summary>Events per second by the simulator's clock, from the first event after the warm-up to the last.</summary>
    private static double EventRateAfter(PortalState state, int warmupEvents)
    {
        var events = state.Received("event");
        return (events.Count - 1 - warmupEvents) / (events[^1].ReceivedAt - events[warmupEvents].ReceivedAt).TotalSeconds;
    }

    private static async Task InBatchesAsync(int count, Func<int, Task> work)
    {
        for (var from = 0; from < count; from += Worker.BatchSize)
        {
            var first = from;
            await LoadTool.ForEachAsync(Math.Min(Worker.BatchSize, count - from), Worker.Concurrency, i => work(first + i));
        }
    }

    private static async Task<string> CreateAsync(HttpClient http, string resource, string idField, object body)
    {
        using var response = await http.PostAsJsonAsync("gw/tochuc/v5/" + resource, body);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"{resource}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())![idField]!;
    }
}
