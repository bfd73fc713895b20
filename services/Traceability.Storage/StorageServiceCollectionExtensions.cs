using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Traceability.Storage.Sqlite;

namespace Traceability.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite store (options from the "Storage" section): the database (file,
    /// write queue, migrations) as a singleton, and over it one store per feature, each as the store
    /// interfaces it implements. The database is opened (and migrated) on first use.
    /// </summary>
    public static IServiceCollection AddSqliteTraceStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        services.AddSingleton(sp => new SqliteDatabase(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SqliteDatabase>>()));
        return services
            .AddFeatureStore<SqliteAccountStore>()          // IAccountStore, IProducerProfileStore
            .AddFeatureStore<SqliteStaffStore>()
            .AddFeatureStore<SqliteProducerUserStore>()
            .AddFeatureStore<SqliteAuditStore>()
            .AddFeatureStore<SqliteCatalogStore>()
            .AddFeatureStore<SqliteEventStore>()
            .AddFeatureStore<SqliteOutboxStore>()
            .AddFeatureStore<SqliteRecallStore>()           // IRecallStore, ISerialStore
            .AddFeatureStore<SqliteScanStore>()
            .AddFeatureStore<SqliteReportStore>()           // IReportStore, IInspectionStore
            .AddFeatureStore<SqliteEarlyWarningStore>()
            .AddFeatureStore<SqliteStatisticsStore>()
            .AddFeatureStore<SqliteLookupViewStore>()
            .AddFeatureStore<SqliteNamedQueryStore>()
            .AddFeatureStore<SqliteSubscriptionStore>()
            .AddFeatureStore<SqliteImportJobStore>()
            .AddFeatureStore<SqliteSharedStateStore>();     // IKeyRingStore, IImageStore, IChangeFeedStore
    }

    /// <summary>
    /// Registers one feature's store as a singleton and as each store interface (I…Store of this
    /// assembly's namespace) it implements, so a feature that gains an interface needs no change here.
    /// The store's constructor takes the provider's shared mechanics (SqliteDatabase, MongoDatabaseContext).
    /// </summary>
    public static IServiceCollection AddFeatureStore<TStore>(this IServiceCollection services)
        where TStore : class
    {
        services.AddSingleton<TStore>();
        var storeInterfaces = typeof(TStore).GetInterfaces().Where(i =>
            i.Namespace == typeof(IEventStore).Namespace && i.Name.EndsWith("Store", StringComparison.Ordinal));
        foreach (var storeInterface in storeInterfaces)
        {
            services.AddSingleton(storeInterface, sp => sp.GetRequiredService<TStore>());
        }
        return services;
    }
}
