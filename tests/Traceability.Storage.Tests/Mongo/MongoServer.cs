using Microsoft.Extensions.Configuration;
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

    /// <summary>
    /// The feature stores over a new database of their own, registered by AddMongoTraceStore as a host
    /// does (on the shared client), indexes created; disposing drops the database.
    /// </summary>
    public static async Task<(TestStores Stores, string Database, Func<ValueTask> Drop)> CreateStoreAsync(TimeProvider clock, CancellationToken ct)
    {
        var database = $"trace_test_{Guid.NewGuid():N}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{MongoStoreOptions.Section}:ConnectionString"] = Url,
            [$"{MongoStoreOptions.Section}:Database"] = database,
        }).Build();
        var services = new ServiceCollection().AddSingleton(clock).AddMongoTraceStore(configuration);
        services.AddSingleton(Client);
        var stores = new TestStores(services.BuildServiceProvider());
        await stores.Get<MongoIndexInitializer>().EnsureIndexesAsync(ct);
        var client = Client;
        return (stores, database, async () => await client.DropDatabaseAsync(database));
    }
}
