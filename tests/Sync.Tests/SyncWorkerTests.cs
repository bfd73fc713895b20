using System.Diagnostics.Metrics;

namespace Traceability.Sync.Tests;

public sealed class SyncWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_workers_over_one_store_never_push_the_same_row()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        var store = new InMemoryTraceStore();
        using var stores = TestStores.Of(store);
        await TestData.SeedAsync(stores, products: 2, lots: 4, events: 400);
        await using var sync = SyncHarness.Create(portal, stores, time, new Dictionary<string, string?> { ["Sync:BatchSize"] = "25" });
        var a = sync.NewWorker();
        var b = sync.NewWorker();

        for (var round = 0; round < 200 && (await store.GetStatusAsync(time.GetUtcNow(), Ct)).Pending > 0; round++)
            await Task.WhenAll(a.RunOnceAsync(Ct), b.RunOnceAsync(Ct));

        var stats = await portal.StatsAsync();
        Assert.Equal((2, 4, 400), (stats.Products, stats.Lots, stats.Events));
        Assert.Equal(0, stats.DuplicatesRejected); // nobody pushed a row another worker had pushed
        Assert.Equal(0, stats.DuplicatesStored);
    }

    [Fact]
    public async Task A_round_reads_its_events_in_one_store_call()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        var store = new InMemoryTraceStore();
        using var stores = TestStores.Of(store);
        await TestData.SeedAsync(stores, products: 1, lots: 2, events: 100);
        await using var sync = SyncHarness.Create(portal, stores, time, new Dictionary<string, string?> { ["Sync:BatchSize"] = "50" });

        await sync.DrainAsync(sync.NewWorker(), TimeSpan.FromSeconds(30));

        Assert.Equal(100, (await portal.StatsAsync()).Events);
        Assert.Equal(0, store.SingleEventReads);
        Assert.Equal(2, store.BatchEventReads); // 100 events in rounds of 50 (the product and lots come first)
    }

    [Fact]
    public async Task Stopping_the_host_releases_rows_whose_push_is_in_flight()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await portal.SetFaultsAsync(new { latencyMs = 30_000 });
        var store = new InMemoryTraceStore();
        using var stores = TestStores.Of(store);
        await TestData.SeedAsync(stores, products: 3, lots: 3, events: 3);
        await using var sync = SyncHarness.Create(portal, stores, new FakeTimeProvider(TestData.Now));
        var host = sync.Services.GetRequiredService<IHost>();

        await host.StartAsync(Ct);
        var deadline = Stopwatch.StartNew();
        while ((await store.GetStatusAsync(DateTimeOffset.UtcNow, Ct)).InFlight < 3)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the worker never leased the products");
            await Task.Delay(10, Ct); // polling the store, not timing anything
        }
        var stopping = Stopwatch.StartNew();
        await host.StopAsync(Ct);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"shutdown waited {stopping.Elapsed} for the slow portal");
        var products = store.Rows().Where(r => r.Kind == OutboxKind.Product).ToList();
        Assert.All(products, r =>
        {
            Assert.Equal(OutboxState.Pending, r.State);
            Assert.Null(r.LeaseOwner);
            Assert.Equal("released at shutdown", r.LastError);
        });
    }

    [Fact]
    public async Task The_portal_call_is_a_child_of_the_capture_trace_and_outcomes_are_counted()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        var store = new InMemoryTraceStore();
        using var stores = TestStores.Of(store);
        // Test classes run in parallel: a trace id of its own tells this test's spans apart.
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpan = ActivitySpanId.CreateRandom();
        await TestData.SeedAsync(stores, products: 1, lots: 1, events: 0, traceParent: $"00-{traceId}-{parentSpan}-01");
        await using var sync = SyncHarness.Create(portal, stores, time);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.TraceId == traceId) lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        var pushes = new List<(long Value, string Outcome)>();
        using var meters = new MeterListener
        {
            // Only this harness's meter (IMeterFactory scopes each meter to its container).
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == SyncTelemetry.Name && ReferenceEquals(i.Meter.Scope, sync.Services.GetRequiredService<IMeterFactory>()))
                    l.EnableMeasurementEvents(i);
            },
        };
        meters.SetMeasurementEventCallback<long>((i, value, tags, _) =>
        {
            if (i.Name == "traceability.sync.pushes")
                lock (pushes) pushes.Add((value, tags.ToArray().Single(t => t.Key == "outcome").Value as string ?? ""));
        });
        meters.Start();

        var worker = sync.NewWorker();
        await worker.RunOnceAsync(Ct);
        await worker.RunOnceAsync(Ct);

        var product = Assert.Single(spans); // the lot row has no trace context of its own
        Assert.Equal("Product", product.GetTagItem("traceability.outbox.kind"));
        Assert.Equal(parentSpan, product.ParentSpanId);
        Assert.Equal([(1L, "created"), (1L, "created")], pushes);
    }
}
