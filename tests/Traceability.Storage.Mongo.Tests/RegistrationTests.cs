using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Traceability.Storage.Mongo.Tests;

public sealed class RegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddMongoTraceStore(config).BuildServiceProvider();
    }

    [Fact]
    public void Each_feature_store_is_registered_as_its_interfaces_over_one_database_context()
    {
        // Creating a MongoClient does not connect, so no server is needed to resolve the stores.
        using var sp = Build(new() { ["Storage:Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?replicaSet=rs0" });

        var storeInterfaces = typeof(IEventStore).Assembly.GetExportedTypes()
            .Where(t => t.IsInterface && t.Namespace == typeof(IEventStore).Namespace && t.Name.EndsWith("Store", StringComparison.Ordinal));
        Assert.All(storeInterfaces, i => Assert.Same(sp.GetRequiredService(i), sp.GetRequiredService(i)));
        Assert.IsType<MongoAccountStore>(sp.GetRequiredService<IAccountStore>());
        Assert.Same(sp.GetRequiredService<IAccountStore>(), sp.GetRequiredService<IProducerProfileStore>());
        Assert.IsType<MongoCatalogStore>(sp.GetRequiredService<ICatalogStore>());
        Assert.IsType<MongoEventStore>(sp.GetRequiredService<IEventStore>());
        Assert.IsType<MongoOutboxStore>(sp.GetRequiredService<IOutboxStore>());
        Assert.Same(sp.GetRequiredService<IRecallStore>(), sp.GetRequiredService<ISerialStore>());
        // Every feature store that has indexes is registered for index creation at start.
        Assert.Equal(
            typeof(MongoDatabaseContext).Assembly.GetTypes().Where(t => t.IsClass && typeof(Setup.IMongoIndexedStore).IsAssignableFrom(t))
                .Select(t => t.Name).Order(),
            sp.GetServices<Setup.IMongoIndexedStore>().Select(s => s.GetType().Name).Order());
        Assert.Contains(sp.GetServices<Setup.IMongoIndexedStore>(), s => s is MongoEventStore);
        Assert.Equal("traceability", sp.GetRequiredService<IOptions<MongoStoreOptions>>().Value.Database);
    }

    [Fact]
    public void Options_are_read_from_the_storage_mongo_section()
    {
        using var sp = Build(new()
        {
            ["Storage:Mongo:ConnectionString"] = "mongodb://a,b,c/?replicaSet=rs0",
            ["Storage:Mongo:Database"] = "tuyenquang",
            ["Storage:Mongo:ReadFromSecondaries"] = "true",
        });

        var o = sp.GetRequiredService<IOptions<MongoStoreOptions>>().Value;

        Assert.Equal(("mongodb://a,b,c/?replicaSet=rs0", "tuyenquang", true), (o.ConnectionString, o.Database, o.ReadFromSecondaries));
    }

    [Theory]
    [InlineData(null, "Storage:Mongo:ConnectionString is required")]
    [InlineData("http://localhost:27017", "Storage:Mongo:ConnectionString is not a valid MongoDB URL")]
    public void A_missing_or_malformed_connection_string_names_the_key(string? connectionString, string message)
    {
        using var sp = Build(new() { ["Storage:Mongo:ConnectionString"] = connectionString });

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<MongoStoreOptions>>().Value);

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_database_name_names_the_key()
    {
        using var sp = Build(new() { ["Storage:Mongo:ConnectionString"] = "mongodb://localhost", ["Storage:Mongo:Database"] = "trace.ability" });

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<MongoStoreOptions>>().Value);

        Assert.Contains("Storage:Mongo:Database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_configuration_fails_the_host_start()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Services.AddMongoTraceStore(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Storage:Mongo:ConnectionString", ex.Message, StringComparison.Ordinal);
    }
}
