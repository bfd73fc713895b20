using System.Net;
using System.Text.RegularExpressions;

namespace Traceability.Inspector.BrowserTests;

/// <summary>
/// Issue 15: the inspector app in Vietnamese shows every verdict the real service gives — for each
/// kind of code an inspector meets, typed into the app — without a sentence of English.
/// </summary>
public sealed partial class VietnameseVerdictsBrowserTests : IAsyncLifetime
{
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

    /// <summary>English words and phrases that must not appear in a Vietnamese verdict (compared in lower case).</summary>
    private static readonly string[] English =
    [
        " the ", "the ", "registered", "lot ", "signature", "was", "is ", "not ", "serial", "product", "expired", "recalled",
        "genuine", "verified", "label", "scan", "forged", "counterfeit", "producer", " by ", " and ", "code ", "invalid", "unknown",
    ];

    [GeneratedRegex("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", RegexOptions.IgnoreCase)]
    private static partial Regex VietnameseLetter();

    [Fact]
    public async Task Every_verdict_typed_into_the_inspector_app_reads_in_Vietnamese_only()
    {
        Assert.SkipWhen(_chromium?.Browser is null, DebianChromium.Missing);
        var b = _app.BaseUrl;
        var producer = await _app.RegisterProducerAsync("HTX Sâm Ngọc Linh", "Lai Châu", "Xã Tả Lèng");
        var client = _app.ClientWithKey(producer.ApiKey);
        var gtin = StandaloneApp.Gtin14(producer.Prefix, 1);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/products",
            new { gtin, name = new { vi = "Sâm Lai Châu", en = "Lai Chau ginseng" } })).StatusCode);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        foreach (var (lot, expiry) in new (string, DateOnly?)[] { ("L2611", today.AddYears(1)), ("TH-01", null), ("HH-01", today.AddDays(-10)) })
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot, expiryDate = expiry })).StatusCode);
        var issued = await client.PostAsJsonAsync($"/api/v1/lots/{gtin}/L2611/serials", new { count = 1 });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var signed = (string)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["links"]![0]!;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/recalls",
            new { gtin, lots = new[] { "TH-01" }, reason = "Nhiễm nấm mốc", severity = "high" })).StatusCode);
        var inspector = await _app.RegisterInspectorAsync("Nguyễn Văn An", "QLTT Lai Châu");
        var tampered = signed[..^1] + (signed[^1] == 'A' ? 'B' : 'A');
        var serial = signed.Split("/21/")[1].Split('?')[0];

        (string Name, string Code, string Verdict)[] rows =
        [
            ("registered bare GTIN", gtin[1..], "registered"),
            ("registered lot", $"{b}/01/{gtin}/10/L2611", "registered"),
            ("unknown lot", $"{b}/01/{gtin}/10/KHONG-CO", "unknown"),
            ("unregistered GTIN", StandaloneApp.Gtin13("8939999", 1), "unknown"),
            ("recalled lot", $"(01){gtin}(10)TH-01", "recalled"),
            ("expired lot", $"{b}/01/{gtin}/10/HH-01", "expired"),
            ("issued signed serial", signed, "authentic"),
            ("tampered signature", tampered, "invalid_signature"),
            ("never-issued serial", $"{b}/01/{gtin}/10/L2611/21/KHONGCAP9", "unknown"),
            ("issued serial without its signature", signed[..signed.IndexOf('?')], "suspicious"),
            ("malformed code (check digit)", gtin[1..^1] + (gtin[^1] == '0' ? '1' : '0'), "invalid_code"),
            ("malformed code (text)", "không phải mã", "invalid_code"),
        ];

        var context = await _chromium!.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 640 },
            Locale = "vi-VN",
            IsMobile = true,
            Geolocation = new Geolocation { Latitude = 22.396f, Longitude = 103.458f }, // Lai Châu
            Permissions = ["geolocation"],
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(b + "/inspect/");
        Assert.Equal("vi", await page.GetAttributeAsync("html", "lang"));
        // The inspector's key, as an inspector saves it in the settings: verifies are the inspector's.
        await page.Locator("#key").FillAsync(inspector.ApiKey);
        await page.Locator("#key-form button").ClickAsync();

        var failures = new List<string>();
        foreach (var (name, code, expected) in rows)
        {
            var verdict = await CheckAsync(page, code);
            if (verdict != expected) failures.Add($"{name}: verdict {verdict}, expected {expected}");
            failures.AddRange(await NotVietnameseAsync(page, serial, name));
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // The same check catches English: switched to English, a verdict is reported.
        await page.Locator("#lang").ClickAsync();
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("invalid_signature", await CheckAsync(page, tampered));
        Assert.NotEmpty(await NotVietnameseAsync(page, serial, "English"));
        await context.CloseAsync();
    }

    /// <summary>Types <paramref name="code"/> into the manual entry, submits it and returns the verdict the app shows.</summary>
    private static async Task<string?> CheckAsync(IPage page, string code)
    {
        await page.EvaluateAsync("() => document.getElementById('verdict').removeAttribute('data-verdict')");
        await page.Locator("#code").FillAsync(code);
        await page.Locator("#manual button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", new Regex(".+"));
        return await page.Locator("#verdict").GetAttributeAsync("data-verdict");
    }

    /// <summary>What in the verdict area (label, product/lot line, reasons) is English or not Vietnamese; codes, serials and key ids are not words.</summary>
    private static async Task<List<string>> NotVietnameseAsync(IPage page, string serial, string name)
    {
        var failures = new List<string>();
        var text = await page.Locator("#verdict").InnerTextAsync();
        var words = text.Replace(serial, " ", StringComparison.Ordinal).ToLowerInvariant();
        foreach (var word in English.Where(w => words.Contains(w, StringComparison.Ordinal)))
            failures.Add($"{name}: English \"{word.Trim()}\" in: {text.ReplaceLineEndings(" | ")}");
        var reasons = await page.Locator("#reasons li").AllInnerTextsAsync();
        if (reasons.Count == 0) failures.Add($"{name}: no reasons shown");
        foreach (var reason in reasons.Where(r => !VietnameseLetter().IsMatch(r)))
            failures.Add($"{name}: a reason without Vietnamese: {reason}");
        if (!VietnameseLetter().IsMatch(await page.Locator("#verdict-label").InnerTextAsync()))
            failures.Add($"{name}: the verdict label is not Vietnamese");
        return failures;
    }
}
