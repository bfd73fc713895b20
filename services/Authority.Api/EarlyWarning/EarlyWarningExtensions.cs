using Traceability.Lookup.Api.Scans;

namespace Traceability.Authority.Api.EarlyWarning;

public static class EarlyWarningExtensions
{
    /// <summary>
    /// The early-warning engine (fed by the scan log writer, complaints and inspections), its options
    /// (section "EarlyWarning", validated at start) and the alert desk. Needs IEarlyWarningStore.
    /// </summary>
    public static IServiceCollection AddEarlyWarning(this IServiceCollection services)
    {
        services.AddOptions<EarlyWarningOptions>().BindConfiguration(EarlyWarningOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<CaseFacts>();
        // Its cache of lots and products follows this host's writes and, through the change feed, every other host's.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeNotifier, CaseFacts>(sp => sp.GetRequiredService<CaseFacts>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, CaseFacts>(sp => sp.GetRequiredService<CaseFacts>()));
        services.TryAddSingleton<AlertWebhook>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhook>());
        services.TryAddSingleton<CaseHistories>();
        services.TryAddSingleton<CaseReview>();
        services.TryAddSingleton<EarlyWarningEngine>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScanObserver, EarlyWarningEngine>(sp => sp.GetRequiredService<EarlyWarningEngine>()));
        services.TryAddSingleton<AlertDesk>();
        return services;
    }

    /// <summary>Maps /api/v1/alerts and /api/v1/producers/me/alerts.</summary>
    public static IEndpointRouteBuilder MapEarlyWarning(this IEndpointRouteBuilder routes) => routes.MapAlertsApi();
}
