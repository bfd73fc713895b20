namespace Traceability.ProducerConsole.Web;

/// <summary>
/// The console's static files (Web/Assets, embedded in the assembly): its stylesheet, the label
/// sheet's stylesheet and its one script. Styles and script live only here, never inline, so the
/// pages keep the host's strict CSP (style-src 'self'; script-src 'self').
/// </summary>
internal static class Assets
{
    public const string ConsoleCss = "/console/console.css";
    public const string LabelsCss = "/console/labels.css";
    public const string Script = "/console/console.js";

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        (ConsoleCss, "console.css", "text/css; charset=utf-8"),
        (LabelsCss, "labels.css", "text/css; charset=utf-8"),
        (Script, "console.js", "text/javascript; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            routes.MapGet(path, (HttpContext ctx) =>
            {
                // Short: a new version reaches browsers within the hour without versioned names.
                ctx.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Bytes(bytes, contentType);
            }).ExcludeFromDescription();
        }
    }

    private static byte[] Read(string name) => EmbeddedAssets.Read(typeof(Assets).Assembly, "Traceability.ProducerConsole.Assets." + name);
}
