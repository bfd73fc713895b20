namespace Traceability.Storage.Mongo;

/// <summary>
/// The key ring, product images and the change feed: what several hosts over one database share.
/// Plain BSON documents (no class maps): each is a handful of fields read back whole.
/// The change feed is a polled collection like SQLite's table rather than a change stream, so both
/// providers share one poller (Lookup.Api ChangeFeedService) and its behaviour is tested on SQLite.
/// Sequences come from a counter document ($inc) and the rows are inserted after it, so a row can
/// become visible after one with a higher sequence: <see cref="ReorderWindow"/> makes pollers re-read.
/// </summary>
public sealed class MongoSharedStateStore(MongoDatabaseContext db) : IKeyRingStore, IImageStore, IChangeFeedStore, IMongoIndexedStore
{
    public int ReorderWindow => 256;

    public async Task<IReadOnlyList<KeyRingElement>> ListKeyRingAsync(CancellationToken ct = default)
    {
        var docs = await db.Documents(Collections.KeyRing).Find(FilterDefinition<BsonDocument>.Empty)
            .Sort(Builders<BsonDocument>.Sort.Ascending("createdAt").Ascending("_id")).ToListAsync(ct);
        return [.. docs.Select(d => new KeyRingElement(d["_id"].AsString, d["xml"].AsString, new DateTimeOffset(d["createdAt"].ToUniversalTime())))];
    }

    public async Task<bool> AddKeyRingElementAsync(KeyRingElement element, CancellationToken ct = default)
    {
        try
        {
            await db.Documents(Collections.KeyRing).InsertOneAsync(new BsonDocument
            {
                { "_id", element.Name }, { "xml", element.Xml }, { "createdAt", element.CreatedAt.UtcDateTime },
            }, cancellationToken: ct);
            return true;
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            return false;
        }
    }

    public Task PutImageAsync(ProductImage image, CancellationToken ct = default) =>
        db.Documents(Collections.Images).ReplaceOneAsync(Builders<BsonDocument>.Filter.Eq("_id", image.Gtin), ImageDoc(image),
            new ReplaceOptions { IsUpsert = true }, ct);

    public async Task<bool> AddImageIfAbsentAsync(ProductImage image, CancellationToken ct = default)
    {
        try
        {
            await db.Documents(Collections.Images).InsertOneAsync(ImageDoc(image), cancellationToken: ct);
            return true;
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            return false;
        }
    }

    public async Task<ProductImage?> GetImageAsync(string gtin14, CancellationToken ct = default)
    {
        var d = await db.Documents(Collections.Images).Find(Builders<BsonDocument>.Filter.Eq("_id", gtin14)).FirstOrDefaultAsync(ct);
        return d is null ? null : new ProductImage(d["_id"].AsString, d["ext"].AsString, d["bytes"].AsByteArray, d["etag"].AsString,
            new DateTimeOffset(d["updatedAt"].ToUniversalTime()));
    }

    private static BsonDocument ImageDoc(ProductImage image) => new()
    {
        { "_id", image.Gtin }, { "ext", image.Ext }, { "bytes", new BsonBinaryData(image.Bytes) }, { "etag", image.ETag },
        { "updatedAt", image.UpdatedAt.UtcDateTime },
    };

    public async Task AppendChangesAsync(IReadOnlyList<string> keys, string origin, DateTimeOffset at, CancellationToken ct = default)
    {
        if (keys.Count == 0) return;
        var counter = await db.Documents(Collections.Counters).FindOneAndUpdateAsync(Builders<BsonDocument>.Filter.Eq("_id", Collections.Changes),
            Builders<BsonDocument>.Update.Inc("seq", (long)keys.Count),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, ct);
        var first = counter["seq"].ToInt64() - keys.Count + 1;
        await db.Documents(Collections.Changes).InsertManyAsync(keys.Select((key, i) => new BsonDocument
        {
            { "_id", first + i }, { "key", key }, { "origin", origin }, { "at", at.UtcDateTime },
        }), cancellationToken: ct);
        // After the insert: a view put meanwhile either is deleted here or sees the change on its second check.
        await MongoSharedWrites.DeleteLookupViewsAsync(db, keys, ct);
    }

    public async Task<IReadOnlyList<StoreChange>> ReadChangesAsync(long after, int max, CancellationToken ct = default)
    {
        var docs = await db.Documents(Collections.Changes).Find(Builders<BsonDocument>.Filter.Gt("_id", after))
            .Sort(Builders<BsonDocument>.Sort.Ascending("_id")).Limit(max).ToListAsync(ct);
        return [.. docs.Select(d => new StoreChange(d["_id"].ToInt64(), d["key"].AsString, d["origin"].AsString, new DateTimeOffset(d["at"].ToUniversalTime())))];
    }

    public async Task<long> LatestChangeAsync(CancellationToken ct = default)
    {
        var counter = await db.Documents(Collections.Counters).Find(Builders<BsonDocument>.Filter.Eq("_id", Collections.Changes)).FirstOrDefaultAsync(ct);
        return counter is null ? 0 : counter["seq"].ToInt64();
    }

    public Task PruneChangesAsync(DateTimeOffset before, CancellationToken ct = default) =>
        db.Documents(Collections.Changes).DeleteManyAsync(Builders<BsonDocument>.Filter.Lt("at", before.UtcDateTime), ct);

    public async Task EnsureIndexesAsync(CancellationToken ct)
    {
        await db.Documents(Collections.Changes).Indexes.CreateManyAsync(
        [
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("at"), new CreateIndexOptions { Name = "at" }),
            // The lookup views' race guard: is there a change naming this key after a sequence?
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("key").Ascending("_id"), new CreateIndexOptions { Name = "key" }),
        ], ct);
    }
}
