using System.Runtime.CompilerServices;

namespace Traceability.Storage.Mongo.Outbox;

/// <summary>One collection whose documents host outbox rows, seen through the outbox operations.</summary>
internal interface IOutboxHostCollection
{
    OutboxKind Kind { get; }
    /// <summary>Claimable rows, oldest first, streamed in batches (only _id and the outbox are read).</summary>
    IAsyncEnumerable<OutboxRow> CandidatesAsync(DateTimeOffset now, CancellationToken ct);
    Task<OutboxRow?> TryClaimAsync(string key, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct);
    Task<bool> IsSyncedAsync(string key, CancellationToken ct);
    Task<bool> MarkSyncedAsync(string key, string owner, string portalId, CancellationToken ct);
    Task<bool> ReleaseAsync(string key, string owner, DateTimeOffset retryAt, string? error, CancellationToken ct);
    Task<bool> MarkFailedAsync(string key, string owner, string error, CancellationToken ct);
    Task<bool> RetryFailedAsync(string key, DateTimeOffset now, CancellationToken ct);
    Task<IReadOnlyList<OutboxStateCount>> CountByStateAsync(CancellationToken ct);
    /// <summary>The rows created in [from, to) (UTC ticks) by their state now (the periodic report).</summary>
    Task<IReadOnlyList<OutboxStateCount>> CountCreatedByStateAsync(long fromTicks, long toTicks, CancellationToken ct);
    Task<IReadOnlyList<OutboxRow>> FailedAsync(int max, CancellationToken ct);
    Task<OutboxRow?> GetAsync(string key, CancellationToken ct);
    /// <summary>Gives an existing document a row unless it has one (a capture announcing its lot or product).</summary>
    Task AnnounceIfAbsentAsync(IClientSessionHandle session, string key, OutboxDoc row, CancellationToken ct);
}

internal readonly record struct OutboxStateCount(OutboxState State, long Count, long? OldestCreatedTicks);

internal sealed class OutboxHostCollection<T>(OutboxKind kind, IMongoCollection<T> collection) : IOutboxHostCollection
    where T : IOutboxHost
{
    private const int BatchSize = 200;
    private static ProjectionDefinition<T> IdAndOutbox => OutboxQueries<T>.IdAndOutbox;

    public OutboxKind Kind => kind;

    public async IAsyncEnumerable<OutboxRow> CandidatesAsync(DateTimeOffset now, [EnumeratorCancellation] CancellationToken ct)
    {
        var options = new FindOptions<T, T> { Sort = OutboxQueries<T>.Oldest, Projection = IdAndOutbox, BatchSize = BatchSize };
        using var cursor = await collection.FindAsync(OutboxQueries<T>.Claimable(now), options, ct);
        while (await cursor.MoveNextAsync(ct))
        {
            foreach (var doc in cursor.Current)
            {
                if (doc.Outbox is { } o) yield return o.ToRow(kind, doc.Id);
            }
        }
    }

    public async Task<OutboxRow?> TryClaimAsync(string key, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        // findAndModify re-checks the claimable condition atomically on the document: of two
        // workers racing for the same row, exactly one matches.
        var doc = await collection.FindOneAndUpdateAsync(OutboxQueries<T>.ClaimOne(key, now),
            OutboxQueries<T>.Claim(owner, leaseUntil),
            new FindOneAndUpdateOptions<T, T> { Projection = IdAndOutbox, ReturnDocument = ReturnDocument.After }, ct);
        return doc?.Outbox?.ToRow(kind, doc.Id);
    }

    public async Task<bool> IsSyncedAsync(string key, CancellationToken ct) =>
        await collection.CountDocumentsAsync(OutboxQueries<T>.IsSynced(key), new CountOptions { Limit = 1 }, ct) > 0;

    public Task<bool> MarkSyncedAsync(string key, string owner, string portalId, CancellationToken ct) =>
        UpdateAsync(OutboxQueries<T>.HeldBy(key, owner), OutboxQueries<T>.Synced(portalId), ct);

    public Task<bool> ReleaseAsync(string key, string owner, DateTimeOffset retryAt, string? error, CancellationToken ct) =>
        UpdateAsync(OutboxQueries<T>.HeldBy(key, owner), OutboxQueries<T>.Released(retryAt, error), ct);

    public Task<bool> MarkFailedAsync(string key, string owner, string error, CancellationToken ct) =>
        UpdateAsync(OutboxQueries<T>.HeldBy(key, owner), OutboxQueries<T>.Failed(error), ct);

    public Task<bool> RetryFailedAsync(string key, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync(OutboxQueries<T>.FailedOne(key), OutboxQueries<T>.Retried(now), ct);

    public async Task<IReadOnlyList<OutboxStateCount>> CountByStateAsync(CancellationToken ct)
    {
        var groups = await collection.Aggregate(OutboxQueries<T>.Status, cancellationToken: ct).ToListAsync(ct);
        return [.. groups.Select(g => new OutboxStateCount(
            Enum.Parse<OutboxState>(g["_id"].AsString),
            g["count"].ToInt64(),
            g["oldestTicks"].IsBsonNull ? null : g["oldestTicks"].ToInt64()))];
    }

    public async Task<IReadOnlyList<OutboxStateCount>> CountCreatedByStateAsync(long fromTicks, long toTicks, CancellationToken ct)
    {
        var groups = await collection.Aggregate(OutboxQueries<T>.CreatedByState(fromTicks, toTicks), cancellationToken: ct).ToListAsync(ct);
        return [.. groups.Select(g => new OutboxStateCount(Enum.Parse<OutboxState>(g["_id"].AsString), g["count"].ToInt64(), null))];
    }

    public async Task<IReadOnlyList<OutboxRow>> FailedAsync(int max, CancellationToken ct)
    {
        var docs = await collection.Find(OutboxQueries<T>.InState(OutboxState.Failed)).Sort(OutboxQueries<T>.Oldest)
            .Project<T>(IdAndOutbox).Limit(max).ToListAsync(ct);
        return [.. docs.Where(d => d.Outbox is not null).Select(d => d.Outbox!.ToRow(kind, d.Id))];
    }

    public async Task<OutboxRow?> GetAsync(string key, CancellationToken ct)
    {
        var doc = await collection.Find(OutboxQueries<T>.HasRow(key)).Project<T>(IdAndOutbox).FirstOrDefaultAsync(ct);
        return doc?.Outbox?.ToRow(kind, doc.Id);
    }

    public Task AnnounceIfAbsentAsync(IClientSessionHandle session, string key, OutboxDoc row, CancellationToken ct) =>
        collection.UpdateOneAsync(session, OutboxQueries<T>.WithoutRow(key), OutboxQueries<T>.Announce(row), cancellationToken: ct);

    private async Task<bool> UpdateAsync(FilterDefinition<T> filter, UpdateDefinition<T> update, CancellationToken ct) =>
        (await collection.UpdateOneAsync(filter, update, cancellationToken: ct)).ModifiedCount == 1;
}
