using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Traceability.PortalSimulator;

namespace Traceability.Sync.Tests;

/// <summary>DESIGN §4.1: with Portal:BaseUrl unset the host runs the simulator under /_portal and syncs to it.</summary>
public sealed class InProcessPortalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://+:8080", "http://127.0.0.1:8080")]
    [InlineData("http://0.0.0.0:8080;https://+:8443", "http://127.0.0.1:8080")]
    [InlineData("https://+:8443;http://localhost:5000/", "http://localhost:5000")]
    [InlineData(null, "http://localhost:5000")]
    public void The_portal_client_calls_this_host_on_its_first_http_address(string? urls, string expected) =>
        Assert.Equal(expected, InProcessPortal.SelfAddress(urls));

    [Fact]
    public async Task Without_a_portal_address_the_host_syncs_to_its_own_simulator_under_portal()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var builder = WebApplication.CreateSlimBuilder(["--urls", url, "--Sync:PollInterval=00:00:00.050"]);
        builder.Logging.ClearProviders();
        var store = new InMemoryTraceStore();
        using var stores = TestStores.Of(store);
        var seeded = await TestData.SeedAsync(stores, products: 1, lots: 1, events: 5);
        builder.Services.AddSingleton<IAccountStore>(store);
        builder.Services.AddSingleton<ICatalogStore>(store);
        builder.Services.AddSingleton<IEventStore>(store);
        builder.Services.AddSingleton<IOutboxStore>(store);

        Assert.True(builder.AddInProcessPortalWhenUnset());
        builder.AddSyncWorker();
        await using var app = builder.Build();
        app.MapInProcessPortal();
        await app.StartAsync(Ct);

        var clock = Stopwatch.StartNew();
        while ((await store.GetStatusAsync(DateTimeOffset.UtcNow, Ct)) is { Pending: > 0 } or { InFlight: > 0 })
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the worker did not drain the outbox");
            await Task.Delay(20, Ct); // polling the store, not timing anything
        }
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var stats = await http.GetFromJsonAsync<SimulatorStats>("/_portal/_sim/stats", Ct);
        using var root = await http.GetAsync("/_sim/stats", Ct);
        await app.StopAsync(Ct);

        Assert.Equal((1, 1, 5), (stats!.Products, stats.Lots, stats.Events));
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.All(await seeded.RowsAsync(store), r => Assert.Equal(OutboxState.Synced, r.State));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
