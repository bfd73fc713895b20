using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.Tests;

public sealed class PageTests(SeededHost fixture) : IClassFixture<SeededHost>
{
    private async Task<(HttpResponseMessage Response, string Html)> GetPageAsync(string url, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        if (acceptLanguage is not null) request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Page_is_vietnamese_by_default()
    {
        var (response, html) = await GetPageAsync(Path(OrangeGtin, OrangeLot));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"vi\">", html);
        Assert.Contains("Hành trình sản phẩm", html);
        Assert.Contains("Cam sành Hàm Yên", html);
        Assert.Contains("Báo cáo vấn đề", html);
    }

    [Theory]
    [InlineData("?lang=en", null)]
    [InlineData("", "en-US,en;q=0.9")]
    public async Task Page_switches_to_english(string query, string? acceptLanguage)
    {
        var (response, html) = await GetPageAsync(Path(OrangeGtin, OrangeLot) + query, acceptLanguage);

        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Product journey", html);
        Assert.Contains("Ham Yen king orange", html);
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
    }

    [Fact]
    public async Task Page_shows_origin_coordinates_timeline_standards_and_expiry()
    {
        var (_, html) = await GetPageAsync(Path(OrangeGtin, OrangeLot));

        Assert.Contains("22.0702° N, 105.0336° E", html);
        Assert.Contains("href=\"geo:22.0702,105.0336\"", html);
        Assert.Contains("<ol class=\"timeline\">", html);
        Assert.Contains("Thu hoạch / sản xuất", html);
        Assert.Contains("VietGAP", html);
        Assert.Contains("31/12/2026", html);
        Assert.True(html.IndexOf("Thu hoạch", StringComparison.Ordinal) < html.IndexOf("Đóng gói", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_shows_the_producers_contact_and_each_certificate_with_number_issuer_and_validity()
    {
        var (_, html) = await GetPageAsync(Path(OrangeGtin, OrangeLot));

        // The phone the producer publishes; the one registered with the authority stays private.
        Assert.Contains("<a href=\"tel:02073877777\">0207 3877 777</a>", html);
        Assert.DoesNotContain("0900000000", html);
        Assert.Contains("<a href=\"https://camsanhhamyen.example.vn\" rel=\"noopener nofollow\">", html);
        Assert.Contains("Tiêu chuẩn và chứng nhận", html);
        Assert.Contains("Giấy chứng nhận số VG-TQ-0123, cấp bởi Trung tâm Chứng nhận Phù hợp QUACERT, hiệu lực từ 15/01/2025 đến 14/01/2028", html);
        // A standard without a certificate is still listed, by name.
        Assert.Contains("<li><strong>OCOP 4 sao</strong></li>", html);

        // A lapsed certificate says so, and never "valid from … to …" as if it were in force.
        Assert.Contains("<strong>GlobalG.A.P.</strong> <strong class=\"expired\">Hết hạn</strong>", html);
        Assert.Contains("Giấy chứng nhận số GG-4049928, cấp bởi Control Union, đã hết hiệu lực ngày 19/11/2026", html);
        Assert.DoesNotContain("đến 19/11/2026", html);

        var (_, en) = await GetPageAsync(Path(OrangeGtin, OrangeLot) + "?lang=en");
        Assert.Contains("Certificate no. VG-TQ-0123, issued by Trung tâm Chứng nhận Phù hợp QUACERT, valid from 15/01/2025 to 14/01/2028", en);
        Assert.Contains("<strong>GlobalG.A.P.</strong> <strong class=\"expired\">Expired</strong>", en);
        Assert.Contains("validity ended on 19/11/2026", en);
    }

    [Fact]
    public async Task The_journey_starts_at_the_origin_by_its_name_and_names_each_place()
    {
        var (_, html) = await GetPageAsync(Path(OrangeGtin, OrangeLot));

        var journey = html[html.IndexOf("<ol class=\"timeline\">", StringComparison.Ordinal)..];
        Assert.StartsWith("<ol class=\"timeline\"><li class=\"origin\"><strong>Xuất xứ</strong> — Vùng trồng cam Phù Lưu, Tuyên Quang", journey);
        Assert.DoesNotContain("Vùng nguyên liệu", html);
    }

    private async Task<string> HtmlAsync(string url) => (await GetPageAsync(url)).Html;

    [Fact]
    public async Task A_website_that_is_not_http_is_never_a_link() =>
        Assert.DoesNotContain("javascript:", await HtmlAsync(Path(JuiceGtin, JuiceLot)));

    [Fact]
    public async Task Product_names_are_html_encoded()
    {
        var (_, html) = await GetPageAsync(Path(ScriptGtin, "X1"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Theory]
    [InlineData(RecalledLot, "banner red", "ĐÃ BỊ THU HỒI")]
    [InlineData(ExpiredLot, "banner amber", "hết hạn")]
    public async Task Warning_banner_comes_first_in_the_body(string lot, string css, string text)
    {
        var (_, html) = await GetPageAsync(Path(OrangeGtin, lot));

        var body = html.IndexOf("<body>", StringComparison.Ordinal);
        Assert.Equal(body + "<body>".Length, html.IndexOf($"<div class=\"{css}\" role=\"alert\">", StringComparison.Ordinal));
        Assert.Contains(text, html);
    }

    [Fact]
    public async Task Recall_reason_is_shown_encoded() =>
        Assert.Contains("Nhiễm nấm mốc &lt;b&gt;Aspergillus&lt;/b&gt;", await HtmlAsync(Path(OrangeGtin, RecalledLot)));

    [Fact]
    public async Task Suspended_producer_gets_a_red_banner() =>
        Assert.Contains("<div class=\"banner red\" role=\"alert\">CẢNH BÁO: Cơ sở sản xuất đang bị đình chỉ", await HtmlAsync(Path(GinsengGtin, GinsengLot)));

    [Fact]
    public async Task Active_lot_has_no_banner() =>
        Assert.DoesNotContain("class=\"banner", await HtmlAsync(Path(OrangeGtin, OrangeLot)));

    [Fact]
    public async Task Unknown_code_shows_the_not_registered_page_with_a_report_form()
    {
        var (response, html) = await GetPageAsync(Path(OrangeGtin, "GIA-MAO"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("chưa được đăng ký — có thể là hàng giả", html);
        Assert.Contains("<form method=\"post\" action=\"/api/v1/reports\">", html);
        Assert.Contains($"name=\"code\" value=\"{fixture.Host.BaseUrl.TrimEnd('/')}{Path(OrangeGtin, "GIA-MAO")}\"", html);
        Assert.Contains("<option value=\"counterfeit\" selected>", html);
    }

    [Fact]
    public async Task Every_page_links_to_the_report_form()
    {
        foreach (var path in new[] { Path(OrangeGtin, OrangeLot), Path(OrangeGtin, "GIA-MAO"), $"/01/{OrangeGtin}", "/01/123" })
        {
            var (_, html) = await GetPageAsync(path);
            Assert.Contains("href=\"#report\"", html);
            Assert.Contains("id=\"report\"", html);
        }
    }

    [Fact]
    public async Task Malformed_code_in_a_browser_gets_a_400_page_with_the_reason()
    {
        var (response, html) = await GetPageAsync("/01/08930000000014");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Số kiểm tra của mã GTIN sai", html); // the reason in Vietnamese, the page's language
    }

    [Fact]
    public async Task Page_is_small_cached_and_locked_down()
    {
        var (response, html) = await GetPageAsync(Path(OrangeGtin, OrangeLot));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(html) < 30 * 1024);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.CacheControl?.MaxAge); // short: a recall shows on the next open
        Assert.NotNull(response.Headers.ETag);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        // One stylesheet from this host, no inline style or script (issue 17).
        Assert.Contains("style-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("Accept-Language", response.Headers.Vary);
    }

    [Fact]
    public async Task If_none_match_with_the_etag_gives_304()
    {
        var (first, _) = await GetPageAsync(Path(OrangeGtin, OrangeLot));
        using var again = new HttpRequestMessage(HttpMethod.Get, Path(OrangeGtin, OrangeLot));
        again.Headers.Accept.ParseAdd("text/html");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await fixture.Client.SendAsync(again, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task English_and_vietnamese_pages_have_different_etags()
    {
        var (vi, _) = await GetPageAsync(Path(OrangeGtin, OrangeLot));
        var (en, _) = await GetPageAsync(Path(OrangeGtin, OrangeLot) + "?lang=en");
        Assert.NotEqual(vi.Headers.ETag, en.Headers.ETag);
    }

    [Fact]
    public async Task The_pages_stylesheet_is_served_from_the_address_the_page_links()
    {
        var (_, html) = await GetPageAsync(Path(OrangeGtin, OrangeLot));
        var start = html.IndexOf("<link rel=\"stylesheet\" href=\"", StringComparison.Ordinal);
        Assert.True(start > 0, "the page links no stylesheet");
        start += "<link rel=\"stylesheet\" href=\"".Length;
        var href = html[start..html.IndexOf('"', start)];
        Assert.StartsWith("/lookup.css?v=", href);

        var css = await fixture.Client.GetAsync(href, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.True(css.Headers.CacheControl?.Public);
        Assert.Contains(".banner{", await css.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
