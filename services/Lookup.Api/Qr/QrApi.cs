using Microsoft.AspNetCore.Http.Features;
using QRCoder;

namespace Traceability.Lookup.Api.Qr;

/// <summary>QR images of canonical Digital Links, and decoding of uploaded photos.</summary>
internal static class QrApi
{
    /// <summary>
    /// Error correction Q (25 % of codewords recoverable): labels are printed on produce crates and
    /// pouches that get scuffed, wet and folded; our links are short (≈ 60 characters), so Q still
    /// gives a small code (version 5–6), where M would save only a version.
    /// </summary>
    public const QRCodeGenerator.ECCLevel EccLevel = QRCodeGenerator.ECCLevel.Q;

    public static IEndpointRouteBuilder MapQr(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/qr/01/{**rest}", QrAsync)
            .WithName("QrCode")
            .WithSummary("QR image (PNG or SVG) of a lot's canonical Digital Link")
            .AllowAnonymous();
        routes.MapPost("/api/v1/qr/decode", DecodeAsync)
            .WithName("DecodeQr")
            .WithSummary("Finds and decodes a QR code in a photo or scan")
            .WithUploadLimits(null) // the size limit is Lookup:MaxDecodeBytes, checked in the handler
            .DisableAntiforgery()
            .AllowAnonymous();
        return routes;
    }

    private static async Task QrAsync(HttpContext http, ProvenanceCache cache, PublicOrigin origin, IOptions<LookupOptions> options)
    {
        Responses.Cors(http.Response);
        var (rawPath, _) = ResolverApi.RawTarget(http);
        var path = rawPath[(http.Request.PathBase.Value?.Length ?? 0)..];
        path = path.StartsWith("/qr/", StringComparison.Ordinal) ? path[3..] : path;
        if (!DigitalLink.TryParse(path, out var link, out var error))
        {
            await Responses.ProblemAsync(http, StatusCodes.Status400BadRequest, "Malformed GS1 Digital Link", error!, "code");
            return;
        }
        if (link.Lot is null)
        {
            await Responses.ProblemAsync(http, StatusCodes.Status400BadRequest, "Lot missing",
                "QR labels are made per lot: /qr/01/{gtin}/10/{lot}[/21/{serial}].", "lot");
            return;
        }
        var o = options.Value;
        var format = http.Request.Query["format"].ToString().ToLowerInvariant();
        if (format is not ("" or "png" or "svg"))
        {
            await Responses.ProblemAsync(http, StatusCodes.Status400BadRequest, "Unknown format", "format must be png or svg.", "format");
            return;
        }
        var size = o.DefaultQrSize;
        var sizeText = http.Request.Query["size"].ToString();
        if (sizeText.Length > 0 && (!int.TryParse(sizeText, out size) || size < 64 || size > o.MaxQrSize))
        {
            await Responses.ProblemAsync(http, StatusCodes.Status400BadRequest, "Bad size",
                $"size must be a whole number of pixels from 64 to {o.MaxQrSize}.", "size");
            return;
        }
        // Only registered lots get labels: a QR code from this service must resolve.
        if (await cache.GetAsync(link.Gtin.Value, link.Lot, http.RequestAborted) is null)
        {
            await Responses.ProblemAsync(http, StatusCodes.Status404NotFound, "Code not registered", $"{link.Path} is not registered.");
            return;
        }

        var text = origin.Of(http) + link.Path;
        http.Response.Headers.CacheControl = "public, max-age=86400";
        http.Response.Headers.ContentDisposition = "inline";
        if (format == "svg")
            await Responses.WriteAsync(http, 200, "image/svg+xml", Encoding.UTF8.GetBytes(QrImages.Svg(text, size)), conditional: true);
        else
            await Responses.WriteAsync(http, 200, "image/png", QrImages.Png(text, size), conditional: true);
    }

    private static async Task DecodeAsync(HttpContext http, QrDecoder decoder, QrDecodeGate gate, IOptions<LookupOptions> options, LookupTelemetry telemetry)
    {
        var o = options.Value;
        var max = o.MaxDecodeBytes;
        var request = http.Request;
        if (request.ContentLength > max)
        {
            await BytesTooLargeAsync(http, telemetry, max);
            return;
        }
        // Let Kestrel stop a chunked upload that grows past the limit (a little slack for multipart framing).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = max + 64 * 1024;

        byte[]? image;
        try
        {
            image = await ReadImageAsync(request, max, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await BytesTooLargeAsync(http, telemetry, max);
            return;
        }
        catch (InvalidDataException)
        {
            image = null; // a broken multipart body is "not an image" as far as the client is concerned
        }
        if (image is null || image.Length == 0)
        {
            await NotAnImageAsync(http, telemetry,
                "Gửi ảnh trong trường `image` (multipart/form-data) hoặc làm thân yêu cầu image/*. — Send a photo as multipart/form-data field `image` or as an image/* request body.");
            return;
        }
        if (image.Length > max)
        {
            await BytesTooLargeAsync(http, telemetry, max);
            return;
        }
        // The header alone, before a decode slot is taken: an image bomb costs microseconds, even when every slot is busy.
        if (decoder.Inspect(image) is { } refused)
        {
            await RefuseAsync(http, telemetry, refused, o);
            return;
        }

        using var lease = await gate.EnterAsync(http.RequestAborted);
        if (!lease.IsAcquired)
        {
            telemetry.QrDecodes.Add(1, LookupTelemetry.Tag("outcome", "busy"));
            http.Response.Headers.RetryAfter = gate.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Responses.ProblemAsync(http, StatusCodes.Status503ServiceUnavailable, "Máy chủ đang bận — Server busy",
                $"Đang giải mã quá nhiều ảnh; hãy thử lại sau {gate.RetryAfterSeconds} giây. — Too many images are being decoded; try again in {gate.RetryAfterSeconds} s.");
            return;
        }
        var result = decoder.Decode(image);
        if (result.Outcome != QrDecodeOutcome.Decoded)
        {
            await RefuseAsync(http, telemetry, result.Outcome, o);
            return;
        }

        telemetry.QrDecodes.Add(1, LookupTelemetry.Tag("outcome", "decoded"));
        object? digitalLink = DigitalLink.TryParse(result.Text, out var link, out _)
            ? new { gtin = link.Gtin.Value, lot = link.Lot, serial = link.Serial }
            : null;
        await Responses.JsonAsync(http, 200, new { text = result.Text, digitalLink }, conditional: false);
    }

    private static Task RefuseAsync(HttpContext http, LookupTelemetry telemetry, QrDecodeOutcome outcome, LookupOptions o)
    {
        switch (outcome)
        {
            case QrDecodeOutcome.TooManyPixels:
                var megapixels = o.MaxDecodePixels / 1_000_000.0;
                return TooLargeAsync(http, telemetry,
                    $"Ảnh tối đa {megapixels:0.#} megapixel. — Images up to {megapixels:0.#} megapixels are accepted.");
            case QrDecodeOutcome.NotAnImage:
                return NotAnImageAsync(http, telemetry,
                    "Không đọc được tệp như một ảnh (JPEG, PNG, WebP, BMP, GIF, TIFF). — The upload could not be read as an image (JPEG, PNG, WebP, BMP, GIF, TIFF).");
            default:
                telemetry.QrDecodes.Add(1, LookupTelemetry.Tag("outcome", "not_found"));
                return Responses.ProblemAsync(http, StatusCodes.Status422UnprocessableEntity, "Không tìm thấy mã QR — No QR code found",
                    "Không đọc được mã QR nào trong ảnh. Hãy chụp gần hơn, rõ nét, thấy trọn mã. — No QR code could be read in the image. Take the photo closer, in focus, with the whole code visible.", "image");
        }
    }

    private static Task NotAnImageAsync(HttpContext http, LookupTelemetry telemetry, string detail)
    {
        telemetry.QrDecodes.Add(1, LookupTelemetry.Tag("outcome", "not_image"));
        return Responses.ProblemAsync(http, StatusCodes.Status415UnsupportedMediaType, "Không phải ảnh — Not an image", detail, "image");
    }

    private static Task BytesTooLargeAsync(HttpContext http, LookupTelemetry telemetry, long max) =>
        TooLargeAsync(http, telemetry, $"Ảnh tối đa {max / (1024 * 1024)} MB. — Images up to {max / (1024 * 1024)} MB are accepted.");

    private static Task TooLargeAsync(HttpContext http, LookupTelemetry telemetry, string detail)
    {
        telemetry.QrDecodes.Add(1, LookupTelemetry.Tag("outcome", "too_large"));
        return Responses.ProblemAsync(http, StatusCodes.Status413PayloadTooLarge, "Ảnh quá lớn — Image too large", detail, "image");
    }

    private static async Task<byte[]?> ReadImageAsync(HttpRequest request, long max, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("image");
            if (file is null) return null;
            if (file.Length > max) return new byte[max + 1];
            using var ms = new MemoryStream((int)file.Length);
            await file.CopyToAsync(ms, ct);
            return ms.ToArray();
        }
        if (request.ContentType is { } type && type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            using var ms = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                ms.Write(buffer, 0, n);
                if (ms.Length > max) return ms.ToArray();
            }
            return ms.ToArray();
        }
        return null;
    }
}
