using Microsoft.Extensions.Hosting;

namespace Traceability.Storage.Mongo.Setup;

/// <summary>A feature store with indexes of its own (or a one-off data fix), created when the host starts.</summary>
public interface IMongoIndexedStore
{
    /// <summary>Idempotent: createIndexes with identical definitions does nothing.</summary>
    Task EnsureIndexesAsync(CancellationToken ct);
}

/// <summary>Creates the collections, then every feature store's indexes, when the host starts, before requests are served.</summary>
public sealed class MongoIndexInitializer(MongoDatabaseContext db, IEnumerable<IMongoIndexedStore> stores) : IHostedService
{
    public async Task EnsureIndexesAsync(CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("ensure-indexes");
        await db.EnsureCollectionsAsync(ct);
        foreach (var store in stores)
        {
            await store.EnsureIndexesAsync(ct);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => EnsureIndexesAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
