using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using ZXing;
using ZXing.Common;

namespace Traceability.Lookup.Api.Qr;

public enum QrDecodeOutcome { Decoded, NotFound, NotAnImage, TooManyPixels }

/// <param name="Pass">Which pass read the code (see <see cref="QrDecoder"/>); the benchmark counts them.</param>
public sealed record QrDecodeResult(QrDecodeOutcome Outcome, string? Text = null, string? Pass = null);

/// <summary>
/// Finds a QR code in a photo with ZXing.Net, pure managed code (no native library, any platform).
/// The pixels are read by ImageSharp as 8-bit luminance. The header is read first
/// (<see cref="Inspect"/>) so that an image bomb is refused before any pixel is allocated.
/// Passes, cheapest first, each measured on the benchmark's photo-like set (benchmark README):
/// the hybrid (local) binarizer; the global-histogram one (blur, low contrast); a 2× upscale of a
/// small image (codes under ≈ 2 px per module).
/// </summary>
public sealed class QrDecoder
{
    private readonly Configuration configuration;
    private readonly long maxPixels;
    private readonly int maxSide;

    public QrDecoder(IOptions<LookupOptions> options)
    {
        var o = options.Value;
        maxPixels = o.MaxDecodePixels;
        maxSide = o.DecodeMaxSide;
        configuration = Configuration.Default.Clone();
        // A second guard behind the header check: no single buffer beyond what an allowed image
        // needs as 32-bit pixels; a small pool, so memory goes back after a burst of large photos.
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            MaximumPoolSizeMegabytes = 16,
            AllocationLimitMegabytes = (int)Math.Min(int.MaxValue, maxPixels * 4 / (1024 * 1024) + 16),
        });
        // Animated GIFs and multi-page TIFFs: only the first frame is decoded, so width × height
        // from the header bounds the pixels whatever the frame count. (ImageSharp 2.1 decodes only
        // the first frame of a WebP; it refuses animated ones.)
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
    }

    /// <summary>
    /// Reads only the header: not an image (unknown format, broken header), or more pixels than
    /// <c>Lookup:MaxDecodePixels</c>; null when the image may be decoded.
    /// </summary>
    public QrDecodeOutcome? Inspect(byte[] bytes)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(configuration, bytes, out _);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidMemoryOperationException)
        {
            return QrDecodeOutcome.NotAnImage;
        }
        if (info is null || info.Width <= 0 || info.Height <= 0) return QrDecodeOutcome.NotAnImage;
        return (long)info.Width * info.Height > maxPixels ? QrDecodeOutcome.TooManyPixels : null;
    }

    public QrDecodeResult Decode(byte[] bytes)
    {
        if (Inspect(bytes) is { } refused) return new QrDecodeResult(refused);
        Image<L8> image;
        try
        {
            image = Image.Load<L8>(configuration, bytes);
        }
        catch (InvalidMemoryOperationException)
        {
            return new QrDecodeResult(QrDecodeOutcome.TooManyPixels);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException)
        {
            return new QrDecodeResult(QrDecodeOutcome.NotAnImage);
        }
        using (image)
        {
            image.Mutate(x => x.AutoOrient()); // phones store portrait photos sideways with an EXIF orientation
            var longest = Math.Max(image.Width, image.Height);
            if (longest > maxSide)
                image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(maxSide), Mode = ResizeMode.Max, Sampler = KnownResamplers.Box }));
            var pixels = Luminance(image);
            if (Read(pixels, image.Width, image.Height, hybrid: true) is { } text)
                return new QrDecodeResult(QrDecodeOutcome.Decoded, text, "hybrid");
            if (Read(pixels, image.Width, image.Height, hybrid: false) is { } global)
                return new QrDecodeResult(QrDecodeOutcome.Decoded, global, "global");
            if (Math.Max(image.Width, image.Height) < 800)
            {
                image.Mutate(x => x.Resize(image.Width * 2, image.Height * 2, KnownResamplers.Bicubic));
                if (Read(Luminance(image), image.Width, image.Height, hybrid: true) is { } up)
                    return new QrDecodeResult(QrDecodeOutcome.Decoded, up, "upscale");
            }
        }
        return new QrDecodeResult(QrDecodeOutcome.NotFound);
    }

    private static byte[] Luminance(Image<L8> image)
    {
        var pixels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    private static string? Read(byte[] pixels, int width, int height, bool hybrid)
    {
        var reader = new BarcodeReaderGeneric(null, hybrid ? s => new HybridBinarizer(s) : s => new GlobalHistogramBinarizer(s), null)
        {
            AutoRotate = true,
            Options = new DecodingOptions { TryHarder = true, PossibleFormats = [BarcodeFormat.QR_CODE] },
        };
        var text = reader.Decode(new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
