using System.Collections.Frozen;
using System.IO.Compression;

namespace Traceability.Authority.Api.Inspect;

/// <summary>
/// Serves the inspector web app (clients/inspector-web: the committed bundle dist/*.js and static/*, embedded in this
/// assembly as `inspect/{file}`) at /inspect/. Files are revalidated by ETag on every load so a
/// new version reaches inspectors as soon as they are online; the service worker serves them offline.
/// Each file is compressed once (Brotli and gzip, at their smallest) and sent in the encoding the
/// browser accepts: the 500 KB bundle travels as 99 KB (Brotli; 131 KB gzip), so the first load on a weak
/// connection stays under 150 KB (issue 21).
/// </summary>
public static class InspectorApp
{
    private const string Prefix = "inspect/";

    /// <summary>One file in one content encoding ("" = as is).</summary>
    private sealed record Variant(string Encoding, byte[] Data, string ETag);

    private sealed record AppFile(string Type, IReadOnlyList<Variant> Variants);

    private static readonly Lazy<FrozenDictionary<string, AppFile>> Files = new(Load);

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
        var variant = Pick(entry, context.Request.Headers.AcceptEncoding);
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = variant.ETag;
        headers.Vary = "Accept-Encoding";
        headers.XContentTypeOptions = "nosniff";
        if (entry.Type.StartsWith("text/html", StringComparison.Ordinal))
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; worker-src 'self'";
        if (context.Request.Headers.IfNoneMatch == variant.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        if (variant.Encoding.Length > 0) headers.ContentEncoding = variant.Encoding;
        return Results.Bytes(variant.Data, entry.Type);
    }

    /// <summary>The smallest variant the request accepts (Accept-Encoding: br, gzip; q=0 refuses one).</summary>
    private static Variant Pick(AppFile file, Microsoft.Extensions.Primitives.StringValues acceptEncoding)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (Microsoft.Net.Http.Headers.StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var list))
            foreach (var e in list.Where(e => e.Quality is not 0)) accepted.Add(e.Value.Value ?? "");
        return file.Variants.Where(v => v.Encoding.Length == 0 || accepted.Contains(v.Encoding) || accepted.Contains("*"))
            .MinBy(v => v.Data.Length)!;
    }

    /// <summary>The embedded files with their compressed forms; throws at first request when the bundle is missing.</summary>
    private static FrozenDictionary<string, AppFile> Load()
    {
        var assembly = typeof(InspectorApp).Assembly;
        var files = new Dictionary<string, AppFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var data = buffer.ToArray();
            var etag = Convert.ToHexStringLower(SHA256.HashData(data)[..8]);
            var variants = new List<Variant> { new("", data, $"\"{etag}\"") };
            foreach (var (encoding, compress) in new (string, Func<Stream, Stream>)[]
                     {
                         ("br", s => new BrotliStream(s, CompressionLevel.SmallestSize, leaveOpen: true)),
                         ("gzip", s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true)),
                     })
            {
                using var packed = new MemoryStream();
                using (var writer = compress(packed)) writer.Write(data);
                // A compressed copy is kept only where it saves something (not for the PNG icon).
                if (packed.Length < data.Length * 9 / 10) variants.Add(new(encoding, packed.ToArray(), $"\"{etag}-{encoding}\""));
            }
            files[name[Prefix.Length..]] = new AppFile(TypeOf(name), variants);
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
