using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Traceability.Lookup.Api;
using Traceability.Lookup.Api.Scans;
using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.Tests;

public sealed class ScanLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> GetAsync(LookupHost host, string url, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return await host.Client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Lookup_of_a_lot_or_serial_logs_an_anonymous_scan()
    {
        var host = await LookupHost.StartAsync();
        await SeedAsync(host.Stores);
        const string iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";

        await GetAsync(host, Path(OrangeGtin, OrangeLot) + "?province=" + Uri.EscapeDataString("Hà Nội"), iphone);
        await GetAsync(host, Path(OrangeGtin, OrangeLot) + "/21/S1?province=<script>", "curl/8.0");
        await GetAsync(host, $"/01/{OrangeGtin}", iphone);           // product only: not a scan of a lot
        await GetAsync(host, Path(OrangeGtin, "KHONG-CO"), iphone);   // unknown: not a scan
        await host.StopAsync();                                        // stopping flushes the queue

        var lotKey = LotKey.Of(OrangeGtin, OrangeLot);
        var scans = await host.Stores.Scans.GetScansAsync(lotKey, LookupHost.Now.AddDays(-1), Ct);
        Assert.Equal(2, scans.Count);
        // The client is a pseudonym (network + user agent, salted daily): present, opaque, distinct per client.
        Assert.All(scans, s => Assert.Matches("^[0-9a-f]{16}$", s.Client));
        Assert.NotEqual(scans[0].Client, scans[1].Client);
        Assert.Equal(new ScanRecord(LookupHost.Now, lotKey, null, "Hà Nội", "mobile"), scans[0] with { Client = null });
        Assert.Equal(new ScanRecord(LookupHost.Now, lotKey, "S1", null, "bot"), scans[1] with { Client = null });
        Assert.Single(await host.Stores.Scans.GetScansAsync(lotKey + "/21/S1", LookupHost.Now, Ct));
        await host.DisposeAsync();
    }

    [Fact]
    public void Full_queue_drops_and_counts_instead_of_waiting()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var telemetry = new LookupTelemetry(services.GetRequiredService<IMeterFactory>());
        var log = new ScanLog(Options.Create(new LookupOptions { ScanQueueCapacity = 2 }), telemetry);

        for (var i = 0; i < 5; i++)
            log.Record(new ScanRecord(LookupHost.Now, "01/x/10/y", null, null, "mobile"));

        Assert.Equal(3, log.Dropped);
    }

    [Fact]
    public async Task A_stuck_scan_store_never_slows_or_fails_lookups()
    {
        var stuck = new StuckScanStore();
        var host = await LookupHost.StartAsync(b =>
        {
            b.Services.AddSingleton<IScanStore>(stuck); // replaces the in-memory one (last registration wins)
            b.Configuration["Lookup:ScanQueueCapacity"] = "5";
            b.Configuration["Lookup:ScanBatchSize"] = "1";
        });
        await SeedAsync(host.Stores);

        for (var i = 0; i < 50; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, Path(OrangeGtin, OrangeLot), "Mozilla/5.0")).StatusCode);

        var log = host.Services.GetRequiredService<ScanLog>();
        Assert.True(log.Dropped >= 50 - 5 - 1, $"dropped {log.Dropped}");
        stuck.Release.SetResult();
        await host.DisposeAsync();
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Mobile Safari/537.36", "mobile")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36", "desktop")]
    [InlineData("Mozilla/5.0 (Linux; Android 14) Zalo/24.1", "app")]
    [InlineData("Googlebot/2.1 (+http://www.google.com/bot.html)", "bot")]
    [InlineData(null, "unknown")]
    public void User_agents_are_reduced_to_a_class(string? userAgent, string expected) =>
        Assert.Equal(expected, UserAgentClass.Of(userAgent));

    private sealed class StuckScanStore : IScanStore
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task AddScansAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct = default) => Release.Task.WaitAsync(ct);

        public Task<IReadOnlyList<ScanRecord>> GetScansAsync(string key, DateTimeOffset since, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<ScanRecord>>([]);

        public Task<byte[]> GetDailySaltAsync(DateOnly day, byte[] proposal, CancellationToken ct = default) => Task.FromResult(proposal);
    }
}
