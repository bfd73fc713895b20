using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Storage.Sqlite;

namespace Traceability.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite store (options from the "Storage" section) as a singleton and
    /// as every store interface it implements. The database is opened (and migrated) on first use.
    /// </summary>
    public static IServiceCollection AddSqliteTraceStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        services.AddSingleton(sp => new SqliteTraceStore(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SqliteTraceStore>>()));
        return services.AddTraceStoreInterfaces<SqliteTraceStore>();
    }

    /// <summary>
    /// Registers each store interface (I…Store of this assembly's namespace) that
    /// <typeparamref name="TStore"/> implements as the already registered TStore singleton, so a
    /// provider that gains a feature (a new partial file) needs no registration change.
    /// </summary>
    public static IServiceCollection AddTraceStoreInterfaces<TStore>(this IServiceCollection services)
        where TStore : class
    {
        var storeInterfaces = typeof(TStore).GetInterfaces().Where(i =>
            i.Namespace == typeof(IEventStore).Namespace && i.Name.EndsWith("Store", StringComparison.Ordinal));
        foreach (var storeInterface in storeInterfaces)
        {
            services.AddSingleton(storeInterface, sp => sp.GetRequiredService<TStore>());
        }
        return services;
    }
}
