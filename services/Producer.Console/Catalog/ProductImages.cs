using Microsoft.Extensions.Configuration;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// Uploaded product images: JPEG, PNG or WebP up to 2 MB, recognised by their first bytes (never by the
/// browser's content type or the file name), kept in the store (<see cref="IImageStore"/>, so every host
/// over it serves them) and served at <c>/images/{gtin14}.{ext}</c> with an ETag and Last-Modified.
/// Earlier versions kept them as <c>{Storage:DataDirectory}/images/{gtin14}.{ext}</c>; those files are
/// imported at start (<see cref="ImportLegacyAsync"/>).
/// </summary>
public sealed class ProductImages(IImageStore store, IEnumerable<IChangeNotifier> notifiers, TimeProvider time, IConfiguration configuration)
{
    public const long MaxBytes = 2 * 1024 * 1024;
    private static readonly string[] Extensions = ["jpg", "png", "webp"];

    /// <summary>Short, with validators: a replaced image shows within a minute, and a revalidation costs a 304.</summary>
    public const string CacheControl = "public, max-age=60";

    /// <summary>Where earlier versions kept the images; read only to import them.</summary>
    public string LegacyDirectory { get; } = Path.Combine(Traceability.Storage.StorageOptions.FullDataDirectory(configuration), "images");

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

    /// <summary>Reads and checks an uploaded file; on success the bytes and extension, else the ConsoleTexts key of the error.</summary>
    public static async Task<(byte[]? Bytes, string? Ext, string? ErrorKey)> ReadAsync(IFormFile file, CancellationToken ct)
    {
        if (file.Length == 0) return (null, null, "Image_Empty");
        if (file.Length > MaxBytes) return (null, null, "Image_TooLarge");
        using var buffer = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var ext = Sniff(bytes);
        return ext is null
            ? (null, null, "Image_NotImage")
            : (bytes, ext, null);
    }

    /// <summary>Stores the image (replacing any earlier one of the product, whatever its type); returns its public path.</summary>
    public async Task<string> SaveAsync(Gtin gtin, string ext, byte[] bytes, CancellationToken ct)
    {
        await store.PutImageAsync(new ProductImage(gtin.Value, ext, bytes, ETagOf(bytes), time.GetUtcNow()), ct);
        // Every host's lookup cache drops the product's answers (its image may have changed kind).
        foreach (var notifier in notifiers) notifier.Changed($"01/{gtin.Value}");
        return UrlPath(gtin, ext);
    }

    /// <summary>Copies image files an earlier version wrote into the store, unless the product has one there already.</summary>
    public async Task<int> ImportLegacyAsync(CancellationToken ct)
    {
        if (!System.IO.Directory.Exists(LegacyDirectory)) return 0;
        var added = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(LegacyDirectory))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var ext = Path.GetExtension(file).TrimStart('.');
            if (name.Length != 14 || !Gtin.TryParse(name, out var gtin, out _) || !Extensions.Contains(ext)) continue;
            var bytes = await File.ReadAllBytesAsync(file, ct);
            var image = new ProductImage(gtin.Value, ext, bytes, ETagOf(bytes), new DateTimeOffset(File.GetLastWriteTimeUtc(file)));
            if (await store.AddImageIfAbsentAsync(image, ct)) added++;
        }
        return added;
    }

    private static string ETagOf(byte[] bytes) =>
        "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";

    /// <summary>GET /images/{gtin14}.{ext}: the stored image, 304 when the client's copy is current, or 404. No listing, no other names.</summary>
    internal static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/images/{gtin}.{ext}", async (string gtin, string ext, IImageStore store, HttpContext ctx) =>
        {
            if (gtin.Length != 14 || !Gtin.TryParse(gtin, out var valid, out _) || !Extensions.Contains(ext)) return Results.NotFound();
            var image = await store.GetImageAsync(valid.Value, ctx.RequestAborted);
            if (image is null || image.Ext != ext) return Results.NotFound();
            ctx.Response.Headers.CacheControl = CacheControl;
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            // Results.Bytes answers If-None-Match / If-Modified-Since with 304 from these validators.
            return Results.Bytes(image.Bytes, ContentType(ext), lastModified: image.UpdatedAt,
                entityTag: Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(image.ETag));
        }).ExcludeFromDescription();
}

/// <summary>Imports the image files of earlier versions into the store before the host serves requests.</summary>
internal sealed partial class ProductImageImport(ProductImages images, ILogger<ProductImageImport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var added = await images.ImportLegacyAsync(cancellationToken);
        if (added > 0) Log.Imported(logger, added, images.LegacyDirectory);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Imported {Count} product image file(s) from {Folder} into the store")]
        public static partial void Imported(ILogger logger, int count, string folder);
    }
}
