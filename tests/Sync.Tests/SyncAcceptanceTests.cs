using Traceability.NationalPortal.Client;
using Traceability.PortalSimulator;

namespace Traceability.Sync.Tests;

/// <summary>Issue 4's acceptance on the in-memory test store.</summary>
public sealed class InMemorySyncAcceptanceTests : SyncAcceptanceTests
{
    protected override TestStores CreateStore(TimeProvider time) => TestStores.Of(new InMemoryTraceStore());
}

/// <summary>
/// Issue 4's acceptance, against the simulator on a real socket, for any store provider: the
/// outbox semantics (leases, dependencies, owner checks) are the provider's.
/// </summary>
public abstract class SyncAcceptanceTests
{
    /// <param name="time">The clock the store stamps rows with: the test's fake clock.</param>
    protected abstract TestStores CreateStore(TimeProvider time);

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_entity_reaches_the_portal_exactly_once_in_order_despite_the_fault_mix()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        var store = CreateStore(time);
        var seeded = await TestData.SeedAsync(store, products: 10, lots: 50, events: 5000);
        // 20 % 500/503, 10 % 429 with Retry-After, 5 % stored-then-dropped, tokens of 30 s.
        await portal.SetFaultsAsync(new
        {
            errorRate = 0.3, statuses = new[] { 500, 503, 429 }, retryAfterSeconds = 1, dropRate = 0.05,
            tokenLifetimeSeconds = 30,
        });
        await using var sync = SyncHarness.Create(portal, store, time);

        await sync.DrainAsync(sync.NewWorker(), Budget);

        var stats = await portal.StatsAsync();
        Assert.Equal((10, 50, 5000), (stats.Products, stats.Lots, stats.Events));
        Assert.Equal(0, stats.DuplicatesStored);
        Assert.True(stats.FaultsInjected > 500, $"the fault mix was not in force ({stats.FaultsInjected} faults)");
        Assert.True(stats.DuplicatesRejected > 0, "dropped-after-store requests must come back as 409s");

        var received = portal.State.Received();
        Assert.Equal(seeded.Products.Order(), received.Where(r => r.Kind == "product").Select(r => r.NaturalKey).Order());
        Assert.Equal(seeded.Events.Order(), received.Where(r => r.Kind == "event").Select(r => r.NaturalKey).Order());
        var lotSeq = received.Where(r => r.Kind == "lot").ToDictionary(r => r.Id, r => r.Seq);
        var productSeq = received.Where(r => r.Kind == "product").ToDictionary(r => r.Id, r => r.Seq);
        Assert.All(received.Where(r => r.Kind == "event"), e => Assert.True(lotSeq[e.ParentId!] < e.Seq, $"{e.NaturalKey} before its lot"));
        Assert.All(received.Where(r => r.Kind == "lot"), l => Assert.True(productSeq[l.ParentId!] < l.Seq));

        // The outbox knows each entity by the id the portal gave it.
        var idByKey = received.ToDictionary(r => (r.Kind, r.Kind == "lot" ? r.Id : r.NaturalKey), r => r.Id);
        var rows = await seeded.RowsAsync(store.Outbox);
        Assert.All(rows, r => Assert.Equal(OutboxState.Synced, r.State));
        Assert.All(rows.Where(r => r.Kind == OutboxKind.Event), r => Assert.Equal(idByKey[("event", r.Key)], r.PortalId));
    }

    [Fact]
    public async Task Rows_left_leased_by_a_killed_worker_are_pushed_after_the_lease_expires_exactly_once()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        var store = CreateStore(time);
        var seeded = await TestData.SeedAsync(store, products: 1, lots: 2, events: 40);
        await using var sync = SyncHarness.Create(portal, store, time);
        var first = sync.NewWorker();
        await first.RunOnceAsync(Ct); // product
        await first.RunOnceAsync(Ct); // lots

        // The "killed" worker leased every event and got half of them to the portal, then died
        // before recording anything: its leases stay behind.
        var leased = await store.Outbox.LeaseAsync("dead-worker", 100, time.GetUtcNow(), TimeSpan.FromSeconds(120), Ct);
        Assert.Equal(40, leased.Count);
        var pusher = sync.Services.GetServices<IOutboxPusher>().Single(p => p.Kind == OutboxKind.Event);
        foreach (var row in leased.Take(20))
        {
            var lot = await store.Outbox.GetOutboxRowAsync(OutboxKind.Lot, row.DependsOnKey!, Ct);
            Assert.True((await pusher.PushAsync(row, lot!.PortalId, Ct)).IsSuccess);
        }

        var restarted = sync.NewWorker();
        Assert.Equal(0, await restarted.RunOnceAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, await restarted.RunOnceAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(40, await restarted.RunOnceAsync(Ct));

        var stats = await portal.StatsAsync();
        Assert.Equal(40, stats.Events);
        Assert.Equal(0, stats.DuplicatesStored);
        Assert.Equal(20, stats.DuplicatesRejected);
        var rows = await seeded.RowsAsync(store.Outbox);
        Assert.All(rows, r => Assert.Equal(OutboxState.Synced, r.State));
        // The 409 answers carried the ids stored the first time.
        var portalIds = portal.State.Received("event").ToDictionary(r => r.NaturalKey, r => r.Id);
        Assert.All(rows.Where(r => r.Kind == OutboxKind.Event), r => Assert.Equal(portalIds[r.Key], r.PortalId));
    }

    [Fact]
    public async Task A_rejected_product_is_parked_with_the_portal_reason_without_blocking_other_lots_and_syncs_after_correction()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        var store = CreateStore(time);
        // Product 2 has a relative image path: the portal wants a public URL.
        var seeded = await TestData.SeedAsync(store, products: 3, lots: 6, events: 60,
            (i, p) => i == 1 ? p with { ImageUrl = "images/cam.jpg" } : p);
        await using var sync = SyncHarness.Create(portal, store, time);
        var worker = sync.NewWorker();

        await sync.RunUntilQuietAsync(worker, Budget);

        var bad = (await store.Outbox.GetOutboxRowAsync(OutboxKind.Product, seeded.Products[1], Ct))!;
        Assert.Equal(OutboxState.Failed, bad.State);
        Assert.StartsWith("HINH_ANH_KHONG_HOP_LE: ", bad.LastError);
        var failed = await store.Outbox.ListFailedAsync(10, Ct);
        Assert.Equal([bad.Id], failed.Select(r => r.Id));
        var stats = await portal.StatsAsync();
        Assert.Equal((2, 4, 40), (stats.Products, stats.Lots, stats.Events));
        Assert.All((await seeded.RowsAsync(store.Outbox)).Where(r => r.State == OutboxState.Pending),
            r => Assert.Contains(seeded.Products[1], r.DependsOnKey ?? ""));

        var product = (await store.Catalog.GetProductAsync(seeded.Products[1], Ct))!;
        await store.Catalog.UpdateProductAsync(product with { ImageUrl = "https://example.org/cam-2.jpg" },
            new OutboxMessage(OutboxKind.Product, product.Gtin, null, null, null), Ct);
        // The operator's retry; a provider may already have re-queued the row when the product changed.
        await store.Outbox.RetryFailedAsync(bad.Id, time.GetUtcNow(), Ct);
        Assert.Equal(OutboxState.Pending, (await store.Outbox.GetOutboxRowAsync(OutboxKind.Product, product.Gtin, Ct))!.State);
        await sync.DrainAsync(worker, Budget);

        stats = await portal.StatsAsync();
        Assert.Equal((3, 6, 60, 0L), (stats.Products, stats.Lots, stats.Events, stats.DuplicatesStored));
        Assert.All(await seeded.RowsAsync(store.Outbox), r => Assert.Equal(OutboxState.Synced, r.State));
    }

    [Fact]
    public async Task The_circuit_opens_during_an_outage_so_calls_stay_bounded_and_sync_recovers_by_itself()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        var store = CreateStore(time);
        var seeded = await TestData.SeedAsync(store, products: 1, lots: 1, events: 300);
        await using var sync = SyncHarness.Create(portal, store, time);
        var worker = sync.NewWorker();
        await worker.RunOnceAsync(Ct);
        await worker.RunOnceAsync(Ct);
        await portal.SetFaultsAsync(new { errorRate = 1.0, status = 503 });
        var before = (await portal.StatsAsync()).Requests;

        // At least two seconds of outage (four break periods of 500 ms), and until every row was tried.
        var outage = System.Diagnostics.Stopwatch.StartNew();
        var attempts = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(2) || attempts < 300)
        {
            Assert.True(outage.Elapsed < TimeSpan.FromSeconds(45), $"only {attempts} attempts during the outage");
            await worker.RunOnceAsync(Ct);
            time.Advance(TimeSpan.FromSeconds(10));
            if (outage.Elapsed >= TimeSpan.FromSeconds(2))
                attempts = (await seeded.RowsAsync(store.Outbox)).Where(r => r.Kind == OutboxKind.Event).Sum(r => r.Attempts);
        }
        var calls = (await portal.StatsAsync()).Requests - before;
        // Without the breaker each attempt costs 4 calls (1 + 3 retries): over 1,200 here. With it:
        // the calls that open it, those in flight then, and about one probe per break period.
        var bound = 40 + (int)(outage.Elapsed.TotalSeconds * 4);
        Assert.InRange(calls, 20, bound);
        Assert.Equal(0, (await portal.StatsAsync()).Events);

        await portal.SetFaultsAsync(new { errorRate = 0.0 });
        await sync.DrainAsync(worker, Budget);
        var stats = await portal.StatsAsync();
        Assert.Equal((300, 0L), (stats.Events, stats.DuplicatesStored));
    }
}
