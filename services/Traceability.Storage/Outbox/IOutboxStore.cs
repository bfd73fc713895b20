namespace Traceability.Storage;

public interface IOutboxStore
{
    /// <summary>
    /// Claims up to <paramref name="max"/> rows that are Pending and due, or InFlight with an
    /// expired lease, whose DependsOn row (if any) is Synced, oldest first. Claimed rows become
    /// InFlight with LeaseOwner = owner and LeaseUntil = now + lease. Two callers never get the same row.
    /// </summary>
    Task<IReadOnlyList<OutboxRow>> LeaseAsync(string owner, int max, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default);
    /// <summary>Only succeeds while the caller still holds the lease.</summary>
    Task<bool> MarkSyncedAsync(string id, string owner, string portalId, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>Back to Pending, due at retryAt, Attempts + 1 (transient failure or graceful release).</summary>
    Task<bool> ReleaseAsync(string id, string owner, DateTimeOffset retryAt, string? error, CancellationToken ct = default);
    /// <summary>Parks the row as Failed with the portal's reason (permanent failure).</summary>
    Task<bool> MarkFailedAsync(string id, string owner, string error, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>
    /// Records a batch of leased rows' outcomes at once, each as MarkSynced / MarkFailed / Release
    /// would, and each only while the owner still holds its lease. Returns the ids whose lease was lost.
    /// This default sends the per-row calls together (the Mongo store's rows are documents of their
    /// own, each updated atomically); the SQLite store overrides it with one transaction.
    /// </summary>
    async Task<IReadOnlyList<string>> RecordOutcomesAsync(string owner, IReadOnlyList<OutboxOutcome> outcomes,
        DateTimeOffset now, CancellationToken ct = default)
    {
        var held = await Task.WhenAll(outcomes.Select(o => o.State switch
        {
            OutboxState.Synced => MarkSyncedAsync(o.Id, owner, o.PortalId!, now, ct),
            OutboxState.Failed => MarkFailedAsync(o.Id, owner, o.Error!, now, ct),
            OutboxState.Pending => ReleaseAsync(o.Id, owner, o.RetryAt ?? now, o.Error, ct),
            _ => throw new ArgumentException($"{o.State} is not an outcome.", nameof(outcomes)),
        })).ConfigureAwait(false);
        return [.. outcomes.Where((_, i) => !held[i]).Select(o => o.Id)];
    }

    /// <summary>An operator's retry: Failed → Pending, due now.</summary>
    Task<bool> RetryFailedAsync(string id, DateTimeOffset now, CancellationToken ct = default);
    Task<OutboxStatus> GetStatusAsync(DateTimeOffset now, CancellationToken ct = default);
    Task<IReadOnlyList<OutboxRow>> ListFailedAsync(int max, CancellationToken ct = default);
    Task<OutboxRow?> GetOutboxRowAsync(OutboxKind kind, string key, CancellationToken ct = default);

    /// <summary>
    /// The rows of these keys that are not Synced yet (Pending, InFlight or Failed): what a producer's
    /// console shows as waiting or refused. A key left out is synced, or has no row. This default asks
    /// key by key (the Mongo store's rows live on their entities, found by id); the SQLite store reads
    /// them in one statement over the open rows only, since event rows have no key index.
    /// </summary>
    async Task<IReadOnlyList<OutboxRow>> GetOpenRowsAsync(OutboxKind kind, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        var rows = await Task.WhenAll(keys.Distinct(StringComparer.Ordinal).Select(k => GetOutboxRowAsync(kind, k, ct))).ConfigureAwait(false);
        return [.. rows.Where(r => r is not null && r.State != OutboxState.Synced).Select(r => r!)];
    }
}
