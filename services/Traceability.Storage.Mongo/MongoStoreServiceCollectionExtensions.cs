using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Traceability.Storage.Mongo.Telemetry;

namespace Traceability.Storage.Mongo;

public static class MongoStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the MongoDB store as every store interface it implements (found by reflection, so
    /// a new feature interface needs no change here), with options from `Storage:Mongo`
    /// validated at start, one MongoClient (its command events traced as
    /// <see cref="MongoStoreTelemetry.Name"/> spans) and index creation at start.
    /// </summary>
    public static IServiceCollection AddMongoTraceStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MongoStoreOptions>()
            .Bind(configuration.GetSection(MongoStoreOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MongoStoreOptions>, MongoStoreOptionsValidator>();
        services.AddSingleton<IMongoClient>(sp => CreateClient(sp.GetRequiredService<IOptions<MongoStoreOptions>>().Value));
        services.AddSingleton(sp => new MongoTraceStore(
            sp.GetRequiredService<IMongoClient>(), sp.GetRequiredService<IOptions<MongoStoreOptions>>(), sp.GetService<TimeProvider>()));
        services.AddHostedService<MongoIndexInitializer>();
        return services.AddTraceStoreInterfaces<MongoTraceStore>();
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
