using Microsoft.Extensions.DependencyInjection.Extensions;
using Traceability.Lookup.Api.Recalls;

namespace Traceability.Lookup.Api;

public static class VerificationExtensions
{
    /// <summary>
    /// Verify, signed serialised labels, clone detection, recalls and warnings (DESIGN §4.5–4.6).
    /// Call after AddLookup() (which registers the code assessor, its options and the label key ring
    /// the resolver shares); needs the store (IRecallStore, ISerialStore) and ServiceDefaults' auth.
    /// </summary>
    public static IHostApplicationBuilder AddVerification(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILotStatusSource, RecallStatusSource>());
        services.TryAddSingleton<RecallService>();
        services.TryAddSingleton<SerialService>();
        services.TryAddSingleton<VerifyService>();
        return builder;
    }

    /// <summary>Maps POST /api/v1/verify, /recalls, GET /warnings, /lots/{gtin}/{lot}/serials and /.well-known/traceability-keys.</summary>
    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder routes)
    {
        routes.MapVerify();
        routes.MapRecalls();
        routes.MapSigning();
        return routes;
    }
}
