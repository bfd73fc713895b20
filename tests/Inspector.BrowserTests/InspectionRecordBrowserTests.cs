using System.Net;
using System.Text.RegularExpressions;
using QRCoder;

namespace Traceability.Inspector.BrowserTests;

/// <summary>
/// Issue 21 (12): the inspector's main task on a 360×740 phone against the real host — check a code,
/// see who made it and until when it keeps, record the stall, attach a photo, save, and read back the
/// record number the service gave — with no CSP violation.
/// </summary>
public sealed class InspectionRecordBrowserTests : IAsyncLifetime
{
    private const string RecordViolations =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));";

    private readonly LiveStandaloneApp _app = new();
    private ChromiumForTests? _chromium;

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        _chromium = await ChromiumForTests.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task An_inspector_sees_producer_and_expiry_then_saves_a_record_with_stall_and_photo_and_gets_its_number()
    {
        Assert.SkipWhen(_chromium?.Browser is null, DebianChromium.Missing);
        var b = _app.BaseUrl;
        var producer = await _app.RegisterProducerAsync("HTX Sâm Ngọc Linh", "Lai Châu", "Xã Tả Lèng");
        var client = _app.ClientWithKey(producer.ApiKey);
        var gtin = StandaloneApp.Gtin14(producer.Prefix, 1);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/products",
            new { gtin, name = new { vi = "Sâm Lai Châu" } })).StatusCode);
        var expiry = new DateOnly(2030, 3, 31);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "SLC-01", expiryDate = expiry })).StatusCode);
        var inspector = await _app.RegisterInspectorAsync("Nguyễn Văn An", "QLTT Lai Châu");

        var context = await _chromium!.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 }, Locale = "vi-VN", IsMobile = true,
        });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(RecordViolations);
        var page = await context.NewPageAsync();
        await page.GotoAsync(b + "/inspect/");
        await page.Locator("#key").FillAsync(inspector.ApiKey);
        await page.Locator("#key-form button").ClickAsync();

        await page.Locator("#code").FillAsync($"{b}/01/{gtin}/10/SLC-01");
        await page.Locator("#manual button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "registered");
        await Assertions.Expect(page.Locator("#verdict-producer")).ToHaveTextAsync("HTX Sâm Ngọc Linh, Lai Châu");
        await Assertions.Expect(page.Locator("#verdict-expiry")).ToHaveTextAsync("31/03/2030");

        await page.Locator("#place").FillAsync("Quầy 12, chợ Tam Cờ");
        await page.Locator("#result").SelectOptionAsync("violation");
        await page.Locator("#notes").FillAsync("Không có hóa đơn");
        var photo = new PngByteQRCode(new QRCodeGenerator().CreateQrCode("anh hien truong", QRCodeGenerator.ECCLevel.M)).GetGraphic(20);
        await page.Locator("#evidence").SetInputFilesAsync(new FilePayload { Name = "hien-truong.png", MimeType = "image/png", Buffer = photo });
        await page.Locator("#record button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("#record-id")).ToHaveTextAsync(new Regex("^insp_[0-9a-f]{16}$"));
        var number = await page.Locator("#record-id").InnerTextAsync();
        Assert.True(await page.Locator("#record-number").IsVisibleAsync());
        // The stall is kept for the next product checked there.
        Assert.Equal("Quầy 12, chợ Tam Cờ", await page.Locator("#place").InputValueAsync());

        var stored = (await _app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/inspections"))!["items"]!.AsArray().Single()!;
        Assert.Equal(number, (string)stored["id"]!);
        Assert.Equal("Quầy 12, chợ Tam Cờ", (string)stored["place"]!);
        Assert.Equal("violation", (string)stored["result"]!);
        var evidence = await _app.Admin().GetAsync((string)stored["photo"]!);
        Assert.Equal(HttpStatusCode.OK, evidence.StatusCode);
        Assert.Equal("image/jpeg", evidence.Content.Headers.ContentType?.MediaType);

        var violations = await page.EvaluateAsync<string[]>("window.__csp || []");
        Assert.True(violations.Length == 0, string.Join("; ", violations));
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the app scrolls sideways by {overflow}px on a 360 px phone");
        await context.CloseAsync();
    }
}
