using QRCoder;

namespace Traceability.Inspector.BrowserTests;

/// <summary>
/// The inspector app in Debian's chromium (/usr/bin/chromium driven by Playwright; never a browser
/// downloaded by `playwright install`) on a phone viewport,
/// served by the authority API on 127.0.0.1:0.
/// </summary>
public sealed class InspectorAppBrowserTests : IAsyncLifetime
{
    private InspectorHost _host = null!;
    private ChromiumForTests? _chromium;

    public async ValueTask InitializeAsync()
    {
        _host = await InspectorHost.StartAsync();
        Assertions.SetDefaultExpectTimeout(20_000);
        _chromium = await ChromiumForTests.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task<(IBrowserContext Context, IPage Page)> PhoneAsync()
    {
        Assert.SkipWhen(_chromium?.Browser is null, DebianChromium.Missing);
        var context = await _chromium!.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 640 },
            Locale = "vi-VN",
            IsMobile = true,
            Geolocation = new Geolocation { Latitude = 21.8237f, Longitude = 105.2146f },
            Permissions = ["geolocation"],
            ServiceWorkers = ServiceWorkerPolicy.Allow,
        });
        // The machine is shared with other builds: generous timeouts, the assertions stay exact.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        return (context, page);
    }

    private string Url(string path) => _host.BaseUrl.TrimEnd('/') + path;

    /// <summary>Writes <paramref name="code"/> as a QR PNG; without a module size, the code fills about 480 pixels.</summary>
    private static async Task WriteQrPngAsync(string path, string code, QRCodeGenerator.ECCLevel level, int? pixelsPerModule)
    {
        using var data = QRCodeGenerator.GenerateQrCode(code, level);
        await File.WriteAllBytesAsync(path, new PngByteQRCode(data).GetGraphic(pixelsPerModule ?? 480 / data.ModuleMatrix.Count));
    }

    [Fact]
    public async Task A_picked_qr_photo_is_decoded_and_its_verdict_shown_big_and_coloured()
    {
        var code = $"{_host.BaseUrl.TrimEnd('/')}/01/{InspectorHost.OrangeGtin}/10/{InspectorHost.RecalledLot}";
        _host.Verdicts[code] = "recalled";
        var png = Path.Combine(Path.GetTempPath(), $"qr-{Guid.NewGuid():N}.png");
        await WriteQrPngAsync(png, code, QRCodeGenerator.ECCLevel.M, pixelsPerModule: 8);
        var (_, page) = await PhoneAsync();
        await page.GotoAsync(Url("/inspect/"));
        Assert.Equal("vi", await page.GetAttributeAsync("html", "lang"));

        await page.Locator("#file").SetInputFilesAsync(png);

        var verdict = page.Locator("#verdict");
        await Assertions.Expect(verdict).ToHaveAttributeAsync("data-verdict", "recalled", new() { Timeout = 45_000 });
        Assert.Contains(code, _host.VerifiedCodes);
        Assert.Contains("ĐÃ BỊ THU HỒI", await page.Locator("#verdict-label").InnerTextAsync());
        var background = await verdict.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal("rgb(179, 38, 30)", background);
        var fontSize = await page.Locator("#verdict-label").EvaluateAsync<string>("e => getComputedStyle(e).fontSize");
        Assert.True(double.Parse(fontSize.Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture) >= 28, fontSize);
        File.Delete(png);
    }

    [Fact]
    public async Task A_picked_image_of_a_code_that_zxings_detector_misreads_is_read_as_a_pure_barcode()
    {
        // This signed link at level L, 9 pixels per module, is one of the codes ZXing's detector
        // samples wrongly (checksum error; zbar reads it): the app retries the image as a pure barcode.
        const string code = "http://127.0.0.1:42177/01/08936001000010/10/HY2026-01/21/CAM3RA77?sig=k2026.CACUhQrfloee_OnrCY0ajEYm5X5sGG1xO99CcjjjeBhK6WBWmQc9yegCDM0EyJfiTjsf-yJ9XJSdSxWgotC29w";
        _host.Verdicts[code] = "authentic";
        var png = Path.Combine(Path.GetTempPath(), $"qr-{Guid.NewGuid():N}.png");
        await WriteQrPngAsync(png, code, QRCodeGenerator.ECCLevel.L, pixelsPerModule: 9);
        var (_, page) = await PhoneAsync();
        await page.GotoAsync(Url("/inspect/"));

        await page.Locator("#file").SetInputFilesAsync(png);

        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "authentic", new() { Timeout = 45_000 });
        Assert.Contains(code, _host.VerifiedCodes);
        File.Delete(png);
    }

    [Fact]
    public async Task Offline_a_signed_label_still_verifies_and_the_inspection_is_sent_when_the_network_returns()
    {
        var apiKey = await _host.NewInspectorAsync("Hoàng Thị Lan");
        var label = _host.SignedLabel("HY2026-01", "X7K2P9QM4T");
        var recalledLabel = _host.SignedLabel(InspectorHost.RecalledLot, "Q8W3E5R7T9");
        var (context, page) = await PhoneAsync();

        // First load, online: the service worker installs, keys and recall list are fetched.
        await page.GotoAsync(Url("/inspect/"));
        await page.Locator("#key").FillAsync(apiKey);
        await page.Locator("#key-form button").ClickAsync();
        await Assertions.Expect(page.Locator("#ready")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 45_000 });

        // No signal: the server is unreachable and the browser knows it.
        _host.NetworkCut = true;
        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#net")).ToHaveTextAsync("Ngoại tuyến");

        await CheckAsync(page, label);
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "authentic");
        Assert.NotEqual("", await page.Locator("#offline-note").InnerTextAsync());

        // Flip one character of the serial: the signature no longer matches.
        await CheckAsync(page, label.Replace("X7K2P9QM4T", "X7K2P9QM4U"));
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "invalid_signature");
        await CheckAsync(page, recalledLabel);
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "recalled");

        await CheckAsync(page, label);
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "authentic");
        await page.Locator("#result").SelectOptionAsync("compliant");
        await page.Locator("#notes").FillAsync("Kiểm tra ngoại tuyến tại chợ Tam Cờ");
        await page.Locator("#record button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
        Assert.Empty(await _host.Inspections.ListInspectionsAsync(null, 10));

        // Signal again: the queued record goes out by itself.
        _host.NetworkCut = false;
        await context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 45_000 });
        var stored = Assert.Single(await ListInspectionsAsync())!;
        Assert.Equal(label, (string)stored["code"]!);
        Assert.Equal("compliant", (string)stored["result"]!);
        Assert.Equal("Kiểm tra ngoại tuyến tại chợ Tam Cờ", (string)stored["notes"]!);
        Assert.Equal("Hoàng Thị Lan", (string)stored["inspectorName"]!);
        Assert.Equal(21.82, (double)stored["latitude"]!, 2);
        Assert.False(string.IsNullOrEmpty((string?)stored["clientRef"]));
    }

    [Fact]
    public async Task The_camera_scans_a_qr_code_and_shows_its_verdict()
    {
        Assert.SkipWhen(_chromium?.Playwright is null, DebianChromium.Missing);
        Assert.SkipUnless(File.Exists("/usr/bin/ffmpeg"), "ffmpeg is not installed (apt-get install ffmpeg): it makes the fake camera's video");
        var code = _host.SignedLabel("HY2026-01", "CAM3RA77");
        _host.Verdicts[code] = "authentic";
        var directory = Directory.CreateTempSubdirectory("inspector-camera-").FullName;
        try
        {
            var png = Path.Combine(directory, "qr.png");
            var video = Path.Combine(directory, "qr.y4m");
            // Level L keeps the long signed link's code coarse enough for a 480-pixel frame.
            await WriteQrPngAsync(png, code, QRCodeGenerator.ECCLevel.L, pixelsPerModule: null);
            // The fake camera: chromium plays a Y4M video (--use-file-for-fake-video-capture, below) made by
            // ffmpeg from the QR code's PNG — held by a hand, so it sways a little.
            // A perfectly still frame is not a camera: ZXing's detector misreads about one code in
            // eight in a given pose (zbar reads them), and with the same frame forever the test failed
            // with the random signature; a real phone's next frame is a new pose.
            using (var ffmpeg = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/ffmpeg",
                       ["-y", "-loglevel", "error", "-loop", "1", "-i", png, "-vf", "pad=640:480:(ow-iw)/2:(oh-ih)/2:white,rotate='0.04*sin(2*PI*t)':fillcolor=white,format=yuv420p", "-r", "30", "-frames:v", "30", video])
                   { RedirectStandardError = true })!)
            {
                await ffmpeg.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.True(ffmpeg.ExitCode == 0, await ffmpeg.StandardError.ReadToEndAsync());
            }
            await using var browser = await DebianChromium.LaunchAsync(_chromium!.Playwright!,
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--use-file-for-fake-video-capture=" + video);
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 360, Height = 640 }, Locale = "vi-VN", IsMobile = true, Permissions = ["camera"],
            });
            context.SetDefaultTimeout(60_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync(Url("/inspect/"));

            await page.Locator("#scan").ClickAsync();

            await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "authentic", new() { Timeout = 60_000 });
            Assert.Contains(code, _host.VerifiedCodes);
            Assert.Equal("CHÍNH HÃNG — ĐÃ XÁC THỰC", await page.Locator("#verdict-label").InnerTextAsync());
            Assert.True(await page.Locator("#video").IsHiddenAsync(), "the camera stops after a code is read");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task CheckAsync(IPage page, string code)
    {
        await page.Locator("#code").FillAsync(code);
        await page.Locator("#manual button[type=submit]").ClickAsync();
    }

    private async Task<JsonArray> ListInspectionsAsync() =>
        (await _host.Admin.GetFromJsonAsync<JsonObject>("/api/v1/inspections"))!["items"]!.AsArray();
}
