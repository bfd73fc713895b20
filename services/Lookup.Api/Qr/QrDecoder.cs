using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace Traceability.Lookup.Api.Qr;

public enum QrDecodeOutcome { Decoded, NotFound, NotAnImage }

public sealed record QrDecodeResult(QrDecodeOutcome Outcome, string? Text = null);

/// <summary>
/// Finds a QR code in a photo: WeChatQRCode first (more robust and faster on photos, see RECIPES),
/// OpenCV's QRCodeDetector as the fallback, each on the grey image, then on binarised versions.
/// </summary>
public sealed class QrDecoder(IOptions<LookupOptions> options)
{
    static QrDecoder()
    {
        // A 10 MB PNG can claim 30 000 × 30 000 pixels; refuse such decompression bombs before
        // OpenCV allocates them (read by OpenCV when its native library loads).
        if (Environment.GetEnvironmentVariable("OPENCV_IO_MAX_IMAGE_PIXELS") is null)
            Environment.SetEnvironmentVariable("OPENCV_IO_MAX_IMAGE_PIXELS", (60L * 1000 * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public QrDecodeResult Decode(byte[] bytes)
    {
        Mat decoded;
        try
        {
            // IMREAD_COLOR applies the EXIF orientation of JPEG photos.
            decoded = Cv2.ImDecode(bytes, ImreadModes.Color);
        }
        catch (OpenCVException)
        {
            return new QrDecodeResult(QrDecodeOutcome.NotAnImage);
        }
        using var src = decoded;
        if (src.Empty()) return new QrDecodeResult(QrDecodeOutcome.NotAnImage);

        using var gray = new Mat();
        Cv2.CvtColor(src, gray, ColorConversionCodes.BGR2GRAY);
        using var scaled = Fit(gray, options.Value.DecodeMaxSide);

        using var wechat = new WeChatQRCode("", "", "", "");
        using var detector = new QRCodeDetector();
        foreach (var attempt in Attempts(scaled))
        {
            using (attempt)
            {
                if ((TryWeChat(wechat, attempt) ?? TryDetector(detector, attempt)) is { } text)
                    return new QrDecodeResult(QrDecodeOutcome.Decoded, text);
            }
        }
        return new QrDecodeResult(QrDecodeOutcome.NotFound);
    }

    /// <summary>Grey as is, Otsu threshold, adaptive threshold (uneven light), and 2× for tiny codes.</summary>
    private static IEnumerable<Mat> Attempts(Mat gray)
    {
        yield return gray.Clone();
        var otsu = new Mat();
        Cv2.Threshold(gray, otsu, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        yield return otsu;
        var adaptive = new Mat();
        Cv2.AdaptiveThreshold(gray, adaptive, 255, AdaptiveThresholdTypes.GaussianC, ThresholdTypes.Binary, 51, 10);
        yield return adaptive;
        if (Math.Max(gray.Width, gray.Height) < 800)
        {
            var up = new Mat();
            Cv2.Resize(gray, up, new Size(gray.Width * 2, gray.Height * 2), 0, 0, InterpolationFlags.Cubic);
            yield return up;
        }
    }

    private static Mat Fit(Mat gray, int maxSide)
    {
        var longest = Math.Max(gray.Width, gray.Height);
        if (longest <= maxSide) return gray.Clone();
        var scale = (double)maxSide / longest;
        var small = new Mat();
        Cv2.Resize(gray, small, new Size(Math.Max(1, (int)(gray.Width * scale)), Math.Max(1, (int)(gray.Height * scale))), 0, 0, InterpolationFlags.Area);
        return small;
    }

    private static string? TryWeChat(WeChatQRCode wechat, Mat image)
    {
        var texts = wechat.DetectAndDecode(image, out _);
        return texts.FirstOrDefault(t => !string.IsNullOrEmpty(t));
    }

    private static string? TryDetector(QRCodeDetector detector, Mat image)
    {
        var text = detector.DetectAndDecode(image, out _);
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
