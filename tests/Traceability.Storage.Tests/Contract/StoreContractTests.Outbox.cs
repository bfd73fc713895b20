using System.Collections.Concurrent;

namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>n event rows with no dependency, created in one capture, oldest first.</summary>
    private static async Task<List<string>> AddEventRowsAsync(TraceStoreHandle store, int n)
    {
        var events = Enumerable.Range(0, n).Select(i => NewEvent($"urn:uuid:{i:D4}")).ToList();
        await CaptureAsync(store, events, events.Select(e => new OutboxMessage(OutboxKind.Event, e.EventId, null, null, null)).ToList());
        return events.Select(e => e.EventId).ToList();
    }

    [Fact]
    public async Task Lease_claims_due_rows_oldest_first_up_to_max()
    {
        var store = await OpenSeededAsync();
        var keys = await AddEventRowsAsync(store, 5);

        var leased = await store.Outbox.LeaseAsync("w1", 3, T0, Lease, Ct);

        Assert.Equal(keys.Take(3), leased.Select(r => r.Key));
        Assert.All(leased, r =>
        {
            Assert.Equal(OutboxState.InFlight, r.State);
            Assert.Equal("w1", r.LeaseOwner);
            Assert.Equal(T0 + Lease, r.LeaseUntil);
        });
        Assert.Equal(keys.Skip(3), (await store.Outbox.LeaseAsync("w2", 10, T0, Lease, Ct)).Select(r => r.Key));
        Assert.Empty(await store.Outbox.LeaseAsync("w3", 10, T0, Lease, Ct));
    }

    [Fact]
    public async Task An_expired_lease_is_claimed_again_and_the_first_owner_loses_it()
    {
        var store = await OpenSeededAsync();
        await AddEventRowsAsync(store, 1);
        var first = Assert.Single(await store.Outbox.LeaseAsync("w1", 10, T0, Lease, Ct));

        Assert.Empty(await store.Outbox.LeaseAsync("w2", 10, T0 + Lease - TimeSpan.FromSeconds(1), Lease, Ct));
        var second = Assert.Single(await store.Outbox.LeaseAsync("w2", 10, T0 + Lease, Lease, Ct));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("w2", second.LeaseOwner);
        Assert.False(await store.Outbox.MarkSyncedAsync(first.Id, "w1", "portal-x", T0 + Lease, Ct));
        Assert.True(await store.Outbox.MarkSyncedAsync(second.Id, "w2", "portal-y", T0 + Lease, Ct));
        Assert.Equal("portal-y", (await store.Outbox.GetOutboxRowAsync(OutboxKind.Event, first.Key, Ct))!.PortalId);
    }

    [Fact]
    public async Task Only_the_lease_owner_can_mark_a_row_synced_failed_or_released()
    {
        var store = await OpenSeededAsync();
        await AddEventRowsAsync(store, 1);
        var row = Assert.Single(await store.Outbox.LeaseAsync("w1", 10, T0, Lease, Ct));

        Assert.False(await store.Outbox.MarkSyncedAsync(row.Id, "intruder", "p", T0, Ct));
        Assert.False(await store.Outbox.MarkFailedAsync(row.Id, "intruder", "no", T0, Ct));
        Assert.False(await store.Outbox.ReleaseAsync(row.Id, "intruder", T0, "no", Ct));
        Assert.False(await store.Outbox.MarkSyncedAsync("999999", "w1", "p", T0, Ct));
        Assert.True(await store.Outbox.MarkSyncedAsync(row.Id, "w1", "portal-1", T0, Ct));

        var synced = await store.Outbox.GetOutboxRowAsync(OutboxKind.Event, row.Key, Ct);
        Assert.Equal((OutboxState.Synced, "portal-1", (string?)null), (synced!.State, synced.PortalId, synced.LeaseOwner));
        Assert.False(await store.Outbox.MarkSyncedAsync(row.Id, "w1", "again", T0, Ct)); // no longer leased
    }

    [Fact]
    public async Task Recorded_outcomes_apply_to_each_row_whose_lease_is_still_held()
    {
        var store = await OpenSeededAsync();
        var keys = await AddEventRowsAsync(store, 4);
        var rows = (await store.Outbox.LeaseAsync("w1", 3, T0, Lease, Ct)).ToList();
        rows.Add(Assert.Single(await store.Outbox.LeaseAsync("w2", 3, T0, Lease, Ct))); // not w1's to record

        var lost = await store.Outbox.RecordOutcomesAsync("w1",
        [
            OutboxOutcome.Synced(rows[0].Id, "sk-0"),
            OutboxOutcome.Failed(rows[1].Id, "400 maLoi=E07"),
            OutboxOutcome.Released(rows[2].Id, T0.AddMinutes(5), "503 from portal"),
            OutboxOutcome.Synced(rows[3].Id, "sk-3"),
            OutboxOutcome.Synced("999999", "sk-x"),
        ], T0, Ct);

        Assert.Equal([rows[3].Id, "999999"], lost);
        var after = await Task.WhenAll(keys.Select(k => store.Outbox.GetOutboxRowAsync(OutboxKind.Event, k, Ct)));
        Assert.Equal((OutboxState.Synced, "sk-0", 0, (string?)null, (string?)null),
            (after[0]!.State, after[0]!.PortalId, after[0]!.Attempts, after[0]!.LastError, after[0]!.LeaseOwner));
        Assert.Equal((OutboxState.Failed, 1, "400 maLoi=E07", (string?)null),
            (after[1]!.State, after[1]!.Attempts, after[1]!.LastError, after[1]!.LeaseOwner));
        Assert.Equal((OutboxState.Pending, 1, "503 from portal", T0.AddMinutes(5)),
            (after[2]!.State, after[2]!.Attempts, after[2]!.LastError, after[2]!.NextAttemptAt));
        Assert.Equal((OutboxState.InFlight, "w2", (string?)null), (after[3]!.State, after[3]!.LeaseOwner, after[3]!.PortalId));
    }

    [Fact]
    public async Task A_released_row_waits_until_its_retry_time_and_counts_the_attempt()
    {
        var store = await OpenSeededAsync();
        await AddEventRowsAsync(store, 1);
        var row = Assert.Single(await store.Outbox.LeaseAsync("w1", 10, T0, Lease, Ct));

        Assert.True(await store.Outbox.ReleaseAsync(row.Id, "w1", T0.AddMinutes(5), "503 from portal", Ct));

        Assert.Empty(await store.Outbox.LeaseAsync("w1", 10, T0.AddMinutes(4), Lease, Ct));
        var again = Assert.Single(await store.Outbox.LeaseAsync("w1", 10, T0.AddMinutes(5), Lease, Ct));
        Assert.Equal((1, "503 from portal"), (again.Attempts, again.LastError));
    }

    [Fact]
    public async Task A_row_is_leased_only_after_the_row_it_depends_on_is_synced()
    {
        var store = await OpenSeededAsync();
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);
        await store.Catalog.AddLotAsync(NewLot(Gtin(1), "L1"), LotMessage(Gtin(1), "L1"), Ct);
        var lotKey = LotKey.Of(Gtin(1), "L1");
        await CaptureAsync(store, [NewEvent("ev-1"), NewEvent("ev-orphan")],
            [EventMessage("ev-1", lotKey), EventMessage("ev-orphan", LotKey.Of(Gtin(1), "no-such-lot"))]);

        var product = Assert.Single(await store.Outbox.LeaseAsync("w", 10, T0, Lease, Ct));
        Assert.Equal(OutboxKind.Product, product.Kind);
        Assert.Empty(await store.Outbox.LeaseAsync("w", 10, T0, Lease, Ct));
        Assert.True(await store.Outbox.MarkSyncedAsync(product.Id, "w", "sp-1", T0, Ct));

        var lot = Assert.Single(await store.Outbox.LeaseAsync("w", 10, T0, Lease, Ct));
        Assert.Equal(lotKey, lot.Key);
        Assert.True(await store.Outbox.MarkSyncedAsync(lot.Id, "w", "lh-1", T0, Ct));

        var ev = Assert.Single(await store.Outbox.LeaseAsync("w", 10, T0, Lease, Ct));
        Assert.Equal("ev-1", ev.Key); // ev-orphan's parent row does not exist: never ready
        Assert.True(await store.Outbox.MarkSyncedAsync(ev.Id, "w", "sk-1", T0, Ct));
        Assert.Empty(await store.Outbox.LeaseAsync("w", 10, T0.AddDays(1), Lease, Ct));
    }

    [Fact]
    public async Task Two_concurrent_claimers_never_get_the_same_row()
    {
        var store = await OpenSeededAsync();
        var keys = await AddEventRowsAsync(store, 300);
        var claimed = new ConcurrentBag<string>();

        for (var round = 0; round < 100 && claimed.Count < keys.Count; round++)
        {
            var results = await Task.WhenAll(
                Task.Run(() => store.Outbox.LeaseAsync("a", 4, T0, Lease, Ct), Ct),
                Task.Run(() => store.Outbox.LeaseAsync("b", 4, T0, Lease, Ct), Ct));
            foreach (var row in results.SelectMany(r => r))
            {
                claimed.Add(row.Key);
            }
        }

        Assert.Equal(keys.Count, claimed.Count);
        Assert.Equal(keys.Order(), claimed.Order());
    }

    [Fact]
    public async Task A_failed_row_is_listed_and_an_operator_retry_makes_it_due_again()
    {
        var store = await OpenSeededAsync();
        await AddEventRowsAsync(store, 1);
        var row = Assert.Single(await store.Outbox.LeaseAsync("w", 1, T0, Lease, Ct));
        Assert.True(await store.Outbox.MarkFailedAsync(row.Id, "w", "400 maLoi=E12: thiếu mã số thuế", T0, Ct));

        var failed = Assert.Single(await store.Outbox.ListFailedAsync(10, Ct));
        Assert.Equal((row.Id, OutboxState.Failed, "400 maLoi=E12: thiếu mã số thuế"), (failed.Id, failed.State, failed.LastError));
        Assert.Empty(await store.Outbox.LeaseAsync("w", 10, T0.AddDays(1), Lease, Ct));

        Assert.True(await store.Outbox.RetryFailedAsync(row.Id, T0.AddDays(2), Ct));
        Assert.False(await store.Outbox.RetryFailedAsync(row.Id, T0.AddDays(2), Ct)); // no longer failed
        Assert.Empty(await store.Outbox.ListFailedAsync(10, Ct));
        var retried = Assert.Single(await store.Outbox.LeaseAsync("w", 10, T0.AddDays(2), Lease, Ct));
        Assert.Equal(row.Id, retried.Id);
    }

    [Fact]
    public async Task Open_rows_are_the_pending_in_flight_and_failed_rows_of_the_keys_asked_for()
    {
        var store = await OpenSeededAsync();
        var keys = await AddEventRowsAsync(store, 5); // 0 synced, 1 failed, 2 in flight, 3 and 4 pending
        var leased = await store.Outbox.LeaseAsync("w", 3, T0, Lease, Ct);
        Assert.Equal(keys[..3], leased.Select(r => r.Key));
        Assert.True(await store.Outbox.MarkSyncedAsync(leased[0].Id, "w", "sk-1", T0, Ct));
        Assert.True(await store.Outbox.MarkFailedAsync(leased[1].Id, "w", "HINH_ANH_KHONG_HOP_LE: hinhAnh phải là một URL công khai", T0, Ct));

        var open = await store.Outbox.GetOpenRowsAsync(OutboxKind.Event, [keys[0], keys[1], keys[2], keys[3], "urn:uuid:unknown"], Ct);

        Assert.Equal([(keys[1], OutboxState.Failed), (keys[2], OutboxState.InFlight), (keys[3], OutboxState.Pending)],
            open.Select(r => (r.Key, r.State)).OrderBy(r => r.Key));
        Assert.Equal("HINH_ANH_KHONG_HOP_LE: hinhAnh phải là một URL công khai", open.Single(r => r.Key == keys[1]).LastError);
        Assert.Empty(await store.Outbox.GetOpenRowsAsync(OutboxKind.Product, [keys[3]], Ct)); // another kind
        Assert.Empty(await store.Outbox.GetOpenRowsAsync(OutboxKind.Event, [], Ct));
    }

    [Fact]
    public async Task Status_counts_rows_by_state_and_ages_the_oldest_pending_row()
    {
        var store = await OpenSeededAsync();
        Assert.Equal(new OutboxStatus(0, 0, 0, 0, 0), await store.Outbox.GetStatusAsync(T0, Ct));
        await AddEventRowsAsync(store, 6); // created at T0 by the store's clock
        var leased = await store.Outbox.LeaseAsync("w", 3, T0, Lease, Ct);
        Assert.True(await store.Outbox.MarkSyncedAsync(leased[0].Id, "w", "s", T0, Ct));
        Assert.True(await store.Outbox.MarkFailedAsync(leased[1].Id, "w", "bad", T0, Ct));

        var status = await store.Outbox.GetStatusAsync(T0.AddSeconds(90), Ct);

        Assert.Equal((3, 1, 1, 1), (status.Pending, status.InFlight, status.Synced, status.Failed));
        Assert.Equal(90, status.OldestPendingSeconds, precision: 3);
    }
}
