using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Traceability.Authority.Api.Inspect;

/// <summary>
/// Serves the inspector web app (clients/inspector-web: the committed bundle dist/*.js and static/*, embedded in this
/// assembly as `inspect/{file}`) at /inspect/. Files are revalidated by ETag on every load so a
/// new version reaches inspectors as soon as they are online; the service worker serves them offline.
/// </summary>
public static class InspectorApp
{
    private const string Prefix = "inspect/";

    private static readonly Lazy<FrozenDictionary<string, (byte[] Data, string Type, string ETag)>> Files = new(Load);

    public static IEndpointRouteBuilder MapInspectorApp(this IEndpointRouteBuilder routes)
    {
        // One route: routing ignores a trailing slash, so "/inspect" and "/inspect/" both land here.
        routes.MapGet("/inspect/{file?}", Serve).ExcludeFromDescription().AllowAnonymous();
        return routes;
    }

    private static IResult Serve(string? file, HttpContext context)
    {
        // Relative URLs and the service worker's scope need the trailing slash.
        if (string.IsNullOrEmpty(file) && !context.Request.Path.Value!.EndsWith('/'))
            return Results.Redirect("/inspect/" + context.Request.QueryString, permanent: false);
        if (!Files.Value.TryGetValue(string.IsNullOrEmpty(file) ? "index.html" : file, out var entry))
            return Results.NotFound();
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = entry.ETag;
        headers.XContentTypeOptions = "nosniff";
        if (entry.Type.StartsWith("text/html", StringComparison.Ordinal))
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; worker-src 'self'";
        if (context.Request.Headers.IfNoneMatch == entry.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(entry.Data, entry.Type);
    }

    /// <summary>The embedded files; throws at first request when the bundle was not built (the build makes it).</summary>
    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        var assembly = typeof(InspectorApp).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var data = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(data)[..8]) + "\"";
            files[name[Prefix.Length..]] = (data, TypeOf(name), etag);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    };
}
