using Traceability.Lookup.Api.Resolver;

namespace Traceability.ProducerConsole.Web;

/// <summary>Addresses the console hands out to the public: QR labels and product images.</summary>
internal static class PublicUrls
{
    /// <summary>
    /// The resolver's own base (what it returns as digitalLink, <see cref="PublicOrigin"/>), so
    /// labels, images and lookups always agree.
    /// </summary>
    public static string BaseUrl(HttpContext ctx) => ctx.RequestServices.GetRequiredService<PublicOrigin>().Of(ctx);
}
