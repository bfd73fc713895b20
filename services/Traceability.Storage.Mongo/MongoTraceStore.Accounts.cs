using Traceability.Storage.Mongo.Telemetry;

namespace Traceability.Storage.Mongo;

public sealed partial class MongoTraceStore
{
    // A producer (or inspector) and its first key are two documents in two collections that must
    // appear together: a transaction is the only way to get that without a compensating delete.
    // These are rare admin writes, so the cost does not matter.
    public async Task AddProducerAsync(Producer producer, ApiKeyRecord key, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-producer");
        try
        {
            await InTransactionAsync(async (s, c) =>
            {
                await producers.InsertOneAsync(s, ProducerDoc.From(producer), cancellationToken: c);
                await apiKeys.InsertOneAsync(s, ApiKeyDoc.From(key), cancellationToken: c);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"A producer with id '{producer.Id}' or tax code '{producer.TaxCode}', or the key '{key.KeyId}', already exists.");
        }
    }

    public async Task<Producer?> GetProducerAsync(string id, CancellationToken ct = default) =>
        (await producers.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<bool> SetProducerPublicContactAsync(string producerId, string? phone, string? website, CancellationToken ct = default)
    {
        var result = await producers.UpdateOneAsync(x => x.Id == producerId, Builders<ProducerDoc>.Update
            .Set(x => x.PublicPhone, phone).Set(x => x.Website, website), cancellationToken: ct);
        return result.MatchedCount > 0;
    }

    public async Task<IReadOnlyList<Producer>> ListProducersAsync(CancellationToken ct = default) =>
        [.. (await producers.Find(FilterDefinition<ProducerDoc>.Empty).Sort(CatalogQueries.ProducerOrder).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task AddInspectorAsync(Inspector inspector, ApiKeyRecord key, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-inspector");
        try
        {
            await InTransactionAsync(async (s, c) =>
            {
                await inspectors.InsertOneAsync(s, InspectorDoc.From(inspector), cancellationToken: c);
                await apiKeys.InsertOneAsync(s, ApiKeyDoc.From(key), cancellationToken: c);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"An inspector with id '{inspector.Id}', or the key '{key.KeyId}', already exists.");
        }
    }

    public async Task<Inspector?> GetInspectorAsync(string id, CancellationToken ct = default) =>
        (await inspectors.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default)
    {
        try
        {
            await apiKeys.InsertOneAsync(ApiKeyDoc.From(key), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"The key '{key.KeyId}' already exists.");
        }
    }

    public async Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct = default) =>
        (await apiKeys.Find(x => x.Id == keyId).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<ApiKeyRecord>> ListProducerKeysAsync(string producerId, CancellationToken ct = default) =>
        [.. (await apiKeys.Find(x => x.ProducerId == producerId).SortByDescending(x => x.CreatedAt.Ticks).ThenBy(x => x.Id)
            .ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task<bool> RevokeApiKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default)
    {
        var result = await apiKeys.UpdateOneAsync(CatalogQueries.ActiveKey(keyId),
            Builders<ApiKeyDoc>.Update.Set(x => x.RevokedAt, TimeDoc.From(at)), cancellationToken: ct);
        return result.ModifiedCount == 1;
    }
}
