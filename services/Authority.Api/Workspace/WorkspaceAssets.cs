namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// The workspace's one stylesheet (Workspace/Assets, embedded): styles live only in it, never
/// inline, so the pages pass the host's strict CSP (style-src 'self'; no script at all).
/// </summary>
internal static class WorkspaceAssets
{
    public const string Stylesheet = "/authority/workspace.css";

    public static void Map(IEndpointRouteBuilder routes)
    {
        var bytes = Read("workspace.css");
        routes.MapGet(Stylesheet, (HttpContext ctx) =>
        {
            // Short: a new version reaches browsers within the hour without versioned names.
            ctx.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(bytes, "text/css; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();
    }

    private static byte[] Read(string name) => EmbeddedAssets.Read(typeof(WorkspaceAssets).Assembly, "workspace/" + name);
}
