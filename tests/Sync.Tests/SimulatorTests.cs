using System.Net.Http.Headers;

namespace Traceability.Sync.Tests;

/// <summary>The simulator as a strict portal, called with plain HTTP.</summary>
public sealed class SimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpClient> SignedInAsync(SimulatorHost portal)
    {
        var http = new HttpClient { BaseAddress = portal.BaseUrl };
        using var token = await http.PostAsync(portal.Path("sso/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = SimulatorHost.ClientId, ["client_secret"] = SimulatorHost.ClientSecret,
        }), Ct);
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonElement>(Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        return http;
    }

    private static object Product(string gtin, string? image = null) =>
        new { maSoThue = "5000123456", maBarcode = gtin, tenSanPham = "Cam sành", donViTinh = "kg", hinhAnh = image };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, SimulatorHost portal, string resource, object body)
    {
        using var response = await http.PostAsJsonAsync(portal.Path("gw/tochuc/v5/" + resource), body, Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    [Theory]
    [InlineData("08930000000013", null, "MA_VACH_KHONG_HOP_LE")]    // check digit
    [InlineData("", null, "THIEU_TRUONG_BAT_BUOC")]
    [InlineData("08930000000019", "cam.jpg", "HINH_ANH_KHONG_HOP_LE")] // not a public URL
    // What the console stored for uploads before it made them absolute: on Linux .NET reads a
    // rooted path as an absolute file: URI, so the check must be on the scheme, not on "absolute".
    [InlineData("08930000000019", "/images/08930000000019.png", "HINH_ANH_KHONG_HOP_LE")]
    [InlineData("08930000000019", "//cdn.example.vn/cam.png", "HINH_ANH_KHONG_HOP_LE")] // scheme-relative
    [InlineData("08930000000019", "file:///srv/images/cam.png", "HINH_ANH_KHONG_HOP_LE")]
    [InlineData("08930000000019", "https:///cam.png", "HINH_ANH_KHONG_HOP_LE")] // no host
    public async Task Invalid_products_get_a_400_with_maLoi_and_thongBao(string gtin, string? image, string code)
    {
        Assert.Equal("08930000000019", TestData.Gtin(1)); // the valid GTIN of the image case
        await using var portal = await SimulatorHost.StartAsync();
        using var http = await SignedInAsync(portal);

        var (status, body) = await PostAsync(http, portal, "ToChuc_SanPham", Product(gtin, image));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body.GetProperty("maLoi").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("thongBao").GetString()));
        Assert.Equal(0, (await portal.StatsAsync()).Products);
    }

    [Fact]
    public async Task A_product_with_an_absolute_public_image_URL_is_accepted()
    {
        await using var portal = await SimulatorHost.StartAsync();
        using var http = await SignedInAsync(portal);

        var (status, body) = await PostAsync(http, portal, "ToChuc_SanPham",
            Product(TestData.Gtin(1), $"https://truyxuat.example.vn/images/{TestData.Gtin(1)}.png"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("idSanPham").GetString()));
    }

    [Fact]
    public async Task Unknown_fields_and_bad_dates_are_rejected()
    {
        await using var portal = await SimulatorHost.StartAsync();
        using var http = await SignedInAsync(portal);
        var (_, product) = await PostAsync(http, portal, "ToChuc_SanPham", Product(TestData.Gtin(1)));
        var productId = product.GetProperty("idSanPham").GetString();

        var unknown = await PostAsync(http, portal, "ToChuc_SanPham", new { maSoThue = "5000123456", maBarcode = TestData.Gtin(2), tenSanPham = "x", tenSP = "typo" });
        var badDate = await PostAsync(http, portal, "ToChuc_LoHang", new { idSanPham = productId, soLo = "L1", ngaySanXuat = "01/10/2026" });
        var expiredFirst = await PostAsync(http, portal, "ToChuc_LoHang", new { idSanPham = productId, soLo = "L1", ngaySanXuat = "2026-10-01", hanSuDung = "2026-09-01" });
        var orphan = await PostAsync(http, portal, "ToChuc_SuKien", new { idLoHang = "LH-404", maSuKien = "e1", congDoan = "cheBien", thoiGian = "2026-10-01T08:00:00+07:00" });

        Assert.Equal((HttpStatusCode.BadRequest, "DU_LIEU_KHONG_HOP_LE"), (unknown.Status, unknown.Body.GetProperty("maLoi").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "NGAY_KHONG_HOP_LE"), (badDate.Status, badDate.Body.GetProperty("maLoi").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "NGAY_KHONG_HOP_LE"), (expiredFirst.Status, expiredFirst.Body.GetProperty("maLoi").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "LO_HANG_KHONG_TON_TAI"), (orphan.Status, orphan.Body.GetProperty("maLoi").GetString()));
    }

    [Fact]
    public async Task A_repeated_natural_key_gets_409_with_the_existing_id_and_is_counted()
    {
        await using var portal = await SimulatorHost.StartAsync();
        using var http = await SignedInAsync(portal);

        var first = await PostAsync(http, portal, "ToChuc_SanPham", Product(TestData.Gtin(1)));
        var again = await PostAsync(http, portal, "ToChuc_SanPham", Product(TestData.Gtin(1)[1..])); // GTIN-13 form, same product

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(first.Body.GetProperty("idSanPham").GetString(), again.Body.GetProperty("idSanPham").GetString());
        var stats = await portal.StatsAsync();
        Assert.Equal((1, 1L, 0L), (stats.Products, stats.DuplicatesRejected, stats.DuplicatesStored));
    }

    [Fact]
    public async Task Calls_without_a_valid_token_or_after_it_expires_get_401()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        await portal.SetFaultsAsync(new { tokenLifetimeSeconds = 30 });
        using var anonymous = new HttpClient { BaseAddress = portal.BaseUrl };
        using var http = await SignedInAsync(portal);

        var none = await anonymous.PostAsJsonAsync(portal.Path("gw/tochuc/v5/ToChuc_SanPham"), Product(TestData.Gtin(1)), Ct);
        time.Advance(TimeSpan.FromSeconds(29));
        var valid = await PostAsync(http, portal, "ToChuc_SanPham", Product(TestData.Gtin(1)));
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await PostAsync(http, portal, "ToChuc_SanPham", Product(TestData.Gtin(2)));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Created, valid.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
    }

    [Fact]
    public async Task Wrong_credentials_get_no_token()
    {
        await using var portal = await SimulatorHost.StartAsync();
        using var http = new HttpClient { BaseAddress = portal.BaseUrl };

        using var response = await http.PostAsync(portal.Path("sso/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = SimulatorHost.ClientId, ["client_secret"] = "nope",
        }), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Injected_faults_answer_the_chosen_status_and_429_carries_Retry_After()
    {
        await using var portal = await SimulatorHost.StartAsync();
        using var http = await SignedInAsync(portal);

        await portal.SetFaultsAsync(new { errorRate = 1.0, status = 429, retryAfterSeconds = 7 });
        using var limited = await http.PostAsJsonAsync(portal.Path("gw/tochuc/v5/ToChuc_SanPham"), Product(TestData.Gtin(1)), Ct);
        await portal.SetFaultsAsync(new { errorRate = 1.0, statuses = new[] { 500 } });
        using var broken = await http.PostAsJsonAsync(portal.Path("gw/tochuc/v5/ToChuc_SanPham"), Product(TestData.Gtin(1)), Ct);
        using var invalid = await portal.Control.PostAsJsonAsync(portal.Path("_sim/faults"), new { errorRate = 2.0 }, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var stats = await portal.StatsAsync();
        Assert.Equal((2L, 0), (stats.FaultsInjected, stats.Products));
    }

    [Fact]
    public async Task A_dropped_request_is_stored_although_the_connection_is_cut()
    {
        await using var portal = await SimulatorHost.StartAsync();
        using var http = await SignedInAsync(portal);
        await portal.SetFaultsAsync(new { dropRate = 1.0 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
            http.PostAsJsonAsync(portal.Path("gw/tochuc/v5/ToChuc_SanPham"), Product(TestData.Gtin(1)), Ct));

        var stats = await portal.StatsAsync();
        Assert.Equal((1, 1L), (stats.Products, stats.FaultsInjected));
    }

    [Fact]
    public async Task Mounted_under_a_prefix_it_serves_the_portal_and_the_control_endpoints_there()
    {
        await using var portal = await SimulatorHost.StartAsync(prefix: "/_portal");
        using var http = await SignedInAsync(portal);

        var created = await PostAsync(http, portal, "ToChuc_SanPham", Product(TestData.Gtin(1)));
        var received = await portal.Control.GetFromJsonAsync<JsonElement>("/_portal/_sim/received", Ct);
        using var rootStats = await portal.Control.GetAsync("/_sim/stats", Ct);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var entity = Assert.Single(received.EnumerateArray());
        Assert.Equal(TestData.Gtin(1), entity.GetProperty("naturalKey").GetString());
        Assert.Equal("Cam sành", entity.GetProperty("body").GetProperty("tenSanPham").GetString());
        Assert.Equal(HttpStatusCode.NotFound, rootStats.StatusCode);
    }
}
