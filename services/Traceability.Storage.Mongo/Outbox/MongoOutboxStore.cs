namespace Traceability.Storage.Mongo;

// The outbox rows live inside the product, lot and event documents (OutboxDoc). OutboxRow.Id is
// "{kind letter}:{_id}" (OutboxIds), which names the collection to update.
public sealed class MongoOutboxStore(MongoDatabaseContext db) : IOutboxStore
{
    public async Task<IReadOnlyList<OutboxRow>> LeaseAsync(string owner, int max, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("lease");
        var leaseUntil = now + lease;
        var rows = await LeaseMerge.RunAsync(
            [.. db.OutboxHosts.Select(h => h.CandidatesAsync(now, ct))],
            max,
            scanLimit: max * 20 + 500,
            (kind, key, c) => db.OutboxHost(kind) is { } host ? host.IsSyncedAsync(key, c) : Task.FromResult(false),
            (row, c) => db.OutboxHost(row.Kind)!.TryClaimAsync(row.Key, owner, now, leaseUntil, c),
            ct);
        activity?.SetTag("traceability.outbox.leased", rows.Count);
        return rows;
    }

    public Task<bool> MarkSyncedAsync(string id, string owner, string portalId, DateTimeOffset now, CancellationToken ct = default) =>
        Parse(id, out var host, out var key) ? host.MarkSyncedAsync(key, owner, portalId, ct) : Task.FromResult(false);

    public Task<bool> ReleaseAsync(string id, string owner, DateTimeOffset retryAt, string? error, CancellationToken ct = default) =>
        Parse(id, out var host, out var key) ? host.ReleaseAsync(key, owner, retryAt, error, ct) : Task.FromResult(false);

    public Task<bool> MarkFailedAsync(string id, string owner, string error, DateTimeOffset now, CancellationToken ct = default) =>
        Parse(id, out var host, out var key) ? host.MarkFailedAsync(key, owner, error, ct) : Task.FromResult(false);

    // RecordOutcomesAsync is IOutboxStore's default: the owner-checked updates above, sent together.

    public Task<bool> RetryFailedAsync(string id, DateTimeOffset now, CancellationToken ct = default) =>
        Parse(id, out var host, out var key) ? host.RetryFailedAsync(key, now, ct) : Task.FromResult(false);

    public async Task<OutboxStatus> GetStatusAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var counts = new Dictionary<OutboxState, long>();
        long? oldestPending = null;
        foreach (var host in db.OutboxHosts)
        {
            foreach (var c in await host.CountByStateAsync(ct))
            {
                counts[c.State] = counts.GetValueOrDefault(c.State) + c.Count;
                if (c.State == OutboxState.Pending && c.OldestCreatedTicks is { } t && (oldestPending is null || t < oldestPending))
                {
                    oldestPending = t;
                }
            }
        }
        var age = oldestPending is { } ticks ? Math.Max(0, (now.UtcTicks - ticks) / (double)TimeSpan.TicksPerSecond) : 0;
        return new OutboxStatus(counts.GetValueOrDefault(OutboxState.Pending), counts.GetValueOrDefault(OutboxState.InFlight),
            counts.GetValueOrDefault(OutboxState.Synced), counts.GetValueOrDefault(OutboxState.Failed), age);
    }

    public async Task<IReadOnlyList<OutboxRow>> ListFailedAsync(int max, CancellationToken ct = default)
    {
        if (max <= 0) return [];
        var all = new List<OutboxRow>();
        foreach (var host in db.OutboxHosts) all.AddRange(await host.FailedAsync(max, ct));
        all.Sort(LeaseMerge.Order);
        return all.Count > max ? all[..max] : all;
    }

    public Task<OutboxRow?> GetOutboxRowAsync(OutboxKind kind, string key, CancellationToken ct = default) =>
        db.OutboxHost(kind) is { } host ? host.GetAsync(key, ct) : Task.FromResult<OutboxRow?>(null);

    private IOutboxHostCollection? Host(OutboxKind kind) => db.OutboxHosts.FirstOrDefault(h => h.Kind == kind);

    private bool Parse(string id, out IOutboxHostCollection host, out string key)
    {
        host = null!;
        if (!OutboxIds.TryParse(id, out var kind, out key) || db.OutboxHost(kind) is not { } h) return false;
        host = h;
        return true;
    }
}
