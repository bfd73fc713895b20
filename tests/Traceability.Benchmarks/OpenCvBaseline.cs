using OpenCvSharp;

namespace Traceability.Benchmarks;

/// <summary>
/// The service's QR decoder before issue 17 item 6, kept here only as the baseline the ZXing
/// decoder is measured against (OpenCvSharp's native library needs linux-x64 and libgtk-3-0,
/// which is why the service dropped it): WeChatQRCode first, then OpenCV's QRCodeDetector, on the
/// grey image fitted to 1,600 px, then Otsu, adaptive threshold and (small images) 2× cubic.
/// </summary>
internal sealed class OpenCvBaseline : IDisposable
{
    private const int MaxSide = 1600; // Lookup:DecodeMaxSide's default
    private readonly WeChatQRCode wechat = new("", "", "", "");
    private readonly QRCodeDetector detector = new();

    /// <summary>Null when the native library does not load (libgtk-3-0 missing, or not linux-x64).</summary>
    public static OpenCvBaseline? TryCreate(out string? why)
    {
        try
        {
            why = null;
            return new OpenCvBaseline();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            why = e.GetBaseException().Message;
            return null;
        }
    }

    public string? Decode(byte[] bytes)
    {
        using var src = Cv2.ImDecode(bytes, ImreadModes.Color);
        if (src.Empty()) return null;
        using var gray = new Mat();
        Cv2.CvtColor(src, gray, ColorConversionCodes.BGR2GRAY);
        using var scaled = Fit(gray);
        foreach (var attempt in Attempts(scaled))
        {
            using (attempt)
            {
                var text = wechat.DetectAndDecode(attempt, out _).FirstOrDefault(t => !string.IsNullOrEmpty(t));
                if (string.IsNullOrEmpty(text)) text = detector.DetectAndDecode(attempt, out _);
                if (!string.IsNullOrEmpty(text)) return text;
            }
        }
        return null;
    }

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

    private static Mat Fit(Mat gray)
    {
        var longest = Math.Max(gray.Width, gray.Height);
        if (longest <= MaxSide) return gray.Clone();
        var scale = (double)MaxSide / longest;
        var small = new Mat();
        Cv2.Resize(gray, small, new Size(Math.Max(1, (int)(gray.Width * scale)), Math.Max(1, (int)(gray.Height * scale))), 0, 0, InterpolationFlags.Area);
        return small;
    }

    public void Dispose()
    {
        wechat.Dispose();
        detector.Dispose();
    }
}
