using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Traceability.Storage.Mongo;

public static class MongoStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the MongoDB provider: options from `Storage:Mongo` validated at start, one MongoClient
    /// (its command events traced as <see cref="MongoStoreTelemetry.Name"/> spans), the database
    /// context (collections, transactions) and over it one store per feature, each as the store
    /// interfaces it implements, and index creation at start.
    /// </summary>
    public static IServiceCollection AddMongoTraceStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MongoStoreOptions>()
            .Bind(configuration.GetSection(MongoStoreOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MongoStoreOptions>, MongoStoreOptionsValidator>();
        services.AddSingleton<IMongoClient>(sp => CreateClient(sp.GetRequiredService<IOptions<MongoStoreOptions>>().Value));
        services.AddSingleton(sp => new MongoDatabaseContext(
            sp.GetRequiredService<IMongoClient>(), sp.GetRequiredService<IOptions<MongoStoreOptions>>(), sp.GetService<TimeProvider>()));
        services.AddMongoFeatureStores();
        services.AddSingleton<MongoIndexInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<MongoIndexInitializer>());
        return services;
    }

    /// <summary>
    /// One line per feature: its store over the registered <see cref="MongoDatabaseContext"/>, as its
    /// store interfaces and, when it has indexes, as an <see cref="IMongoIndexedStore"/>.
    /// </summary>
    public static IServiceCollection AddMongoFeatureStores(this IServiceCollection services) => services
        .AddMongoFeatureStore<MongoAccountStore>()          // IAccountStore, IProducerProfileStore
        .AddMongoFeatureStore<MongoStaffStore>()
        .AddMongoFeatureStore<MongoProducerUserStore>()
        .AddMongoFeatureStore<MongoAuditStore>()
        .AddMongoFeatureStore<MongoCatalogStore>()
        .AddMongoFeatureStore<MongoEventStore>()
        .AddMongoFeatureStore<MongoOutboxStore>()
        .AddMongoFeatureStore<MongoRecallStore>()           // IRecallStore, ISerialStore
        .AddMongoFeatureStore<MongoScanStore>()
        .AddMongoFeatureStore<MongoReportStore>()           // IReportStore, IInspectionStore
        .AddMongoFeatureStore<MongoEarlyWarningStore>()
        .AddMongoFeatureStore<MongoStatisticsStore>()
        .AddMongoFeatureStore<MongoLookupViewStore>()
        .AddMongoFeatureStore<MongoNamedQueryStore>()
        .AddMongoFeatureStore<MongoSubscriptionStore>()
        .AddMongoFeatureStore<MongoImportJobStore>()
        .AddMongoFeatureStore<MongoSharedStateStore>();     // IKeyRingStore, IImageStore, IChangeFeedStore

    private static IServiceCollection AddMongoFeatureStore<TStore>(this IServiceCollection services)
        where TStore : class
    {
        services.AddFeatureStore<TStore>();
        if (typeof(IMongoIndexedStore).IsAssignableFrom(typeof(TStore)))
        {
            services.AddSingleton(sp => (IMongoIndexedStore)sp.GetRequiredService<TStore>());
        }
        return services;
    }

    public static MongoClient CreateClient(MongoStoreOptions options)
    {
        var settings = MongoClientSettings.FromConnectionString(options.ConnectionString);
        var tracer = new CommandTracer();
        var configure = settings.ClusterConfigurator;
        settings.ClusterConfigurator = builder =>
        {
            configure?.Invoke(builder);
            tracer.Subscribe(builder);
        };
        settings.ApplicationName ??= "traceability";
        return new MongoClient(settings);
    }
}
