using Microsoft.Extensions.DependencyInjection.Extensions;
using Traceability.Lookup.Api.Qr;


namespace Traceability.Lookup.Api;

public static class LookupExtensions
{
    /// <summary>
    /// Registers the public lookup: options ("Lookup"), provenance projection and its cache
    /// (<see cref="ILookupCache"/>), status sources (<see cref="ILotStatusSource"/>), the scan log
    /// writer and the QR decoder. Needs the store (ICatalogStore, IAccountStore, IEventStore,
    /// optionally IScanStore) registered by the host.
    /// </summary>
    public static IHostApplicationBuilder AddLookup(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LookupOptions>()
            .BindConfiguration(LookupOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => LookupOptions.IsValidBaseUrl(o.PublicBaseUrl), "Lookup:PublicBaseUrl must be an absolute http(s) URL without query.")
            .Validate(o => o.DefaultQrSize <= o.MaxQrSize, "Lookup:DefaultQrSize must not exceed Lookup:MaxQrSize.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<LookupTelemetry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILotStatusSource, ExpiryStatusSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILotStatusSource, SuspendedProducerStatusSource>());
        services.TryAddSingleton<ProvenanceBuilder>();
        services.TryAddSingleton<ProvenanceCache>();
        // The stored read model behind the cache (issue 22) and the one service that keeps it built.
        services.TryAddSingleton<LookupReadModel>();
        services.TryAddSingleton<LookupProjector>();
        services.AddHostedService(sp => sp.GetRequiredService<LookupProjector>());
        services.TryAddSingleton<ILookupCache>(sp => sp.GetRequiredService<ProvenanceCache>());
        // Writers' changes evict here at once and reach the other hosts over the store through the change feed.
        services.TryAddSingleton<ChangeFeedPublisher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeNotifier, ChangeFeedPublisher>(sp => sp.GetRequiredService<ChangeFeedPublisher>()));
        services.AddHostedService<ChangeFeedService>();
        services.TryAddSingleton<PublicOrigin>();
        services.TryAddSingleton<Recalls.PublicWarnings>();
        services.TryAddSingleton<ScanLog>();
        services.TryAddSingleton<ClientPseudonym>();
        services.AddHostedService<ScanLogWriter>();
        services.AddHostedService<LookupWarmUp>(); // issue 22: the first lookups after a restart
        // The resolver judges every code as verify does (one assessor), so the assessor, its options
        // and the label key ring (protected by ASP.NET Data Protection) belong to the lookup.
        services.AddOptions<VerifyOptions>().BindConfiguration(VerifyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDataProtection();
        services.TryAddSingleton<LabelKeyRing>();
        services.TryAddSingleton<CodeAssessor>();
        services.TryAddSingleton<QrDecoder>();
        services.TryAddSingleton<QrDecodeGate>();
        return builder;
    }

    /// <summary>Maps `/01/…` (resolver), `/.well-known/gs1resolver`, `/qr/01/…`, `POST /api/v1/qr/decode` and the pages' `/lookup.css`.</summary>
    public static IEndpointRouteBuilder MapLookupApi(this IEndpointRouteBuilder routes)
    {
        routes.MapResolver();
        routes.MapPageAssets();
        routes.MapQr();
        return routes;
    }
}
