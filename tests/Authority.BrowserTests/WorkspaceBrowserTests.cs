using System.Net.Http.Headers;

namespace Traceability.Authority.BrowserTests;

/// <summary>
/// Issue 18: a staff member signs in, registers a producer and suspends it, on a desktop and on a
/// phone, in Debian's chromium, without one CSP violation and without JavaScript on the pages.
/// </summary>
public sealed class WorkspaceBrowserTests(LiveStandaloneApp app) : IClassFixture<LiveStandaloneApp>
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(360, 740)]
    public async Task Staff_sign_in_register_and_suspend_a_producer_without_a_CSP_violation(int width, int height)
    {
        Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);
        await using var browser = await WorkspaceBrowser.OpenAsync(app.BaseUrl, width, height);
        var page = browser.Page;

        await page.GotoAsync("/authority");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/authority/signin"));
        await browser.AssertCleanAsync(axe: true);
        await page.GetByLabel("Khoá cơ quan quản lý").FillAsync(StandaloneApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/authority$"));
        await browser.AssertCleanAsync(axe: true);

        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng ký nhà sản xuất" }).First.ClickAsync();
        await browser.AssertCleanAsync(axe: true);
        var prefix = "8938" + Random.Shared.Next(100, 999);
        var name = $"HTX Cam sành {width}";
        await page.GetByLabel("Tên").FillAsync(name);
        await page.GetByLabel("Mã số thuế").FillAsync(Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Tỉnh, thành").FillAsync("Tuyên Quang");
        await page.GetByLabel("Địa chỉ").FillAsync("Xã Phù Lưu, Hàm Yên");
        await page.GetByLabel("Mã doanh nghiệp GS1").FillAsync(prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();
        var key = (await page.Locator("code.key").TextContentAsync())!;
        Assert.StartsWith("trc_", key);
        await browser.AssertCleanAsync(axe: true);

        await page.GetByRole(AriaRole.Link, new() { Name = "Mở trang nhà sản xuất" }).ClickAsync();
        await page.GetByLabel("Lý do").FillAsync($"Sản phẩm giả mạo nhãn ({width}px)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đình chỉ" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Bị đình chỉ");
        await browser.AssertCleanAsync(axe: true);

        // The producer's own API key still works, and its goods show suspended.
        using var producer = app.ClientWithKey(key);
        var gtin = StandaloneApp.Gtin13(prefix, 1).PadLeft(14, '0');
        (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam sành" } })).EnsureSuccessStatusCode();
        (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "B1" })).EnsureSuccessStatusCode();
        using var lookup = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/B1");
        lookup.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var status = (await (await app.ClientWithKey(null).SendAsync(lookup)).Content.ReadFromJsonAsync<JsonObject>())!["status"];
        Assert.Equal("suspended", (string)status!);

        await page.GotoAsync("/authority/audit");
        await Assertions.Expect(page.GetByText($"Sản phẩm giả mạo nhãn ({width}px)")).ToBeVisibleAsync();
        await browser.AssertCleanAsync(axe: true);
        await page.GotoAsync("/canh-bao?lang=en");
        await browser.AssertCleanAsync(axe: true);
    }
}
