namespace Traceability.Storage.Mongo;

public sealed class MongoAccountStore(MongoDatabaseContext db) : IAccountStore, IProducerProfileStore, IMongoIndexedStore
{
    public async Task EnsureIndexesAsync(CancellationToken ct)
    {
        await db.Producers.Indexes.CreateManyAsync(Indexes.Producers, ct);
        await db.ApiKeys.Indexes.CreateManyAsync(Indexes.ApiKeys, ct);
    }

    // A producer (or inspector) and its first key are two documents in two collections that must
    // appear together: a transaction is the only way to get that without a compensating delete.
    // These are rare admin writes, so the cost does not matter.
    public async Task AddProducerAsync(Producer producer, ApiKeyRecord key, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-producer");
        try
        {
            await db.InTransactionAsync(async (s, c) =>
            {
                await db.Producers.InsertOneAsync(s, ProducerDoc.From(producer), cancellationToken: c);
                await db.ApiKeys.InsertOneAsync(s, ApiKeyDoc.From(key), cancellationToken: c);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"A producer with id '{producer.Id}' or tax code '{producer.TaxCode}', or the key '{key.KeyId}', already exists.");
        }
    }

    public async Task<Producer?> GetProducerAsync(string id, CancellationToken ct = default) =>
        (await db.Producers.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<bool> SetProducerPublicContactAsync(string producerId, string? phone, string? website, CancellationToken ct = default)
    {
        var result = await db.Producers.UpdateOneAsync(x => x.Id == producerId, Builders<ProducerDoc>.Update
            .Set(x => x.PublicPhone, phone).Set(x => x.Website, website), cancellationToken: ct);
        return result.MatchedCount > 0;
    }

    public async Task<IReadOnlyList<Producer>> ListProducersAsync(CancellationToken ct = default) =>
        [.. (await db.Producers.Find(FilterDefinition<ProducerDoc>.Empty).Sort(CatalogQueries.ProducerOrder).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task AddInspectorAsync(Inspector inspector, ApiKeyRecord key, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-inspector");
        try
        {
            await db.InTransactionAsync(async (s, c) =>
            {
                await db.Inspectors.InsertOneAsync(s, InspectorDoc.From(inspector), cancellationToken: c);
                await db.ApiKeys.InsertOneAsync(s, ApiKeyDoc.From(key), cancellationToken: c);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"An inspector with id '{inspector.Id}', or the key '{key.KeyId}', already exists.");
        }
    }

    public async Task<Inspector?> GetInspectorAsync(string id, CancellationToken ct = default) =>
        (await db.Inspectors.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default)
    {
        try
        {
            await db.ApiKeys.InsertOneAsync(ApiKeyDoc.From(key), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"The key '{key.KeyId}' already exists.");
        }
    }

    public async Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct = default) =>
        (await db.ApiKeys.Find(x => x.Id == keyId).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<ApiKeyRecord>> ListProducerKeysAsync(string producerId, CancellationToken ct = default) =>
        [.. (await db.ApiKeys.Find(x => x.ProducerId == producerId).SortByDescending(x => x.CreatedAt.Ticks).ThenBy(x => x.Id)
            .ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task<bool> RevokeApiKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default)
    {
        var result = await db.ApiKeys.UpdateOneAsync(CatalogQueries.ActiveKey(keyId),
            Builders<ApiKeyDoc>.Update.Set(x => x.RevokedAt, TimeDoc.From(at)), cancellationToken: ct);
        return result.ModifiedCount == 1;
    }
}
