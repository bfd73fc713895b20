using Traceability.Storage.Mongo.Outbox;

namespace Traceability.Storage.Mongo.Tests;

/// <summary>
/// The leasing rules over rows spread across collections (oldest first, dependency order, no row
/// to two workers), against an in-memory outbox whose claim is atomic like findAndModify.
/// </summary>
public sealed class LeaseMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class FakeOutbox
    {
        private readonly Lock gate = new();
        private readonly Dictionary<(OutboxKind, string), OutboxRow> rows = [];
        public int ClaimAttempts;

        public void Add(OutboxKind kind, string key, DateTimeOffset created, OutboxKind? depKind = null, string? depKey = null) =>
            rows[(kind, key)] = new OutboxRow(OutboxIds.Format(kind, key), kind, key, OutboxState.Pending, 0, created, created,
                null, null, null, null, null, depKind, depKey);

        public void Set(OutboxKind kind, string key, OutboxState state)
        {
            lock (gate) rows[(kind, key)] = rows[(kind, key)] with { State = state };
        }

        private static bool Claimable(OutboxRow r, DateTimeOffset now) =>
            (r.State == OutboxState.Pending && r.NextAttemptAt <= now) || (r.State == OutboxState.InFlight && r.LeaseUntil <= now);

        private async IAsyncEnumerable<OutboxRow> Source(OutboxKind kind, DateTimeOffset now)
        {
            List<OutboxRow> snapshot;
            lock (gate) snapshot = [.. rows.Values.Where(r => r.Kind == kind && Claimable(r, now)).OrderBy(r => r, LeaseMerge.Order)];
            foreach (var r in snapshot)
            {
                await Task.Yield();
                yield return r;
            }
        }

        public Task<IReadOnlyList<OutboxRow>> LeaseAsync(string owner, int max, DateTimeOffset now, int scanLimit = 1000) =>
            LeaseMerge.RunAsync(
                [Source(OutboxKind.Product, now), Source(OutboxKind.Lot, now), Source(OutboxKind.Event, now)],
                max, scanLimit,
                (kind, key, _) =>
                {
                    lock (gate) return Task.FromResult(rows.TryGetValue((kind, key), out var r) && r.State == OutboxState.Synced);
                },
                async (candidate, _) =>
                {
                    await Task.Yield();
                    lock (gate)
                    {
                        Interlocked.Increment(ref ClaimAttempts);
                        var r = rows[(candidate.Kind, candidate.Key)];
                        if (!Claimable(r, now)) return null;
                        var claimed = r with { State = OutboxState.InFlight, LeaseOwner = owner, LeaseUntil = now.AddMinutes(1) };
                        rows[(r.Kind, r.Key)] = claimed;
                        return claimed;
                    }
                },
                TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Rows_are_leased_oldest_first_across_collections_up_to_max()
    {
        var outbox = new FakeOutbox();
        outbox.Add(OutboxKind.Event, "e1", T0.AddSeconds(3));
        outbox.Add(OutboxKind.Product, "p1", T0.AddSeconds(2));
        outbox.Add(OutboxKind.Lot, "l1", T0.AddSeconds(1));
        outbox.Add(OutboxKind.Product, "p2", T0.AddSeconds(4));

        var leased = await outbox.LeaseAsync("w1", 3, T0.AddMinutes(1));

        Assert.Equal(["l:l1", "p:p1", "e:e1"], leased.Select(r => r.Id));
        Assert.All(leased, r => Assert.Equal(("w1", OutboxState.InFlight), (r.LeaseOwner, r.State)));
    }

    [Fact]
    public async Task At_the_same_instant_a_product_goes_before_its_lot_and_the_lot_before_the_event()
    {
        var outbox = new FakeOutbox();
        outbox.Add(OutboxKind.Event, "e", T0);
        outbox.Add(OutboxKind.Lot, "l", T0);
        outbox.Add(OutboxKind.Product, "p", T0);

        var leased = await outbox.LeaseAsync("w1", 10, T0);

        Assert.Equal(["p:p", "l:l", "e:e"], leased.Select(r => r.Id));
    }

    [Fact]
    public async Task A_row_waits_until_the_row_it_depends_on_is_synced()
    {
        var outbox = new FakeOutbox();
        outbox.Add(OutboxKind.Product, "p", T0);
        outbox.Add(OutboxKind.Lot, "l", T0.AddSeconds(1), OutboxKind.Product, "p");
        outbox.Add(OutboxKind.Event, "e", T0.AddSeconds(2), OutboxKind.Lot, "l");

        var first = await outbox.LeaseAsync("w1", 10, T0.AddMinutes(1));
        outbox.Set(OutboxKind.Product, "p", OutboxState.Synced);
        var second = await outbox.LeaseAsync("w1", 10, T0.AddMinutes(1));
        outbox.Set(OutboxKind.Lot, "l", OutboxState.Synced);
        var third = await outbox.LeaseAsync("w1", 10, T0.AddMinutes(1));

        Assert.Equal(["p:p"], first.Select(r => r.Id));
        Assert.Equal(["l:l"], second.Select(r => r.Id));
        Assert.Equal(["e:e"], third.Select(r => r.Id));
    }

    [Fact]
    public async Task A_row_whose_parent_is_unknown_is_not_leased()
    {
        var outbox = new FakeOutbox();
        outbox.Add(OutboxKind.Lot, "l", T0, OutboxKind.Product, "missing");

        Assert.Empty(await outbox.LeaseAsync("w1", 10, T0));
    }

    [Fact]
    public async Task Rows_not_yet_due_are_not_leased()
    {
        var outbox = new FakeOutbox();
        outbox.Add(OutboxKind.Product, "p", T0.AddMinutes(5));

        Assert.Empty(await outbox.LeaseAsync("w1", 10, T0));
        Assert.Single(await outbox.LeaseAsync("w1", 10, T0.AddMinutes(5)));
    }

    [Fact]
    public async Task An_expired_lease_can_be_claimed_again_by_another_worker()
    {
        var outbox = new FakeOutbox();
        outbox.Add(OutboxKind.Product, "p", T0);

        var first = await outbox.LeaseAsync("w1", 10, T0);
        var whileHeld = await outbox.LeaseAsync("w2", 10, T0.AddSeconds(30));
        var afterExpiry = await outbox.LeaseAsync("w2", 10, T0.AddMinutes(1));

        Assert.Single(first);
        Assert.Empty(whileHeld);
        Assert.Equal("w2", Assert.Single(afterExpiry).LeaseOwner);
    }

    [Fact]
    public async Task Two_workers_leasing_at_once_never_get_the_same_row()
    {
        var outbox = new FakeOutbox();
        for (var i = 0; i < 200; i++) outbox.Add((OutboxKind)(i % 3), $"k{i:000}", T0.AddMilliseconds(i));

        var a = Task.Run(() => outbox.LeaseAsync("w1", 150, T0.AddMinutes(1)), TestContext.Current.CancellationToken);
        var b = Task.Run(() => outbox.LeaseAsync("w2", 150, T0.AddMinutes(1)), TestContext.Current.CancellationToken);
        var results = await Task.WhenAll(a, b);

        var all = results.SelectMany(r => r).Select(r => r.Id).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
        Assert.All(results[0], r => Assert.Equal("w1", r.LeaseOwner));
        Assert.All(results[1], r => Assert.Equal("w2", r.LeaseOwner));
    }

    [Fact]
    public async Task Blocked_rows_are_skipped_and_the_scan_stops_at_its_limit()
    {
        var outbox = new FakeOutbox();
        for (var i = 0; i < 50; i++) outbox.Add(OutboxKind.Event, $"e{i:00}", T0, OutboxKind.Lot, "unsynced");
        outbox.Add(OutboxKind.Product, "late", T0.AddSeconds(1));

        var limited = await outbox.LeaseAsync("w1", 10, T0.AddMinutes(1), scanLimit: 20);
        var unlimited = await outbox.LeaseAsync("w1", 10, T0.AddMinutes(1), scanLimit: 1000);

        Assert.Empty(limited);
        Assert.Equal(["p:late"], unlimited.Select(r => r.Id));
        Assert.Equal(1, outbox.ClaimAttempts);
    }
}
