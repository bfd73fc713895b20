using MongoDB.Bson;
using MongoDB.Driver;
using Traceability.Storage.Mongo.Setup;

namespace Traceability.Storage.Tests.Mongo;

/// <summary>MongoDB-specific behaviour beyond the contract suite; skipped without TRACE_MONGO_URL.</summary>
public sealed class MongoStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_the_indexes_again_is_harmless_and_leaves_the_listed_indexes()
    {
        Assert.SkipWhen(MongoServer.SkipReason is not null, MongoServer.SkipReason ?? "");
        var (store, database, drop) = await MongoServer.CreateStoreAsync(new FakeTimeProvider(), Ct);
        try
        {
            await store.Get<MongoIndexInitializer>().EnsureIndexesAsync(Ct);

            var indexes = await MongoServer.Client.GetDatabase(database).GetCollection<BsonDocument>("events")
                .Indexes.ListAsync(Ct);
            var names = (await indexes.ToListAsync(Ct)).Select(i => i["name"].AsString).ToList();
            Assert.Contains("keys_value_role", names);
            Assert.Contains("outbox_lease", names);
            Assert.Contains("lotKey", names);
        }
        finally
        {
            await store.DisposeAsync();
            await drop();
        }
    }
}
