using Microsoft.Extensions.Options;
using Traceability.Storage.Mongo;
using Traceability.Storage.Mongo.Setup;

namespace Traceability.Storage.Tests.Mongo;

/// <summary>
/// The MongoDB server the Mongo tests run against: TRACE_MONGO_URL (a replica set, e.g.
/// mongodb://localhost:27017/?replicaSet=rs0 from infra/mongo/docker-compose.yml). Without it
/// every Mongo test is reported as skipped with <see cref="SkipReason"/>.
/// </summary>
internal static class MongoServer
{
    public static readonly string? Url = Environment.GetEnvironmentVariable("TRACE_MONGO_URL") is { Length: > 0 } url ? url : null;

    public static string? SkipReason => Url is null ? "MongoDB contract tests skipped: TRACE_MONGO_URL is not set" : null;

    private static readonly Lazy<MongoDB.Driver.IMongoClient> LazyClient = new(() =>
        MongoStoreServiceCollectionExtensions.CreateClient(new MongoStoreOptions { ConnectionString = Url }));

    public static MongoDB.Driver.IMongoClient Client => LazyClient.Value;

    /// <summary>A store over a new database of its own, indexes created; disposing drops the database.</summary>
    public static async Task<(MongoTraceStore Store, string Database, Func<ValueTask> Drop)> CreateStoreAsync(TimeProvider clock, CancellationToken ct)
    {
        var database = $"trace_test_{Guid.NewGuid():N}";
        var client = Client;
        var store = new MongoTraceStore(client, Options.Create(new MongoStoreOptions { ConnectionString = Url, Database = database }), clock);
        await store.EnsureIndexesAsync(ct);
        return (store, database, async () => await client.DropDatabaseAsync(database));
    }
}
