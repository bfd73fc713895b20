namespace Traceability.Storage.Mongo;

/// <summary>
/// The lookup read model: one plain BSON document per lot or product key in <c>lookupViews</c>.
/// MongoDB cannot make "insert unless a newer change names the key" one statement across two
/// collections, so a put checks the feed, writes, and checks again, deleting its own write if a
/// change arrived meanwhile. Together with the append, which inserts its changes and then deletes
/// the views they name, no stale view survives: either the append's delete runs after the put, or
/// the put's second check sees the change.
/// </summary>
public sealed class MongoLookupViewStore(MongoDatabaseContext db) : ILookupViewStore, IMongoIndexedStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public async Task<LookupView?> GetLookupViewAsync(string key, CancellationToken ct = default)
    {
        var d = await db.Documents(Collections.LookupViews).Find(F.Eq("_id", key)).FirstOrDefaultAsync(ct);
        return d is null ? null : new LookupView(d["_id"].AsString, d["gtin"].AsString, d["lot"].IsBsonNull ? null : d["lot"].AsString,
            d["version"].ToInt32(), d["json"].AsString,
            d["validUntil"].IsBsonNull ? null : new DateTimeOffset(d["validUntil"].ToUniversalTime()), d["builtAt"].ToInt64());
    }

    public async Task<int> PutLookupViewsAsync(IReadOnlyList<LookupView> views, CancellationToken ct = default)
    {
        var stored = 0;
        foreach (var v in views)
        {
            if (await NewerChangeAsync(v, ct)) continue;
            try
            {
                // Replaces only a row built at the same or an earlier sequence; a newer row makes the upsert collide.
                await db.Documents(Collections.LookupViews).ReplaceOneAsync(F.Eq("_id", v.Key) & F.Lte("builtAt", v.BuiltAt), ViewDoc(v),
                    new ReplaceOptions { IsUpsert = true }, ct);
            }
            catch (Exception ex) when (IsDuplicateKey(ex))
            {
                continue;
            }
            if (await NewerChangeAsync(v, ct))
            {
                await db.Documents(Collections.LookupViews).DeleteOneAsync(F.Eq("_id", v.Key) & F.Eq("builtAt", v.BuiltAt), ct);
                continue;
            }
            stored++;
        }
        return stored;
    }

    public Task DeleteLookupViewsAsync(IReadOnlyList<string> changeKeys, CancellationToken ct = default) =>
        MongoSharedWrites.DeleteLookupViewsAsync(db, changeKeys, ct);

    public async Task<long> DeleteLookupViewsExceptAsync(int version, CancellationToken ct = default) =>
        (await db.Documents(Collections.LookupViews).DeleteManyAsync(F.Ne("version", version), ct)).DeletedCount;

    public async Task<LookupLotPage> ListLotsForLookupAsync(string? after, int max, int? missingVersion, DateTimeOffset now, CancellationToken ct = default)
    {
        // Lots are keyed by their lot key: the page token is the last one's.
        var page = await db.Lots.Find(after is null ? Builders<LotDoc>.Filter.Empty : Builders<LotDoc>.Filter.Gt(l => l.Id, after))
            .SortBy(l => l.Id).Limit(max).Project(l => new { l.Id, l.Gtin, l.Lot }).ToListAsync(ct);
        var next = page.Count < max ? null : page[^1].Id;
        if (missingVersion is not { } version) return new LookupLotPage([.. page.Select(l => new LookupLot(l.Gtin, l.Lot))], next);
        var current = await db.Documents(Collections.LookupViews)
            .Find(F.In("_id", page.Select(l => l.Id)) & F.Eq("version", version) & (F.Eq("validUntil", BsonNull.Value) | F.Gt("validUntil", now.UtcDateTime)))
            .Project(Builders<BsonDocument>.Projection.Include("_id")).ToListAsync(ct);
        var have = current.Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
        return new LookupLotPage([.. page.Where(l => !have.Contains(l.Id)).Select(l => new LookupLot(l.Gtin, l.Lot))], next);
    }

    private async Task<bool> NewerChangeAsync(LookupView v, CancellationToken ct) =>
        await db.Documents(Collections.Changes).Find(F.In("key", [v.Key, ChangeKeys.Product(v.Gtin), ChangeKeys.All]) & F.Gt("_id", v.BuiltAt))
            .Limit(1).AnyAsync(ct);

    private static BsonDocument ViewDoc(LookupView v) => new()
    {
        { "_id", v.Key }, { "gtin", v.Gtin }, { "lot", v.Lot is null ? BsonNull.Value : v.Lot }, { "version", v.Version }, { "json", v.Json },
        { "validUntil", v.ValidUntil is { } until ? until.UtcDateTime : BsonNull.Value }, { "builtAt", v.BuiltAt },
    };

    public Task EnsureIndexesAsync(CancellationToken ct) =>
        db.Documents(Collections.LookupViews).Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("gtin"), new CreateIndexOptions { Name = "gtin" }), cancellationToken: ct);
}
