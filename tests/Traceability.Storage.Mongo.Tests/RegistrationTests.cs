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
    public void The_store_is_registered_as_every_store_interface_it_implements()
    {
        // Creating a MongoClient does not connect, so no server is needed to resolve the store.
        using var sp = Build(new() { ["Storage:Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?replicaSet=rs0" });

        var store = sp.GetRequiredService<MongoTraceStore>();

        Assert.All(typeof(MongoTraceStore).GetInterfaces(), i => Assert.Same(store, sp.GetRequiredService(i)));
        Assert.Same(store, sp.GetRequiredService<IAccountStore>());
        Assert.Same(store, sp.GetRequiredService<ICatalogStore>());
        Assert.Same(store, sp.GetRequiredService<IEventStore>());
        Assert.Same(store, sp.GetRequiredService<IOutboxStore>());
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
