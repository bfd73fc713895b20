using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Traceability.Lookup.Api;
using Traceability.Lookup.Api.Qr;
using Traceability.Testing;
using ZXing;
using ZXing.Common;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 17 item 6: the service's QR decoder beside the OpenCV decoder it replaced, on the same
/// 120 photo-like images (<see cref="QrImageSet"/>), in this process, one image at a time.
/// Issue 16: the host's peak resident set while image bombs arrive 4 at a time, and while 4
/// photos just under <c>Lookup:MaxDecodePixels</c> do.
/// </summary>
internal static class QrScenario
{
    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var rows = new List<Row>();
        rows.AddRange(await DecodersAsync());
        rows.AddRange(await BombsAsync(context));
        return rows;
    }

    public static async Task<IReadOnlyList<Row>> DecodersAsync()
    {
        Console.WriteLine("   making the degraded images with ImageMagick …");
        var samples = await QrImageSet.MakeAsync();
        var service = new QrDecoder(Options.Create(new LookupOptions()));
        var decoders = new List<(string Name, Func<byte[], string?> Decode)>
        {
            ("ZXing, the service's decoder", b => service.Decode(b).Text),
            ("ZXing, one pass (RECIPES settings)", OnePass),
        };
        using var opencv = OpenCvBaseline.TryCreate(out var why);
        if (opencv is null) Console.WriteLine($"   OpenCV baseline skipped: {why}");
        else decoders.Add(("OpenCV (WeChatQRCode + QRCodeDetector, the decoder before)", opencv.Decode));

        var results = new List<(string Name, Dictionary<string, int> Decoded, double MsPerImage)>();
        foreach (var (name, decode) in decoders)
        {
            decode(samples[0].Bytes); // JIT, native library load
            var decoded = QrImageSet.Kinds.ToDictionary(k => k, _ => 0);
            var clock = Stopwatch.StartNew();
            foreach (var sample in samples)
                if (decode(sample.Bytes) == sample.Text) decoded[sample.Kind]++;
            var ms = clock.Elapsed.TotalMilliseconds / samples.Count;
            results.Add((name, decoded, ms));
            Console.WriteLine($"   {name}: {decoded.Values.Sum()}/{samples.Count} ({string.Join(", ", decoded.Select(d => $"{d.Key} {d.Value}"))}), {ms:F1} ms per image");
        }

        var rows = new List<Row>();
        var (_, baseline, baselineMs) = results.Count > 2 ? results[2] : (results[0].Name, results[0].Decoded, results[0].MsPerImage);
        var baselineName = results.Count > 2 ? "OpenCV, same images" : "(OpenCV not loaded) itself";
        foreach (var (name, decoded, ms) in results.Take(2))
        {
            rows.Add(new Row("qr", $"{name}: decoded, {samples.Count} photo-like images (6 kinds × 20)", decoded.Values.Sum(), "images",
                baselineName, baseline.Values.Sum(), "not clearly below OpenCV"));
            rows.Add(new Row("qr", $"{name}: time per image", ms, "ms", baselineName, baselineMs, "report"));
        }
        foreach (var kind in QrImageSet.Kinds)
            rows.Add(new Row("qr", $"the service's decoder, {kind} (of {QrImageSet.PerKind})", results[0].Decoded[kind], "images",
                baselineName, baseline[kind], "report"));
        return rows;
    }

    /// <summary>ZXing as RECIPES gives it: 8-bit luminance, HybridBinarizer, TryHarder, AutoRotate, QR only.</summary>
    private static string? OnePass(byte[] bytes)
    {
        using var image = Image.Load<L8>(bytes);
        var pixels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions { TryHarder = true, PossibleFormats = [BarcodeFormat.QR_CODE] },
        };
        return reader.Decode(new RGBLuminanceSource(pixels, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }

    public static async Task<IReadOnlyList<Row>> BombsAsync(ScenarioContext context)
    {
        var rounds = context.Quick ? 2 : 5;
        var bomb = ImageBomb.Png(30_000, 30_000);
        var rows = new List<Row>();
        using (var host = await HostProcess.StartAsync(context.Provider))
        {
            var empty = host.PeakWorkingSetBytes();
            var (statuses, slowest) = await SendAsync(host, bomb, "image/png", rounds);
            var peak = host.PeakWorkingSetBytes();
            Console.WriteLine($"   bombs: {statuses}, slowest {slowest:F0} ms, peak RSS {peak / 1048576.0:F0} MB");
            rows.Add(new Row("qr-bomb", $"host peak RSS, 4 concurrent 30,000 × 30,000 PNG bombs ({bomb.Length / 1024} KB each) × {rounds} rounds ({statuses})",
                peak / 1048576.0, "MB", "peak RSS of the started host", empty / 1048576.0, "< 1,024 MB"));
            rows.Add(new Row("qr-bomb", "slowest answer to a bomb", slowest, "ms", "–", 0, "well under 1 s"));
        }

        Console.WriteLine("   making a 6,000 × 6,000 photo (36 Mpx, under the 40 Mpx limit) …");
        var photo = await LargePhotoAsync();
        using (var host = await HostProcess.StartAsync(context.Provider))
        {
            var empty = host.PeakWorkingSetBytes();
            var (statuses, slowest) = await SendAsync(host, photo, "image/jpeg", rounds);
            var peak = host.PeakWorkingSetBytes();
            Console.WriteLine($"   36 Mpx photos: {statuses}, slowest {slowest:F0} ms, peak RSS {peak / 1048576.0:F0} MB");
            rows.Add(new Row("qr-bomb", $"host peak RSS, 4 concurrent 36 Mpx JPEG photos ({photo.Length / 1024} KB each) × {rounds} rounds ({statuses})",
                peak / 1048576.0, "MB", "peak RSS of the started host", empty / 1048576.0, "< 1,024 MB"));
            rows.Add(new Row("qr-bomb", "slowest answer to a 36 Mpx photo", slowest, "ms", "–", 0, "report"));
        }
        return rows;
    }

    /// <summary>Rounds of 4 uploads at once; the answers' statuses counted, and the slowest answer.</summary>
    private static async Task<(string Statuses, double SlowestMs)> SendAsync(HostProcess host, byte[] image, string type, int rounds)
    {
        using var client = host.Client(key: null);
        var statuses = new List<HttpStatusCode>();
        double slowest = 0;
        for (var r = 0; r < rounds; r++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                using var content = new ByteArrayContent(image);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
                var clock = Stopwatch.StartNew();
                using var response = await client.PostAsync("/api/v1/qr/decode", content);
                await response.Content.LoadIntoBufferAsync();
                return (response.StatusCode, clock.Elapsed.TotalMilliseconds);
            }));
            statuses.AddRange(answers.Select(a => a.StatusCode));
            slowest = Math.Max(slowest, answers.Max(a => a.TotalMilliseconds));
        }
        return (string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}")), slowest);
    }

    /// <summary>A 6,000 × 6,000 noisy photo-like JPEG with a label in it: what a 36 Mpx phone sends.</summary>
    private static async Task<byte[]> LargePhotoAsync()
    {
        var dir = Directory.CreateTempSubdirectory("qr-bench-");
        try
        {
            var src = Path.Combine(dir.FullName, "label.png");
            var dst = Path.Combine(dir.FullName, "photo.jpg");
            await File.WriteAllBytesAsync(src, QrImages.Png("https://truyxuat.example.vn/01/08930000000014/10/L0001-2026", 1200));
            var info = new ProcessStartInfo(QrImageSet.Convert) { RedirectStandardError = true };
            foreach (var a in new[] { src, "-bordercolor", "#c8bfa8", "-border", "2400", "-resize", "6000x6000!", "-attenuate", "0.5", "+noise", "Gaussian", "-quality", "85", dst })
                info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException(await p.StandardError.ReadToEndAsync());
            return await File.ReadAllBytesAsync(dst);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
