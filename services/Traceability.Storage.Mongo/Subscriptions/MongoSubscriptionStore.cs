namespace Traceability.Storage.Mongo;

public sealed class MongoSubscriptionStore(MongoDatabaseContext db) : ISubscriptionStore, IMongoIndexedStore
{
    public Task EnsureIndexesAsync(CancellationToken ct) => SubscriptionDocs.Indexes.CreateManyAsync(SubscriptionIndexes, ct);

    public static readonly IReadOnlyList<CreateIndexModel<SubscriptionDoc>> SubscriptionIndexes =
    [
        new(Builders<SubscriptionDoc>.IndexKeys.Ascending(x => x.Owner).Ascending(x => x.QueryName), new() { Name = "owner_query" }),
        new(Builders<SubscriptionDoc>.IndexKeys.Ascending(x => x.NextAttemptAt), new() { Name = "next_attempt" }),
    ];

    private IMongoCollection<SubscriptionDoc> SubscriptionDocs => db.Collection<SubscriptionDoc>(Collections.Subscriptions);

    public async Task AddSubscriptionAsync(Subscription subscription, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-subscription");
        await SubscriptionDocs.InsertOneAsync(SubscriptionDoc.From(subscription), cancellationToken: ct);
    }

    public async Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken ct = default) =>
        (await SubscriptionDocs.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string owner, string queryName, CancellationToken ct = default) =>
        [.. (await SubscriptionDocs.Find(x => x.Owner == owner && x.QueryName == queryName)
            .SortBy(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task<IReadOnlyList<Subscription>> ListDueSubscriptionsAsync(DateTimeOffset now, int max, CancellationToken ct = default)
    {
        var ticks = now.UtcTicks;
        return [.. (await SubscriptionDocs.Find(x => x.NextAttemptAt <= ticks && x.LeasedUntil <= ticks)
            .SortBy(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).Limit(max).ToListAsync(ct)).Select(d => d.ToRecord())];
    }

    public async Task<bool> DeleteSubscriptionAsync(string owner, string id, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("delete-subscription");
        return (await SubscriptionDocs.DeleteOneAsync(x => x.Owner == owner && x.Id == id, ct)).DeletedCount == 1;
    }

    public async Task<bool> TryLeaseSubscriptionAsync(string id, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default)
    {
        var nowTicks = now.UtcTicks;
        var result = await SubscriptionDocs.UpdateOneAsync(
            x => x.Id == id && (x.LeasedUntil <= nowTicks || x.LeaseHolder == holder),
            Builders<SubscriptionDoc>.Update.Set(x => x.LeaseHolder, holder).Set(x => x.LeasedUntil, until.UtcTicks), cancellationToken: ct);
        return result.ModifiedCount == 1;
    }

    public async Task RecordDeliveryAsync(string id, string? cursor, DateTimeOffset? deliveredAt, string? error, int failures,
        DateTimeOffset? nextAttemptAt, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("record-subscription-delivery");
        var update = Builders<SubscriptionDoc>.Update
            .Set(x => x.LastError, error).Set(x => x.Failures, failures).Set(x => x.NextAttemptAt, nextAttemptAt?.UtcTicks ?? 0)
            .Set(x => x.LeaseHolder, null).Set(x => x.LeasedUntil, 0L);
        if (cursor is not null) update = update.Set(x => x.Cursor, cursor);
        if (deliveredAt is { } d) update = update.Set(x => x.LastDeliveryAt, TimeDoc.From(d));
        await SubscriptionDocs.UpdateOneAsync(x => x.Id == id, update, cancellationToken: ct);
    }
}
