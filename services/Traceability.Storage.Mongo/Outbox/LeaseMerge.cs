namespace Traceability.Storage.Mongo.Outbox;

/// <summary>
/// Leasing over the outbox rows spread across several collections: merges their claimable rows
/// oldest first (ties: product, lot, event, then key), skips rows whose DependsOn row is not yet
/// Synced, and claims the rest one by one until <c>max</c> are held. Claims are atomic per row
/// (findAndModify), so a row another worker took in between is simply skipped.
/// Kept free of the driver so the ordering rules are tested without a server.
/// </summary>
internal static class LeaseMerge
{
    public delegate Task<bool> IsSynced(OutboxKind kind, string key, CancellationToken ct);
    public delegate Task<OutboxRow?> TryClaim(OutboxRow candidate, CancellationToken ct);

    public static readonly IComparer<OutboxRow> Order = Comparer<OutboxRow>.Create((a, b) =>
    {
        var c = a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks);
        if (c == 0) c = a.Kind.CompareTo(b.Kind);
        return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
    });

    /// <param name="scanLimit">How many candidates to examine at most, so rows blocked behind an unsynced parent cannot make one call read the whole backlog.</param>
    public static async Task<IReadOnlyList<OutboxRow>> RunAsync(
        IReadOnlyList<IAsyncEnumerable<OutboxRow>> sources, int max, int scanLimit,
        IsSynced isSynced, TryClaim tryClaim, CancellationToken ct)
    {
        var claimed = new List<OutboxRow>();
        if (max <= 0) return claimed;
        var heads = new List<IAsyncEnumerator<OutboxRow>>();
        try
        {
            foreach (var source in sources)
            {
                var e = source.GetAsyncEnumerator(ct);
                if (await e.MoveNextAsync()) heads.Add(e);
                else await e.DisposeAsync();
            }
            var synced = new Dictionary<(OutboxKind, string), bool>();
            var examined = 0;
            while (heads.Count > 0 && claimed.Count < max && examined < scanLimit)
            {
                var next = 0;
                for (var i = 1; i < heads.Count; i++)
                {
                    if (Order.Compare(heads[i].Current, heads[next].Current) < 0) next = i;
                }
                var row = heads[next].Current;
                if (!await heads[next].MoveNextAsync())
                {
                    await heads[next].DisposeAsync();
                    heads.RemoveAt(next);
                }
                examined++;

                if (row.DependsOnKind is { } depKind && row.DependsOnKey is { } depKey)
                {
                    if (!synced.TryGetValue((depKind, depKey), out var ok))
                    {
                        ok = await isSynced(depKind, depKey, ct);
                        synced[(depKind, depKey)] = ok;
                    }
                    if (!ok) continue;
                }
                if (await tryClaim(row, ct) is { } won) claimed.Add(won);
            }
        }
        finally
        {
            foreach (var e in heads) await e.DisposeAsync();
        }
        return claimed;
    }
}
