using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Traceability.Authority.Api.Inspect;
using Traceability.Authority.Api.Inspections;
using Traceability.Authority.Api.Producers;
using Traceability.Authority.Api.Recalls;
using Traceability.Authority.Api.Reports;
using Traceability.Authority.Api.StaffAccounts;
using Traceability.Authority.Api.Statistics;
using Traceability.Authority.Api.Trace;
using Traceability.Ingestion.Api.Accounts;

namespace Traceability.Authority.Api;

public static class AuthorityExtensions
{
    /// <summary>
    /// Consumer reports, inspections, trace export and the inspector app. Needs the store
    /// (IReportStore, IInspectionStore, ICatalogStore, IAccountStore, IEventStore) and the auth
    /// policies of ServiceDefaults. The Data Protection key ring lives in the store (StoreXmlRepository).
    /// </summary>
    public static IHostApplicationBuilder AddAuthority(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InspectionOptions>().BindConfiguration(InspectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AuthorityTelemetry>();
        // Staff accounts (the staff API, the workspace's sign-in, complaint assignees).
        services.TryAddSingleton<StaffService>();
        services.TryAddSingleton<IStaffDirectory>(sp => sp.GetRequiredService<StaffService>());
        // The statistics API writes its XLSX and PDF in the workspace's texts (resx), with or without the workspace.
        services.AddLocalization();

        var dataProtection = services.AddDataProtection().SetApplicationName("Traceability");
        // With a certificate the key ring is encrypted at rest too, so a copy of the data directory
        // alone does not reveal complainants' contacts (without one, the keys are plain XML files).
        if (builder.Configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificate)
            dataProtection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(
                certificate, builder.Configuration["DataProtection:CertificatePassword"]));
        // The key ring lives in the store, so several hosts over one store share it (what one host
        // protected, another reads) and it travels with the database in a backup. On SQLite the
        // folder earlier versions used ({data}/keys) is imported before the first read.
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var legacy = string.Equals(storage.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase)
                ? Path.Combine(Path.GetFullPath(storage.DataDirectory), "keys") : null;
            return new StoreXmlRepository(sp.GetRequiredService<IKeyRingStore>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<StoreXmlRepository>>(), legacy);
        });
        services.AddOptions<KeyManagementOptions>().Configure<StoreXmlRepository>((o, repository) => o.XmlRepository = repository);

        services.TryAddSingleton<ContactProtector>();
        services.TryAddSingleton<ReportRateLimiter>();
        services.TryAddSingleton<ReportService>();
        services.TryAddSingleton<InspectionService>();
        services.TryAddSingleton<TraceBuilder>();
        services.TryAddSingleton<RecallDesk>();
        // Registration is the API's own use case (Ingestion.Api), so the workspace validates as the API does.
        services.TryAddSingleton<AccountService>();
        services.TryAddSingleton<KeyService>();
        services.TryAddSingleton<ProducerDirectory>();
        services.TryAddSingleton<ProducerAdmin>();
        services.TryAddSingleton<StatisticsService>();
        services.AddEarlyWarning();
        return builder;
    }

    /// <summary>Maps /api/v1/reports, /api/v1/inspections, /api/v1/trace, GET /api/v1/producers (+ products, lots, suspend/reinstate), /api/v1/staff, /api/v1/statistics (and the report's files at /authority/report/export), the inspector app at /inspect, and the early-warning alerts (/api/v1/alerts, /api/v1/producers/me/alerts).</summary>
    public static IEndpointRouteBuilder MapAuthorityApi(this IEndpointRouteBuilder routes)
    {
        routes.MapReportsApi();
        routes.MapInspectionsApi();
        routes.MapTraceApi();
        routes.MapProducersApi();
        routes.MapStaffApi();
        routes.MapStatisticsApi();
        routes.MapInspectorApp();
        routes.MapEarlyWarning();
        return routes;
    }
}
