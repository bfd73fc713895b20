using Microsoft.Extensions.Configuration;
using Traceability.NationalPortal.Client;
using Traceability.Sync;

namespace Traceability.Benchmarks;

/// <summary>
/// The sync limit's caller: one product, the lots, then their events, posted straight to the portal
/// simulator, the worker's concurrency, in rounds of its lease batch. Two stacks: the portal client
/// the worker itself uses (<see cref="Stack.Client"/>: <c>AddNationalPortalClient</c> — Refit, the
/// token handler, the Polly pipeline — with the host's logging at Warning and the same quota
/// setting), which is the limit the drain is held to (issue 22: the worker should add little on top
/// of its client), and bare HttpClient POSTs (<see cref="Stack.Bare"/>, the floor of one HTTP call).
/// It runs in a process of its own, as the worker does: from the simulator's own process its calls
/// skipped the switches between two busy processes that every push of the worker pays, and in the
/// steady state that made the simulator look ~40 % cheaper per event than the worker ever sees it.
/// </summary>
internal sealed class DirectCaller : IDisposable
{
    /// <summary>The argument that makes this program the caller (see Program.cs): then the simulator's address, the lot count and the stack.</summary>
    public const string Argument = "--direct-caller";

    public enum Stack { Client, Bare }

    private static SyncOptions Worker => SyncScenario.Worker;
    private readonly Process process;

    private DirectCaller(Process process) => this.process = process;

    /// <summary>Starts this program again as the caller of the simulator at <paramref name="portal"/>.</summary>
    public static DirectCaller Start(Uri portal, int lots, Stack stack) =>
        new(Process.Start(new ProcessStartInfo("dotnet", [typeof(DirectCaller).Assembly.Location, Argument, portal.AbsoluteUri, lots.ToString(), stack.ToString()])
        {
            RedirectStandardInput = true, // closed by Dispose; until then the finished caller waits, so its CPU time can still be read
        })!);

    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Throws if the caller stopped before the simulator held everything.</summary>
    public void ThrowIfFailed()
    {
        if (process.HasExited && process.ExitCode != 0)
            throw new InvalidOperationException($"The direct caller exited with code {process.ExitCode}.");
    }

    /// <summary>The child's side: posts everything through <paramref name="stack"/>, then waits until its standard input closes.</summary>
    public static async Task RunAsync(Uri portal, int lots, Stack stack)
    {
        var post = stack == Stack.Client ? await ClientStackAsync(portal) : await BareAsync(portal);
        var product = await post.Product(new PortalProduct("5000888888", "08938888000015", "Cam sành Hàm Yên", "kg", "Tuyên Quang", null, null,
            "Hàm Yên", ["VietGAP"]));
        var lotIds = new string[lots];
        await InBatchesAsync(lots, async i => lotIds[i] = await post.Lot(new PortalLot(product, $"L{i}", "2026-10-01", "2027-03-01", 1000m, "KGM")));
        var start = new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.FromHours(7));
        await InBatchesAsync(lots * LookupScenario.EventsPerLot, i => post.Event(new PortalEvent(
            lotIds[i / LookupScenario.EventsPerLot], $"urn:uuid:{Guid.NewGuid()}", "vanChuyen", start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"),
            $"08938888000015.L{i / 10}", "urn:epc:id:sgln:8938888.00001.0", null, null, "ObjectEvent OBSERVE shipping in_progress")));
        await Console.In.ReadToEndAsync();
    }

    /// <summary>How each record kind is posted; each returns the portal's id of what it created.</summary>
    private sealed record Poster(Func<PortalProduct, Task<string>> Product, Func<PortalLot, Task<string>> Lot, Func<PortalEvent, Task<string>> Event);

    /// <summary>The worker's client, registered as the host registers it (the benchmark's quota setting included).</summary>
    private static Task<Poster> ClientStackAsync(Uri portal)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:BaseUrl"] = portal.AbsoluteUri,
            ["Portal:ClientId"] = PortalSimulatorServer.ClientId,
            ["Portal:ClientSecret"] = PortalSimulatorServer.ClientSecret,
            ["Portal:RatePerSecond"] = SyncScenario.BenchmarkQuota,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning)); // as the host logs
        services.AddNationalPortalClient(configuration);
        var api = services.BuildServiceProvider().GetRequiredService<INationalPortalApi>();
        return Task.FromResult(new Poster(
            async p => Stored(PortalOutcome.From(await api.CreateProductAsync(p), r => r.IdSanPham), "product"),
            async l => Stored(PortalOutcome.From(await api.CreateLotAsync(l), r => r.IdLoHang), "lot"),
            async e => Stored(PortalOutcome.From(await api.CreateEventAsync(e), r => r.IdSuKien), "event")));
    }

    /// <summary>
    /// The portal's id, read as the worker reads it: a 409 with the id counts as stored, as when the
    /// pipeline retried a call whose first attempt timed out after the portal had stored it (on a
    /// loaded machine the first token call can take longer than the 10 s attempt timeout).
    /// </summary>
    private static string Stored(PortalOutcome outcome, string what) => outcome.IsSuccess
        ? outcome.PortalId!
        : throw new InvalidOperationException($"{what}: {outcome.Kind} {outcome.Error}");

    private static async Task<Poster> BareAsync(Uri portal)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Worker.Concurrency }) { BaseAddress = portal };
        var token = await http.PostAsync("sso/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = PortalSimulatorServer.ClientId, ["client_secret"] = PortalSimulatorServer.ClientSecret,
        }));
        http.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!);
        return new Poster(
            p => CreateAsync(http, "ToChuc_SanPham", "idSanPham", p),
            l => CreateAsync(http, "ToChuc_LoHang", "idLoHang", l),
            e => CreateAsync(http, "ToChuc_SuKien", "idSuKien", e));
    }

    private static async Task InBatchesAsync(int count, Func<int, Task> work)
    {
        for (var first = 0; first < count; first += Worker.BatchSize)
        {
            var batchStart = first;
            await LoadTool.ForEachAsync(Math.Min(Worker.BatchSize, count - first), Worker.Concurrency, i => work(batchStart + i));
        }
    }

    private static async Task<string> CreateAsync<T>(HttpClient http, string resource, string idField, T body)
    {
        using var response = await http.PostAsJsonAsync("gw/tochuc/v5/" + resource, body);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"{resource}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())![idField]!;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}
