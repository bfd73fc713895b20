using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Traceability.Lookup.Api;
using Traceability.Lookup.Api.Resolver;

namespace Traceability.ProducerConsole.Web;

/// <summary>Addresses the console hands out to the public: QR labels and product images.</summary>
internal static class PublicUrls
{
    /// <summary>
    /// Lookup:PublicBaseUrl, or this request's own scheme and host when unset: the resolver's own
    /// base (what it returns as digitalLink), so labels, images and lookups always agree.
    /// </summary>
    public static string BaseUrl(HttpContext ctx) =>
        ResolverApi.BaseUrl(ctx, ctx.RequestServices.GetRequiredService<IOptions<LookupOptions>>().Value);
}
