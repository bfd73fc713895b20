using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Traceability.Testing;

namespace Traceability.Lookup.BrowserTests;

/// <summary>
/// Issue 21: the shopper's task on a 360×740 phone in Debian's chromium against the real host —
/// open the product page, report a problem, land on a thank-you page, go back — with no CSP violation.
/// </summary>
public sealed class ConsumerTaskBrowserTests(LiveStandaloneApp app) : IClassFixture<LiveStandaloneApp>
{
    private const string RecordViolations =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));";

    private async Task<string> LotAsync(string lot)
    {
        var producer = await app.RegisterProducerAsync("HTX Cam sành Hàm Yên");
        var client = app.ClientWithKey(producer.ApiKey);
        var gtin = StandaloneApp.Gtin14(producer.Prefix, 1);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/products",
            new { gtin, name = new { vi = "Cam sành Hàm Yên", en = "Ham Yen king orange" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot })).StatusCode);
        return $"/01/{gtin}/10/{lot}";
    }

    private static async Task<(IBrowser Browser, IPage Page, List<string> Console)> PhoneAsync(
        IPlaywright playwright, string baseUrl, string locale, bool javaScript = true)
    {
        var browser = await DebianChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl, ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, Locale = locale, JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(RecordViolations);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) console.Add($"{page.Url}: {m.Text}");
        };
        return (browser, page, console);
    }

    private static async Task AssertCleanAsync(IPage page, List<string> console)
    {
        await page.WaitForTimeoutAsync(100);
        var violations = await page.EvaluateAsync<string[]>("window.__csp || []");
        Assert.True(violations.Length == 0 && console.Count == 0,
            $"{page.Url}: CSP violations [{string.Join("; ", violations)}] console [{string.Join("; ", console)}]");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px on a 360 px phone");
    }

    [Fact]
    public async Task A_shopper_reports_a_food_safety_problem_and_lands_on_a_styled_thank_you_page_that_a_refresh_does_not_resend()
    {
        Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);
        Assertions.SetDefaultExpectTimeout(30_000);
        var path = await LotAsync("CS-BAOCAO");
        using var playwright = await Playwright.CreateAsync();
        var (browser, page, console) = await PhoneAsync(playwright, app.BaseUrl, "vi-VN");
        await using var _ = browser;

        await page.GotoAsync(path);
        await AssertCleanAsync(page, console);
        await page.SelectOptionAsync("#r-cat", "safety");
        Assert.Equal("An toàn thực phẩm (ngộ độc, dị vật)", (await page.InnerTextAsync("#r-cat option:checked")).Trim());
        await page.FillAsync("#r-msg", "Cả nhà đau bụng sau khi ăn");
        await page.ClickAsync("#report button[type=submit]");

        await Assertions.Expect(page.Locator("#reference")).ToBeVisibleAsync();
        Assert.StartsWith(app.BaseUrl + "/reports/thanks?ref=r_", page.Url);
        Assert.Equal("vi", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("Cảm ơn bạn đã phản ánh", await page.InnerTextAsync("h1"));
        var reference = await page.InnerTextAsync("#reference");
        // Styled: the lookup pages' stylesheet applies under their CSP (a green box, not bare text).
        Assert.Equal("rgb(232, 245, 233)", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.done')).backgroundColor"));
        await AssertCleanAsync(page, console);

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#reference")).ToHaveTextAsync(reference);
        var reports = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray()
            .Where(r => (string?)r!["message"] == "Cả nhà đau bụng sau khi ăn").ToList();
        Assert.Equal(reference, (string)Assert.Single(reports)!["id"]!);
        Assert.Equal("safety", (string)reports[0]!["category"]!);

        await page.ClickAsync("a.back");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Cam sành Hàm Yên");
        Assert.Equal(app.BaseUrl + path, page.Url);
    }

    [Fact]
    public async Task The_english_page_reports_in_english_without_javascript()
    {
        Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);
        Assertions.SetDefaultExpectTimeout(30_000);
        var path = await LotAsync("CS-REPORT-EN");
        using var playwright = await Playwright.CreateAsync();
        var (browser, page, _) = await PhoneAsync(playwright, app.BaseUrl, "en-GB", javaScript: false);
        await using var __ = browser;

        await page.GotoAsync(path + "?lang=en");
        await page.FillAsync("#r-msg", "Label looks printed at home");
        await page.ClickAsync("#report button[type=submit]");

        await Assertions.Expect(page.Locator("#reference")).ToBeVisibleAsync();
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Thank you for your report", await page.InnerTextAsync("h1"));
        await page.ClickAsync("a.back");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Ham Yen king orange");
    }
}
