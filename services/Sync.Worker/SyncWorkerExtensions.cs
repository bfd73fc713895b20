using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Traceability.Sync.Pushing;

namespace Traceability.Sync;

public static class SyncWorkerExtensions
{
    /// <summary>
    /// The portal client ("Portal"), the pushers, the worker ("Sync") and its telemetry. The store
    /// (IOutboxStore, ICatalogStore, IEventStore, IAccountStore) comes from the host's store provider.
    /// </summary>
    public static IHostApplicationBuilder AddSyncWorker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SyncOptions>()
            .BindConfiguration(SyncOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<SyncOptions>, SyncOptionsConsistency>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SyncTelemetry>();
        services.AddNationalPortalClient(builder.Configuration);

        // One pusher per outbox kind.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IOutboxPusher, ProductPusher>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IOutboxPusher, LotPusher>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IOutboxPusher, EventPusher>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IOutboxPusher, RecallPusher>());

        services.TryAddSingleton<SyncWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<SyncWorker>());
        return builder;
    }
}
