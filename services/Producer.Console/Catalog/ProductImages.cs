using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Traceability.Domain.Gs1;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// Uploaded product images: JPEG, PNG or WebP up to 2 MB, recognised by their first bytes (never by the
/// browser's content type or the file name), stored as <c>{Storage:DataDirectory}/images/{gtin14}.{ext}</c>
/// and served at <c>/images/{gtin14}.{ext}</c>. Paths are built only from a validated GTIN and a fixed extension.
/// </summary>
public sealed class ProductImages(IConfiguration configuration)
{
    public const long MaxBytes = 2 * 1024 * 1024;
    private static readonly string[] Extensions = ["jpg", "png", "webp"];

    public string Directory { get; } = Path.Combine(Traceability.Storage.StorageOptions.FullDataDirectory(configuration), "images");

    /// <summary>The image kind from the first bytes, or null when the bytes are not a JPEG, PNG or WebP image.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return "jpg";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "webp";
        return null;
    }

    public static string ContentType(string ext) => ext switch
    {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(ext)),
    };

    public static string UrlPath(Gtin gtin, string ext) => $"/images/{gtin.Value}.{ext}";

    /// <summary>Reads and checks an uploaded file; on success the bytes and extension, else an error (vi, en).</summary>
    public static async Task<(byte[]? Bytes, string? Ext, (string Vi, string En)? Error)> ReadAsync(IFormFile file, CancellationToken ct)
    {
        if (file.Length == 0) return (null, null, ("Tệp ảnh trống.", "The image file is empty."));
        if (file.Length > MaxBytes) return (null, null, ("Ảnh lớn hơn 2 MB.", "The image is larger than 2 MB."));
        using var buffer = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var ext = Sniff(bytes);
        return ext is null
            ? (null, null, ("Tệp không phải ảnh JPEG, PNG hoặc WebP.", "The file is not a JPEG, PNG or WebP image."))
            : (bytes, ext, null);
    }

    /// <summary>Writes the image (replacing any earlier one of the product, whatever its type); returns its public path.</summary>
    public async Task<string> SaveAsync(Gtin gtin, string ext, byte[] bytes, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, $"{gtin.Value}.{ext}");
        var temp = target + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(temp, bytes, ct);
        File.Move(temp, target, overwrite: true);
        foreach (var other in Extensions.Where(e => e != ext))
            File.Delete(Path.Combine(Directory, $"{gtin.Value}.{other}"));
        return UrlPath(gtin, ext);
    }

    /// <summary>GET /images/{gtin14}.{ext}: the stored file, or 404. No listing, no other names.</summary>
    internal static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/images/{gtin}.{ext}", (string gtin, string ext, ProductImages images, HttpContext ctx) =>
        {
            if (gtin.Length != 14 || !Gtin.TryParse(gtin, out var valid, out _) || !Extensions.Contains(ext)) return Results.NotFound();
            var path = Path.Combine(images.Directory, $"{valid.Value}.{ext}");
            if (!File.Exists(path)) return Results.NotFound();
            ctx.Response.Headers.CacheControl = "public, max-age=3600";
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(path, ContentType(ext), enableRangeProcessing: false);
        }).ExcludeFromDescription();
}
