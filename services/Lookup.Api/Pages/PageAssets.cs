namespace Traceability.Lookup.Api.Pages;

/// <summary>
/// The public pages' one stylesheet (Pages/Assets/lookup.css, embedded) and their Content-Security-Policy:
/// styles only from this host, nothing that runs, no inline style or script.
/// </summary>
public static class PageAssets
{
    public const string StylesheetPath = "/lookup.css";

    private static readonly byte[] Css = Read("lookup.css");

    /// <summary>
    /// The stylesheet's address with its content hash: a phone keeps it for a day, and a new version
    /// has a new address, so no page is ever shown with a stale stylesheet.
    /// </summary>
    public static readonly string StylesheetUrl =
        $"{StylesheetPath}?v={Convert.ToHexStringLower(SHA256.HashData(Css))[..12]}";

    /// <summary>The Content-Security-Policy for every public page: nothing runs, only the stylesheet above applies.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(StylesheetPath, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(Css, "text/css; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();
        return routes;
    }

    private static byte[] Read(string name) => EmbeddedAssets.Read(typeof(PageAssets).Assembly, "lookup/" + name);
}
