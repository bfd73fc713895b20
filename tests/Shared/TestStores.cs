using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Storage;
using Traceability.Storage.Sqlite;

namespace Traceability.Testing;

/// <summary>
/// The feature stores a test works with, resolved from one provider's DI registration (each store
/// interface is implemented by its own class over shared mechanics), or from one test double that
/// implements several interfaces. Disposing closes the stores (for SQLite: the database file).
/// </summary>
public sealed class TestStores : IDisposable, IAsyncDisposable
{
    /// <summary>Every store interface of Traceability.Storage (I…Store).</summary>
    public static IReadOnlyList<Type> StoreInterfaces { get; } = [.. typeof(IEventStore).Assembly.GetExportedTypes()
        .Where(t => t.IsInterface && t.Namespace == typeof(IEventStore).Namespace && t.Name.EndsWith("Store", StringComparison.Ordinal))];

    private readonly ServiceProvider _services;

    public TestStores(ServiceProvider services) => _services = services;

    /// <summary>
    /// The SQLite stores over <paramref name="directory"/>, registered by AddSqliteTraceStore as a host
    /// does. The database is opened (and migrated) here, so an unusable directory throws here.
    /// </summary>
    public static TestStores OpenSqlite(string directory, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{StorageOptions.SectionName}:DataDirectory"] = directory })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        if (time is not null) services.AddSingleton(time);
        var stores = new TestStores(services.AddSqliteTraceStore().BuildServiceProvider());
        try
        {
            _ = stores.Sqlite;
            return stores;
        }
        catch
        {
            stores.Dispose();
            throw;
        }
    }

    /// <summary>A test double that implements several store interfaces, seen as each of them.</summary>
    public static TestStores Of(object store)
    {
        var services = new ServiceCollection();
        foreach (var type in StoreInterfaces.Where(t => t.IsInstanceOfType(store)))
            services.AddSingleton(type, store);
        return new TestStores(services.BuildServiceProvider());
    }

    public T Get<T>() where T : class => _services.GetRequiredService<T>();

    public IAccountStore Accounts => Get<IAccountStore>();
    public ICatalogStore Catalog => Get<ICatalogStore>();
    public IEventStore Events => Get<IEventStore>();
    public IOutboxStore Outbox => Get<IOutboxStore>();
    public IRecallStore Recalls => Get<IRecallStore>();
    public IScanStore Scans => Get<IScanStore>();
    public ILookupViewStore LookupViews => Get<ILookupViewStore>();
    public IChangeFeedStore ChangeFeed => Get<IChangeFeedStore>();

    /// <summary>The SQLite mechanics under the stores (file path, applied migrations).</summary>
    public SqliteDatabase Sqlite => Get<SqliteDatabase>();

    /// <summary>Registers each store interface these stores have into a host's services, as these instances.</summary>
    public IServiceCollection AddTo(IServiceCollection services)
    {
        foreach (var type in StoreInterfaces)
        {
            if (_services.GetService(type) is { } store)
                services.AddSingleton(type, store);
        }
        return services;
    }

    public void Dispose() => _services.Dispose();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
