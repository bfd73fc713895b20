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
/// the hybrid (local) binarizer on the contrast-stretched image; the global-histogram one; a
/// slightly smoothed copy (noise); half size (noise, blur); twice the size (codes under ≈ 2 px per module).
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
            foreach (var (pass, pixels, width, height) in Passes(image))
                if (Read(pixels, width, height, hybrid: pass != "global") is { } text)
                    return new QrDecodeResult(QrDecodeOutcome.Decoded, text, pass);
        }
        return new QrDecodeResult(QrDecodeOutcome.NotFound);
    }

    /// <summary>The passes, cheapest first; each later one only runs when the ones before found nothing.</summary>
    private static IEnumerable<(string Pass, byte[] Pixels, int Width, int Height)> Passes(Image<L8> image)
    {
        var (w, h) = (image.Width, image.Height);
        var pixels = Stretched(image);
        yield return ("hybrid", pixels, w, h);
        yield return ("global", pixels, w, h);
        // Smoothed: sensor noise in a dim photo breaks the binarizer's local thresholds into speckle.
        using (var smooth = image.Clone(x => x.GaussianBlur(1.2f)))
            yield return ("smooth", Stretched(smooth), w, h);
        if (Math.Max(w, h) >= 400)
        {
            // Half size: averages sensor noise and JPEG blocks away and makes a blurred edge steeper.
            using var half = image.Clone(x => x.Resize(w / 2, h / 2, KnownResamplers.Box));
            yield return ("half", Stretched(half), w / 2, h / 2);
        }
        if (Math.Max(w, h) < 800)
        {
            // Twice the size: ZXing's finder pattern search misses codes under ≈ 2 px per module.
            using var twice = image.Clone(x => x.Resize(w * 2, h * 2, KnownResamplers.Bicubic));
            yield return ("twice", Stretched(twice), w * 2, h * 2);
        }
    }

    /// <summary>
    /// Luminance with its 1st–99th percentile stretched over 0–255. The hybrid binarizer calls a
    /// block with less than 24 levels between its darkest and lightest pixel blank, which is the
    /// whole code in a dim photo (its range squeezed into 20–30 levels).
    /// </summary>
    private static byte[] Stretched(Image<L8> image)
    {
        var pixels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var histogram = new int[256];
        foreach (var p in pixels) histogram[p]++;
        int Percentile(double q)
        {
            var target = (long)(q * pixels.Length);
            long seen = 0;
            for (var v = 0; v < 256; v++)
                if ((seen += histogram[v]) > target) return v;
            return 255;
        }
        var (low, high) = (Percentile(0.01), Percentile(0.99));
        if (high - low < 2 || (low == 0 && high == 255)) return pixels;
        var map = new byte[256];
        for (var v = 0; v < 256; v++) map[v] = (byte)Math.Clamp((v - low) * 255 / (high - low), 0, 255);
        for (var k = 0; k < pixels.Length; k++) pixels[k] = map[pixels[k]];
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
