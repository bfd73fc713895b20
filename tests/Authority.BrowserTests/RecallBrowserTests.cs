using System.Net.Http.Headers;

namespace Traceability.Authority.BrowserTests;

/// <summary>
/// Issue 18: a named officer signs in, issues a recall by picking the producer, the product and a lot,
/// sees the preview, confirms, and ends it — the lot page shows it recalled, then active — on a desktop
/// and on a phone, in Debian's chromium, without one CSP violation or inline style or script.
/// </summary>
public sealed class RecallBrowserTests(LiveStandaloneApp app) : IClassFixture<LiveStandaloneApp>
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(360, 740)]
    public async Task An_officer_issues_a_recall_with_preview_and_confirmation_and_ends_it(int width, int height)
    {
        Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);
        var producer = await app.RegisterProducerAsync($"HTX Sâm Lai Châu {width}");
        using var producerApi = app.ClientWithKey(producer.ApiKey);
        var gtin = StandaloneApp.Gtin14(producer.Prefix, 1);
        (await producerApi.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Sâm Lai Châu" } })).EnsureSuccessStatusCode();
        (await producerApi.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "SLC-01" })).EnsureSuccessStatusCode();
        (await producerApi.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "SLC-02" })).EnsureSuccessStatusCode();
        var officer = await app.CreateStaffAsync("officer", $"Nguyễn Thu Hồi {width}", "Sở KH&CN Lai Châu");

        // A Vietnamese phone or desktop: the consumer's lot page answers in Vietnamese.
        await using var checks = await WorkspaceBrowser.OpenAsync(app.BaseUrl, width, height, "vi-VN");
        var page = checks.Page;

        await page.GotoAsync("/authority/recalls");
        await page.GetByLabel("Khoá cơ quan quản lý").FillAsync(officer.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/authority/recalls$"));
        await Assertions.Expect(page.Locator("header .who")).ToHaveTextAsync(officer.Name);
        await checks.AssertCleanAsync(axe: true);

        // Pick the producer, then the product (GET forms), then the lot, reason and severity.
        await page.GetByRole(AriaRole.Link, new() { Name = "Ra quyết định thu hồi" }).ClickAsync();
        await page.GetByLabel("Nhà sản xuất").SelectOptionAsync(new SelectOptionValue { Value = producer.Id });
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.GetByLabel("Sản phẩm").SelectOptionAsync(new SelectOptionValue { Value = gtin });
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem các lô" }).ClickAsync();
        await checks.AssertCleanAsync(axe: true);
        await page.GetByLabel("SLC-01").CheckAsync();
        await page.GetByLabel("Lý do").FillAsync($"Phát hiện sâm giả trộn lẫn ({width}px)");
        await page.GetByLabel("Mức độ").SelectOptionAsync(new SelectOptionValue { Value = "high" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem trước" }).ClickAsync();

        // The preview names what it reaches; nothing is recalled before the confirmation.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Xem trước phạm vi thu hồi" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.cards")).ToContainTextAsync("SLC-01");
        await Assertions.Expect(page.Locator("table.cards")).Not.ToContainTextAsync("SLC-02");
        await checks.AssertCleanAsync(axe: true);
        Assert.Equal("active", await StatusAsync(gtin, "SLC-01"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận thu hồi" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Đã ra quyết định thu hồi");
        await checks.AssertCleanAsync(axe: true);
        var recallUrl = page.Url;

        // The lot page shows it recalled.
        await page.GotoAsync($"/01/{gtin}/10/SLC-01");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("ĐÃ BỊ THU HỒI");
        Assert.Equal("recalled", await StatusAsync(gtin, "SLC-01"));
        Assert.Equal("active", await StatusAsync(gtin, "SLC-02"));

        // End it with a reason: the lot page shows it active again, the history keeps it.
        await page.GotoAsync(recallUrl);
        await page.GetByLabel("Lý do kết thúc").FillAsync("Kiểm nghiệm lại đạt yêu cầu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kết thúc thu hồi" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Đã kết thúc thu hồi");
        await checks.AssertCleanAsync(axe: true);
        await page.GotoAsync($"/01/{gtin}/10/SLC-01");
        // The page allows browsers to keep it for a short while (Lookup:ClientCacheSeconds): a reload asks again.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sâm Lai Châu" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("ĐÃ BỊ THU HỒI")).ToHaveCountAsync(0);
        Assert.Equal("active", await StatusAsync(gtin, "SLC-01"));

        await page.GotoAsync("/authority/recalls");
        await Assertions.Expect(page.Locator("table.cards").Last).ToContainTextAsync($"Phát hiện sâm giả trộn lẫn ({width}px)");
        await checks.AssertCleanAsync(axe: true);
        await page.GotoAsync("/authority/audit?action=recall.");
        await Assertions.Expect(page.GetByText("Kiểm nghiệm lại đạt yêu cầu").First).ToBeVisibleAsync();
        await checks.AssertCleanAsync(axe: true);
    }

    private async Task<string> StatusAsync(string gtin, string lot)
    {
        using var lookup = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/{lot}");
        lookup.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var client = app.ClientWithKey(null);
        return (string)(await (await client.SendAsync(lookup)).Content.ReadFromJsonAsync<JsonObject>())!["status"]!;
    }
}
