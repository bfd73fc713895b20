namespace Traceability.Authority.BrowserTests;

/// <summary>
/// Issue 18, points 4–6: a staff member triages a complaint to resolved (seeing the complainant's
/// contact only behind its link), publishes an inspection and finds it on /canh-bao — on a desktop
/// and on a phone, in Debian's chromium, with no CSP violation, no sideways scroll and no serious or
/// critical axe-core finding on any page visited.
/// </summary>
public sealed class ComplaintsBrowserTests(LiveStandaloneApp app) : IClassFixture<LiveStandaloneApp>
{
    /// <summary>A 1×1 PNG: the inspection's photo evidence.</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(360, 740)]
    public async Task Staff_triage_a_complaint_to_resolved_and_publish_an_inspection_seen_on_the_warnings_page(int width, int height)
    {
        Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);
        var (gtin, lot, product) = await ProductAsync(width);
        var contact = $"Nguyễn Văn An 0912 {width:000} 789";
        var reportId = await ComplainAsync(gtin, lot, contact);
        var inspectionId = await InspectAsync(gtin, lot);

        await using var browser = await WorkspaceBrowser.OpenAsync(app.BaseUrl, width, height);
        var page = browser.Page;

        await page.GotoAsync("/authority/complaints");
        await page.GetByLabel("Khoá cơ quan quản lý").FillAsync(StandaloneApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/authority/complaints$"));
        await browser.AssertCleanAsync(axe: true);

        // The queue → the complaint; its contact only behind the link (and that view is audited).
        await page.Locator($"a[href='/authority/complaints/{reportId}']").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Mới");
        await Assertions.Expect(page.GetByText(contact)).ToHaveCountAsync(0);
        await browser.AssertCleanAsync(axe: true);
        await page.GetByRole(AriaRole.Link, new() { Name = "Xem thông tin liên hệ" }).ClickAsync();
        await Assertions.Expect(page.GetByText(contact)).ToBeVisibleAsync();

        await page.GetByLabel("Trạng thái").SelectOptionAsync("resolved");
        await page.GetByLabel("Người xử lý").SelectOptionAsync("admin-configured");
        await page.GetByLabel("Kết quả xử lý").FillAsync($"Đã chuyển Đội QLTT kiểm tra cửa hàng ({width}px)");
        await page.GetByLabel("Ghi chú nội bộ (không công khai)").FillAsync("Cửa hàng đã ngừng bán lô này");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Đã lưu thay đổi.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Đã giải quyết");
        await Assertions.Expect(page.Locator("ol.notes")).ToContainTextAsync("Cửa hàng đã ngừng bán lô này");
        // After the save (a new page) the contact is hidden again behind its link.
        await Assertions.Expect(page.GetByText(contact)).ToHaveCountAsync(0);
        await browser.AssertCleanAsync(axe: true);

        // Inspections → publish this one's outcome.
        await page.GotoAsync("/authority/inspections?result=violation");
        var row = page.Locator($"tr#{inspectionId}");
        await Assertions.Expect(row.Locator("img.evidence")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("Lai Châu");
        await browser.AssertCleanAsync(axe: true);
        await row.GetByRole(AriaRole.Button, new() { Name = "Công khai kết quả" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Đã công khai kết quả kiểm tra trên trang cảnh báo.");
        await Assertions.Expect(page.Locator($"tr#{inspectionId} .badge.published")).ToBeVisibleAsync();
        await browser.AssertCleanAsync(axe: true);

        // The public page shows it, linking to the product page; in English too.
        await page.GotoAsync("/canh-bao");
        var item = page.Locator("li.inspection", new() { HasText = product });
        await Assertions.Expect(item).ToContainTextAsync("Kết quả kiểm tra: Vi phạm");
        await Assertions.Expect(item.GetByRole(AriaRole.Link, new() { Name = "Trang sản phẩm" })).ToHaveAttributeAsync("href", $"/01/{gtin}");
        await browser.AssertCleanAsync(axe: true);
        await page.GotoAsync("/canh-bao?lang=en");
        var english = page.Locator("li.inspection", new() { HasText = $"Lai Chau ginseng {width}" });
        await Assertions.Expect(english).ToContainTextAsync("Inspection result: Violation");
        await browser.AssertCleanAsync(axe: true);
        await english.GetByRole(AriaRole.Link, new() { Name = "Product page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/01/{gtin}"));
    }

    private async Task<(string Gtin, string Lot, string Product)> ProductAsync(int width)
    {
        var (_, key, prefix) = await app.RegisterProducerAsync($"HTX Sâm Tả Lèng {width}", "Lai Châu", "Xã Tả Lèng");
        using var producer = app.ClientWithKey(key);
        var gtin = StandaloneApp.Gtin14(prefix, 1);
        var product = $"Sâm Lai Châu {width}";
        (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = product, en = $"Lai Chau ginseng {width}" } })).EnsureSuccessStatusCode();
        (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "TL-01" })).EnsureSuccessStatusCode();
        return (gtin, "TL-01", product);
    }

    private async Task<string> ComplainAsync(string gtin, string lot, string contact)
    {
        using var client = app.ClientWithKey(null);
        var response = await client.PostAsJsonAsync("/api/v1/reports",
            new { code = $"{app.BaseUrl}/01/{gtin}/10/{lot}", category = "counterfeit", message = "Sâm bán ở chợ có tem khác thường", contact });
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<string> InspectAsync(string gtin, string lot)
    {
        var inspector = await app.RegisterInspectorAsync("Hoàng Văn Kiểm", "QLTT Lai Châu");
        using var client = app.ClientWithKey(inspector.ApiKey);
        using var form = new MultipartFormDataContent
        {
            { new StringContent($"/01/{gtin}/10/{lot}"), "code" }, { new StringContent("violation"), "result" },
            { new StringContent("22.40"), "latitude" }, { new StringContent("103.46"), "longitude" },
        };
        var photo = new ByteArrayContent(Png);
        photo.Headers.ContentType = new("image/png");
        form.Add(photo, "photo", "photo.png");
        var response = await client.PostAsync("/api/v1/inspections", form);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
}
