namespace Traceability.Storage.Mongo;

public sealed class MongoAuditStore(MongoDatabaseContext db) : IAuditStore, IMongoIndexedStore
{
    public Task EnsureIndexesAsync(CancellationToken ct) => db.Audit.Indexes.CreateManyAsync(AuditIndexes, ct);

    public static readonly IReadOnlyList<CreateIndexModel<AuditDoc>> AuditIndexes =
    [
        new(Builders<AuditDoc>.IndexKeys.Descending(x => x.At.Ticks), new() { Name = "at" }),
        new(Builders<AuditDoc>.IndexKeys.Ascending(x => x.Target).Descending(x => x.At.Ticks), new() { Name = "target_at" }),
    ];

    public async Task AddAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-audit");
        await db.Audit.InsertOneAsync(AuditDoc.From(entry), cancellationToken: ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? target, int max, CancellationToken ct = default)
    {
        var filter = target is null ? FilterDefinition<AuditDoc>.Empty : Builders<AuditDoc>.Filter.Eq(x => x.Target, target);
        var docs = await db.Audit.Find(filter).SortByDescending(x => x.At.Ticks).ThenByDescending(x => x.Id).Limit(max).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, int max, CancellationToken ct = default)
    {
        var f = Builders<AuditDoc>.Filter;
        var filter = f.Empty;
        if (query.Actor is { } actor) filter &= f.Eq(x => x.Actor, actor);
        // A prefix, the regex escaped: "recall." finds recall.issue and recall.end, never "recallX".
        if (query.Action is { } action) filter &= f.Regex(x => x.Action, new BsonRegularExpression("^" + System.Text.RegularExpressions.Regex.Escape(action)));
        if (query.Target is { } target) filter &= f.Eq(x => x.Target, target);
        if (query.From is { } from) filter &= f.Gte(x => x.At.Ticks, from.UtcTicks);
        if (query.To is { } to) filter &= f.Lt(x => x.At.Ticks, to.UtcTicks);
        var docs = await db.Audit.Find(filter).SortByDescending(x => x.At.Ticks).ThenByDescending(x => x.Id).Limit(Math.Max(1, max)).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    // The flag and its audit entry are two documents in two collections: one transaction, so a
    // suspension is never in force without its record (a rare admin write; the cost does not matter).
    public async Task<bool> SetProducerSuspendedAsync(string producerId, bool suspended, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("set-producer-suspended");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var result = await db.Producers.UpdateOneAsync(s, x => x.Id == producerId,
                Builders<ProducerDoc>.Update.Set(x => x.Suspended, suspended), cancellationToken: c);
            if (result.MatchedCount == 0) return false;
            await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }
}
