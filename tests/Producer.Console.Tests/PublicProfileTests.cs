namespace Traceability.ProducerConsole.Tests;

/// <summary>
/// Issue 21 (9): from the console, a producer publishes its phone and website and gives a product its
/// certificates (number, issuer, validity); the consumer page shows them; mistakes are shown in Vietnamese.
/// </summary>
public sealed class PublicProfileTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task The_contact_page_publishes_phone_and_website_on_the_consumer_page()
    {
        var producer = await app.NewProducerAsync();
        var browser = await producer.SignInAsync();
        Assert.Contains("href=\"/console/contact\"", await browser.GetPageAsync("/console/products"));

        var bad = await browser.SubmitAsync("/console/contact", "/console/contact", new() { ["phone"] = "gọi tôi", ["website"] = "camsanh.vn" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Số điện thoại gồm chữ số", html);
        Assert.Contains("Trang web phải là địa chỉ đầy đủ", html);

        var saved = await browser.SubmitAsync("/console/contact", "/console/contact", new() { ["phone"] = "0207 3877 777", ["website"] = "https://camsanh.example.vn" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var form = await browser.GetPageAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains("value=\"0207 3877 777\"", form);
        Assert.Contains("Đã lưu.", form);

        var gtin = producer.NewGtin().PadLeft(14, '0');
        Assert.Equal(HttpStatusCode.Created, (await producer.Api.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam sành" } })).StatusCode);
        var page = await app.CreateClient().GetStringAsync($"/01/{gtin}");
        Assert.Contains("<a href=\"tel:02073877777\">0207 3877 777</a>", page);
        Assert.Contains("href=\"https://camsanh.example.vn\"", page);
    }

    [Fact]
    public async Task A_product_gets_certificates_from_the_form_keeps_them_on_edit_and_the_consumer_page_shows_them()
    {
        var producer = await app.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var gtin = producer.NewGtin().PadLeft(14, '0');

        var wrongOrder = await browser.SubmitAsync("/console/products/new", "/console/products/new", new()
        {
            ["gtin"] = gtin, ["name.vi"] = "Chè Shan tuyết", ["standards"] = "VietGAP",
            ["certificates[0].standard"] = "VietGAP", ["certificates[0].validFrom"] = "2028-01-01", ["certificates[0].validTo"] = "2025-01-01",
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrongOrder.StatusCode);
        Assert.Contains("Ngày hết hiệu lực trước ngày bắt đầu hiệu lực.", await wrongOrder.Content.ReadAsStringAsync());

        var created = await browser.SubmitAsync("/console/products/new", "/console/products/new", new()
        {
            ["gtin"] = gtin, ["name.vi"] = "Chè Shan tuyết", ["standards"] = "VietGAP, OCOP 4 sao",
            ["certificates[0].standard"] = "VietGAP", ["certificates[0].number"] = "VG-HG-0042", ["certificates[0].issuer"] = "QUACERT",
            ["certificates[0].validFrom"] = "2025-03-01", ["certificates[0].validTo"] = "14/01/2028",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        // The edit form shows the certificate and one blank row; saving it unchanged keeps it.
        var edit = await browser.GetPageAsync($"/console/products/{gtin}/edit");
        Assert.Contains("value=\"VG-HG-0042\"", edit);
        Assert.Contains("name=\"certificates[1].standard\"", edit);
        var renamed = await browser.SubmitAsync($"/console/products/{gtin}/edit", $"/console/products/{gtin}/edit", new()
        {
            ["name.vi"] = "Chè Shan tuyết cổ thụ", ["standards"] = "VietGAP",
            ["certificates[0].standard"] = "VietGAP", ["certificates[0].number"] = "VG-HG-0042", ["certificates[0].issuer"] = "QUACERT",
            ["certificates[0].validFrom"] = "2025-03-01", ["certificates[0].validTo"] = "2028-01-14",
        });
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);

        var stored = (await producer.Api.GetFromJsonAsync<JsonObject>($"/api/v1/products/{gtin}"))!["certificates"]!.AsArray();
        Assert.Equal("2028-01-14", (string)Assert.Single(stored)!["validTo"]!);
        var page = await app.CreateClient().GetStringAsync($"/01/{gtin}");
        Assert.Contains("Giấy chứng nhận số VG-HG-0042, cấp bởi QUACERT, hiệu lực từ 01/03/2025 đến 14/01/2028", page);
    }
}
