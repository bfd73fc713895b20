using Traceability.Lookup.Api.Qr;

namespace Traceability.Benchmarks;

/// <summary>One photo-like image of a known QR code.</summary>
internal sealed record QrSample(string Kind, int Index, string Text, byte[] Bytes);

/// <summary>
/// Issue 17 item 6: photo-like copies of the service's own labels, made with ImageMagick
/// (Debian's /usr/bin/convert; a `convert` earlier on PATH may be a stand-in). Six kinds × 20,
/// each kind from mild (index 0) to harsh (index 19), so that neither decoder reads them all
/// and the rates can be told apart. Half the codes are lot links (QR version ≈ 5), half signed
/// serial links (version ≈ 9), on a buff "table" border.
/// </summary>
internal static class QrImageSet
{
    public const string Convert = "/usr/bin/convert";
    public const int PerKind = 20;
    public static readonly string[] Kinds = ["blur", "perspective", "glare", "low-light", "small", "handheld"];

    /// <summary>
    /// The set, made anew; with QR_BENCH_IMAGES=dir it is kept there and read back on the next run
    /// (for trying decoder changes: making it takes minutes on a busy machine).
    /// </summary>
    public static async Task<IReadOnlyList<QrSample>> MakeAsync()
    {
        var keep = Environment.GetEnvironmentVariable("QR_BENCH_IMAGES");
        var count = Kinds.Length * PerKind;
        if (keep is not null && Enumerable.Range(0, count).All(n => File.Exists(Path.Combine(keep, $"{n}.jpg"))))
            return [.. Enumerable.Range(0, count).Select(n => new QrSample(Kinds[n / PerKind], n % PerKind, Text(n), File.ReadAllBytes(Path.Combine(keep, $"{n}.jpg"))))];
        var samples = await MakeAllAsync();
        if (keep is not null)
        {
            Directory.CreateDirectory(keep);
            for (var n = 0; n < count; n++) await File.WriteAllBytesAsync(Path.Combine(keep, $"{n}.jpg"), samples[n].Bytes);
        }
        return samples;
    }

    private static async Task<IReadOnlyList<QrSample>> MakeAllAsync()
    {
        if (!File.Exists(Convert)) throw new InvalidOperationException("ImageMagick is not installed: apt-get install -y imagemagick");
        var dir = Directory.CreateTempSubdirectory("qr-bench-");
        try
        {
            var jobs = Kinds.SelectMany(kind => Enumerable.Range(0, PerKind).Select(i => (kind, i))).ToList();
            var samples = new QrSample[jobs.Count];
            await LoadTool.ForEachAsync(jobs.Count, 2, async n =>
            {
                var (kind, i) = jobs[n];
                var text = Text(n);
                var src = Path.Combine(dir.FullName, $"{n}.png");
                var png = QrImages.Png(text, 600);
                await File.WriteAllBytesAsync(src, png);
                var side = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]; // PNG IHDR width
                using var generator = new QRCoder.QRCodeGenerator();
                using var data = generator.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.Q); // the labels' level (QrApi.EccLevel)
                var pixelsPerModule = (double)side / data.ModuleMatrix.Count; // the count includes the quiet zone
                var dst = Path.Combine(dir.FullName, $"{n}.jpg");
                await RunAsync([src, "-bordercolor", "#c8bfa8", "-border", "120", .. Degrade(kind, i / (PerKind - 1.0), side + 240, side, pixelsPerModule), dst]);
                samples[n] = new QrSample(kind, i, text, await File.ReadAllBytesAsync(dst));
            });
            return samples;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Text(int n) => n % 2 == 0
        ? $"https://truyxuat.example.vn/01/08930000000014/10/L{n:D4}-2026"
        : $"https://truyxuat.example.vn/01/08930000000014/10/L{n:D4}-2026/21/S{n * 7919 % 100000:D5}K7Q?s=" +
          Convert64(n);

    private static string Convert64(int n) =>
        System.Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(BitConverter.GetBytes(n)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>ImageMagick arguments for one kind at severity <paramref name="s"/> (0 mild … 1 harsh).</summary>
    private static string[] Degrade(string kind, double s, int w, int code, double pixelsPerModule)
    {
        static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        string[] noisyJpeg(double noise, int quality) => ["-attenuate", F(noise), "+noise", "Gaussian", "-quality", quality.ToString(CultureInfo.InvariantCulture)];
        return kind switch
        {
            // Out of focus: the code at ≈ 6 px/module, blurred by 1–3.5 px.
            "blur" => ["-resize", "50%", "-blur", $"0x{F(1 + 2.5 * s)}", .. noisyJpeg(0.3, 75)],
            // Taken at an angle: the top edge pulled in by up to 30 % of the width, a slight tilt.
            "perspective" => ["-virtual-pixel", "Edge", "-distort", "Perspective",
                $"0,0 {F(w * 0.30 * s)},{F(w * 0.05 * s)}  {w},0 {F(w - w * 0.22 * s)},{F(w * 0.10 * s)}  0,{w} 0,{w}  {w},{w} {w},{w}",
                "-resize", "50%", .. noisyJpeg(0.4, 70)],
            // A lamp's reflection: a white spot of 20–55 % of the code, screened over it off-centre.
            "glare" => ["(", "-size", $"{(int)(code * (0.2 + 0.35 * s))}x{(int)(code * (0.2 + 0.35 * s))}", "radial-gradient:white-black", ")",
                "-geometry", $"+{120 + code / 4}+{120 + code / 3}", "-compose", "Screen", "-composite",
                "-resize", "50%", .. noisyJpeg(0.4, 70)],
            // A dim shop: the range squeezed to 5 %–(40…12) %, light falling off down the label, sensor noise.
            "low-light" => ["(", "-size", $"{w}x{w}", "gradient:gray90-gray30", ")", "-compose", "Multiply", "-composite",
                "+level", $"5%,{F(40 - 28 * s)}%", "-resize", "50%", .. noisyJpeg(0.8 + 1.2 * s, 60)],
            // Far away: 3.2 → 1.2 px/module in a wide frame.
            "small" => ["-resize", $"{F(100 * (3.2 - 2.0 * s) / pixelsPerModule)}%", "-bordercolor", "#9a927f", "-border", "300",
                .. noisyJpeg(0.5, 70)],
            // Hand-held: turned 5–25°, slightly blurred, ≈ 3.5 px/module, noisy, JPEG 50.
            _ => ["-background", "#c8bfa8", "-rotate", F(5 + 20 * s), "-blur", $"0x{F(0.5 + 0.8 * s)}", "-resize", "35%", .. noisyJpeg(0.6, 50)],
        };
    }

    private static async Task RunAsync(string[] args)
    {
        var info = new ProcessStartInfo(Convert) { RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"convert {string.Join(' ', args)}: {error}");
    }
}
