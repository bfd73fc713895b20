using System.Net.Http.Headers;
using Traceability.ProducerConsole.Catalog;

namespace Traceability.ProducerConsole.Tests;

public sealed class RecallAndImageTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    private ConsoleApp App => fixture.App;

    private Task<JsonObject> PublicJsonAsync(string path) => App.PublicJsonAsync(path);

    [Fact]
    public async Task Producer_recalls_its_own_lot_from_the_console_and_the_public_lookup_shows_recalled()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "RC-2611");
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);

        var lots = await browser.GetPageAsync("/console/lots");
        var recallUrl = $"/console/lots/{gtin14}/{lot}/recall";
        Assert.Contains($"href=\"{recallUrl}\"", lots);
        Assert.Contains("Thu hồi lô", lots);

        // The service's rules, shown beside the fields: no reason, unknown severity.
        var invalid = await browser.SubmitAsync(recallUrl, recallUrl, new() { ["reason"] = "", ["severity"] = "extreme" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("id=\"f-reason-error\"", html);
        Assert.Contains("id=\"f-severity-error\"", html);

        // Without the anti-forgery token nothing happens.
        var forged = await browser.SubmitAsync(recallUrl, recallUrl, new() { ["reason"] = "Dư lượng thuốc BVTV", ["severity"] = "high" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);

        // The first valid post only asks for confirmation: nothing is recalled yet.
        var confirm = await browser.SubmitAsync(recallUrl, recallUrl, new() { ["reason"] = "Dư lượng thuốc BVTV vượt ngưỡng", ["severity"] = "high" });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var confirmation = await confirm.Content.ReadAsStringAsync();
        Assert.Contains("Xác nhận thu hồi", confirmation);
        Assert.Contains("name=\"confirm\" value=\"yes\"", confirmation);
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);

        var done = await browser.SubmitAsync(recallUrl, recallUrl,
            new() { ["reason"] = "Dư lượng thuốc BVTV vượt ngưỡng", ["severity"] = "high", ["confirm"] = "yes" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(recallUrl + "?done=issued", done.Headers.Location!.OriginalString);
        Assert.Contains("Đã thu hồi lô", await browser.GetPageAsync(recallUrl + "?done=issued"));

        var json = await PublicJsonAsync($"/01/{gtin14}/10/{lot}");
        Assert.Equal("recalled", (string)json["status"]!);
        Assert.Equal("high", (string)json["recall"]!["severity"]!);
        Assert.Contains("Đã thu hồi", await browser.GetPageAsync("/console/lots"));
    }

    [Fact]
    public async Task Producer_ends_its_recall_from_the_console_and_the_lot_is_active_again()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "RC-END1");
        var recallUrl = $"/console/lots/{gtin14}/{lot}/recall";
        var issued = await browser.SubmitAsync(recallUrl, recallUrl,
            new() { ["reason"] = "Bao bì lỗi", ["severity"] = "low", ["confirm"] = "yes" });
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        Assert.Equal("recalled", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);

        // The recall page now shows the recall and how to end it; without a reason it says why in Vietnamese.
        var page = await browser.GetPageAsync(recallUrl);
        Assert.Contains("Kết thúc thu hồi", page);
        var noReason = await browser.SubmitAsync(recallUrl, recallUrl + "/end", new() { ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Cần nhập lý do kết thúc thu hồi", await noReason.Content.ReadAsStringAsync());
        Assert.Equal("recalled", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);

        var ended = await browser.SubmitAsync(recallUrl, recallUrl + "/end", new() { ["reason"] = "Đã thu gom và đổi bao bì" });
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("Đã kết thúc thu hồi", await browser.GetPageAsync(recallUrl + "?done=ended"));
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);
        // The lot can be recalled again (the form is back).
        Assert.Contains("name=\"severity\"", await browser.GetPageAsync(recallUrl));
    }

    [Fact]
    public async Task A_recall_the_authority_issued_is_shown_in_the_console_but_only_the_authority_ends_it()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "RC-AUTH");
        var created = await App.Admin().PostAsJsonAsync("/api/v1/recalls", new { gtin = gtin14, lots = new[] { lot }, reason = "Kiểm tra phát hiện vi phạm", severity = "high" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var recallUrl = $"/console/lots/{gtin14}/{lot}/recall";

        var page = await browser.GetPageAsync(recallUrl);
        Assert.Contains("Kiểm tra phát hiện vi phạm", page);
        Assert.Contains("chỉ cơ quan quản lý được kết thúc", page);
        var refused = await browser.SubmitAsync(recallUrl, recallUrl + "/end", new() { ["reason"] = "Tôi muốn kết thúc" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("chỉ cơ quan quản lý được kết thúc", await refused.Content.ReadAsStringAsync());
        Assert.Equal("recalled", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);
    }

    [Fact]
    public async Task Another_producer_cannot_recall_the_lot()
    {
        var owner = await App.NewProducerAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(owner, await owner.SignInAsync(), "RC-OTHER");
        var other = await (await App.NewProducerAsync()).SignInAsync();
        var url = $"/console/lots/{gtin14}/{lot}/recall";
        var refused = await other.SubmitAsync(url, url, new() { ["reason"] = "Không phải của tôi", ["severity"] = "low", ["confirm"] = "yes" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);
    }

    internal static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    internal static Func<string, HttpContent> ProductForm(string gtin, byte[] image, string fileName, string contentType) => token =>
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__csrf" },
            { new StringContent(gtin), "gtin" },
            { new StringContent("Cam sành Hàm Yên"), "name.vi" },
            { new StringContent("hộp"), "unit" },
        };
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Add(file, "image", fileName);
        return content;
    };

    [Fact]
    public async Task An_uploaded_image_becomes_the_product_image_and_is_served_with_cache_headers()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var gtin = producer.NewGtin();
        var gtin14 = gtin.PadLeft(14, '0');

        var created = await browser.SubmitFormAsync("/console/products/new", "/console/products/new", ProductForm(gtin, Png, "cam.bin", "application/octet-stream"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var product = JsonNode.Parse(await producer.Api.GetStringAsync($"/api/v1/products/{gtin14}"))!;
        // Absolute on Lookup:PublicBaseUrl: the national portal takes only a public image URL.
        Assert.Equal($"https://truyxuat.example.vn/images/{gtin14}.png", (string)product["imageUrl"]!);
        // Kept in the store (every host over it serves it), not as a file beside one host.
        Assert.Equal("png", (await App.Services.GetRequiredService<Traceability.Storage.IImageStore>().GetImageAsync(gtin14))!.Ext);
        Assert.False(File.Exists(Path.Combine(App.DataDirectory, "images", $"{gtin14}.png")));

        var served = await App.CreateClient().GetAsync($"/images/{gtin14}.png");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Contains("max-age", served.Headers.CacheControl!.ToString());
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());

        // The edit page shows it; a JPEG replaces it.
        Assert.Contains($"src=\"https://truyxuat.example.vn/images/{gtin14}.png\"", await browser.GetPageAsync($"/console/products/{gtin14}/edit"));
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0];
        var edited = await browser.SubmitFormAsync($"/console/products/{gtin14}/edit", $"/console/products/{gtin14}/edit", ProductForm(gtin, jpeg, "x.jpg", "image/jpeg"));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().GetAsync($"/images/{gtin14}.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync($"/images/{gtin14}.png")).StatusCode);

        // Nothing but a valid GTIN and a known extension names a file; no listing.
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync("/images/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync($"/images/{gtin14}.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync("/images/..%2Fconsole.jpg")).StatusCode);
    }

    [Fact]
    public async Task A_text_file_renamed_png_is_refused_beside_the_field_and_nothing_is_saved()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var gtin = producer.NewGtin();
        var text = "đây không phải là ảnh"u8.ToArray();

        var refused = await browser.SubmitFormAsync("/console/products/new", "/console/products/new", ProductForm(gtin, text, "anh.png", "image/png"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"f-image-error\"", html);
        Assert.Contains("Tệp không phải ảnh JPEG, PNG hoặc WebP.", html);
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Api.GetAsync($"/api/v1/products/{gtin.PadLeft(14, '0')}")).StatusCode);

        var tooBig = new byte[ProductImages.MaxBytes + 1];
        Png.CopyTo(tooBig, 0);
        var big = await browser.SubmitFormAsync("/console/products/new", "/console/products/new", ProductForm(gtin, tooBig, "big.png", "image/png"));
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Contains("Ảnh lớn hơn 2 MB.", await big.Content.ReadAsStringAsync());
    }
}
