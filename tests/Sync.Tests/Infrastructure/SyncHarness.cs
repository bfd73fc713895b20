using Microsoft.Extensions.Configuration;

namespace Traceability.Sync.Tests.Infrastructure;

/// <summary>
/// The sync worker wired as a host would (AddSyncWorker, the portal client, the store), pointed at
/// a simulator. The worker runs on a FakeTimeProvider (leases, backoff), the HTTP pipeline on the
/// real clock (its retry delays are milliseconds here), and tests drive rounds with RunOnceAsync.
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private SyncHarness(IHost host, IOutboxStore store, FakeTimeProvider time)
    {
        _host = host;
        Store = store;
        Time = time;
    }

    public IOutboxStore Store { get; }
    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _host.Services;

    public static SyncHarness Create(SimulatorHost portal, TestStores stores, FakeTimeProvider time,
        IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:BaseUrl"] = portal.BaseUrl.ToString(),
            ["Portal:ClientId"] = SimulatorHost.ClientId,
            ["Portal:ClientSecret"] = SimulatorHost.ClientSecret,
            ["Portal:RatePerSecond"] = "2000",
            ["Portal:MaxRetries"] = "3",
            ["Portal:RetryBaseDelay"] = "00:00:00.005",
            ["Portal:RetryMaxDelay"] = "00:00:00.050",
            ["Portal:AttemptTimeout"] = "00:00:05",
            ["Portal:TotalTimeout"] = "00:00:20",
            ["Portal:BreakerMinimumThroughput"] = "20",
            ["Portal:BreakerSamplingDuration"] = "00:00:02",
            ["Portal:BreakerBreakDuration"] = "00:00:00.500",
            ["Sync:BatchSize"] = "200",
            ["Sync:Concurrency"] = "8",
            ["Sync:LeaseSeconds"] = "120",
            ["Sync:BackoffBase"] = "00:00:00.100",
            ["Sync:MaxBackoff"] = "00:00:05",
        });
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.ClearProviders();
        stores.AddTo(builder.Services);
        builder.AddSyncWorker();
        return new SyncHarness(builder.Build(), stores.Outbox, time);
    }

    /// <summary>A worker instance on the fake clock (several may share one store).</summary>
    public SyncWorker NewWorker() => new(
        Services.GetRequiredService<IServiceScopeFactory>(),
        Services.GetRequiredService<IOptions<SyncOptions>>(),
        Services.GetRequiredService<SyncTelemetry>(),
        Time,
        Services.GetRequiredService<ILogger<SyncWorker>>());

    /// <summary>
    /// Runs rounds until nothing is pending or in flight, moving the fake clock one second per
    /// round (so backoffs fall due and simulator tokens expire every 30 rounds).
    /// </summary>
    public async Task DrainAsync(SyncWorker worker, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            await worker.RunOnceAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
            var status = await Store.GetStatusAsync(Time.GetUtcNow());
            if (status.Pending == 0 && status.InFlight == 0)
                return;
        }
        var left = await Store.GetStatusAsync(Time.GetUtcNow());
        Assert.Fail($"Outbox did not drain in {timeout}: {left}");
    }

    /// <summary>Runs rounds until several in a row lease nothing (what remains is blocked or failed).</summary>
    public async Task RunUntilQuietAsync(SyncWorker worker, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var idle = 0;
        while (idle < 15)
        {
            Assert.True(clock.Elapsed < timeout, "The worker kept finding work.");
            idle = await worker.RunOnceAsync(CancellationToken.None) == 0 ? idle + 1 : 0;
            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable d)
            await d.DisposeAsync();
        else
            _host.Dispose();
    }
}
