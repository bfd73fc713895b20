using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.Tests;

public sealed class ResolverTests(SeededHost fixture) : IClassFixture<SeededHost>
{
    private HttpClient Client => fixture.Client;
    private string BaseUrl => fixture.Host.BaseUrl.TrimEnd('/');

    private async Task<(HttpResponseMessage Response, JsonElement Json)> GetJsonAsync(string url, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task Json_for_a_lot_has_exactly_the_public_contract_fields()
    {
        var (response, json) = await GetJsonAsync(Path(OrangeGtin, OrangeLot));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["digitalLink", "status", "product", "producer", "lot", "origin", "events", "upstream", "downstream", "recall", "assurance", "verdict"], Names(json));
        Assert.Equal(["gtin", "name", "brand", "imageUrl", "standards", "certificates", "category"], Names(json.GetProperty("product")));
        Assert.Equal(["name", "address", "province", "phone", "website"], Names(json.GetProperty("producer")));
        var certificate = json.GetProperty("product").GetProperty("certificates")[0];
        Assert.Equal(["standard", "number", "issuer", "validFrom", "validTo", "expired"], Names(certificate));
        Assert.False(certificate.GetProperty("expired").GetBoolean());
        // A certificate whose validity ended yesterday is marked, not passed off as valid.
        var lapsed = json.GetProperty("product").GetProperty("certificates")[1];
        Assert.Equal(("2026-11-19", true), (lapsed.GetProperty("validTo").GetString(), lapsed.GetProperty("expired").GetBoolean()));
        Assert.Equal("VG-TQ-0123", certificate.GetProperty("number").GetString());
        Assert.Equal("2028-01-14", certificate.GetProperty("validTo").GetString());
        Assert.Equal("https://camsanhhamyen.example.vn", json.GetProperty("producer").GetProperty("website").GetString());
        Assert.Equal(["lot", "productionDate", "expiryDate", "quantity", "uom"], Names(json.GetProperty("lot")));
        Assert.Equal(["name", "province", "latitude", "longitude"], Names(json.GetProperty("origin")));
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot), json.GetProperty("digitalLink").GetString());
        Assert.Equal("active", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("recall").ValueKind);
        Assert.Equal("2026-12-31", json.GetProperty("lot").GetProperty("expiryDate").GetString());
        Assert.Equal(22.0702, json.GetProperty("origin").GetProperty("latitude").GetDouble());
        Assert.Equal("Tuyên Quang", json.GetProperty("producer").GetProperty("province").GetString());
    }

    [Fact]
    public async Task Image_paths_on_this_host_become_absolute_and_script_urls_are_dropped()
    {
        var (_, juice) = await GetJsonAsync(Path(JuiceGtin, JuiceLot));
        var (_, script) = await GetJsonAsync(Path(ScriptGtin, "X1"));

        Assert.Equal(BaseUrl + "/demo/nuoc-cam.svg", juice.GetProperty("product").GetProperty("imageUrl").GetString());
        Assert.Equal(JsonValueKind.Null, script.GetProperty("product").GetProperty("imageUrl").ValueKind);
    }

    [Fact]
    public async Task Json_never_contains_private_fields()
    {
        var (_, json) = await GetJsonAsync(Path(OrangeGtin, OrangeLot));
        var text = json.GetRawText();

        foreach (var secret in new[] { "5000000001", "0900000000", "htx@example.vn", "urn:uuid:", "\"HTX-CAM\"", "producerId", "taxCode" })
            Assert.DoesNotContain(secret, text);
    }

    [Fact]
    public async Task Events_come_oldest_first_with_place_names()
    {
        var (_, json) = await GetJsonAsync(Path(OrangeGtin, OrangeLot));
        var events = json.GetProperty("events").EnumerateArray().ToList();

        Assert.Equal(["commissioning", "packing", "shipping", "receiving", "transforming"],
            events.Select(e => e.GetProperty("bizStep").GetString()));
        var times = events.Select(e => e.GetProperty("eventTime").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal("Vùng trồng cam Phù Lưu", events[0].GetProperty("location").GetProperty("name").GetString());
        Assert.Equal("Hà Nội", events[3].GetProperty("location").GetProperty("province").GetString());
    }

    [Fact]
    public async Task Downstream_follows_transformations_and_shipments_across_producers()
    {
        var (_, orange) = await GetJsonAsync(Path(OrangeGtin, OrangeLot));
        var down = orange.GetProperty("downstream").EnumerateArray().ToList();

        var juice = Assert.Single(down, d => d.GetProperty("via").GetString() == "transformation");
        Assert.Equal(BaseUrl + Path(JuiceGtin, JuiceLot), juice.GetProperty("digitalLink").GetString());
        Assert.Equal("Công ty Nước ép Hà Nội", juice.GetProperty("producerName").GetString());
        Assert.Equal("Nước cam ép", juice.GetProperty("productName").GetProperty("vi").GetString());
        var shipped = Assert.Single(down, d => d.GetProperty("via").GetString() == "shipping");
        Assert.Equal("Xưởng ép Đông Anh", shipped.GetProperty("location").GetProperty("name").GetString());
        Assert.Contains(down, d => d.GetProperty("via").GetString() == "receiving");
        Assert.Empty(orange.GetProperty("upstream").EnumerateArray());

        var (_, juiceJson) = await GetJsonAsync(Path(JuiceGtin, JuiceLot));
        var up = Assert.Single(juiceJson.GetProperty("upstream").EnumerateArray());
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot), up.GetProperty("digitalLink").GetString());
        Assert.Equal("HTX Cam sành Hàm Yên", up.GetProperty("producerName").GetString());
    }

    [Theory]
    [InlineData(ExpiredLot, "expired")]
    [InlineData(RecalledLot, "recalled")]
    public async Task Status_reflects_expiry_and_recall_sources(string lot, string status)
    {
        var (_, json) = await GetJsonAsync(Path(OrangeGtin, lot));

        Assert.Equal(status, json.GetProperty("status").GetString());
        if (status == "recalled")
            Assert.Equal("high", json.GetProperty("recall").GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Lots_of_a_suspended_producer_are_suspended()
    {
        var (_, json) = await GetJsonAsync(Path(GinsengGtin, GinsengLot));
        Assert.Equal("suspended", json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Product_level_link_resolves_without_lot()
    {
        var (response, json) = await GetJsonAsync($"/01/{OrangeGtin}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("lot").ValueKind);
        Assert.Equal(BaseUrl + $"/01/{OrangeGtin}", json.GetProperty("digitalLink").GetString());
    }

    [Fact]
    public async Task Serial_link_resolves_to_its_lot_and_keeps_the_serial_in_digitalLink()
    {
        var (response, json) = await GetJsonAsync(Path(OrangeGtin, OrangeLot) + "/21/ABC123");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot) + "/21/ABC123", json.GetProperty("digitalLink").GetString());
        Assert.Equal(OrangeLot, json.GetProperty("lot").GetProperty("lot").GetString());
    }

    [Fact]
    public async Task Gtin13_redirects_permanently_to_the_14_digit_path_keeping_the_query()
    {
        var response = await Client.GetAsync($"/01/{OrangeGtin13}/10/{OrangeLot}?17=261231&lang=en", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"/01/{OrangeGtin}/10/{OrangeLot}?17=261231&lang=en", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/gtin/{gtin13}/lot/CAM-2026-01?x=1", "/01/{gtin}/10/CAM-2026-01?x=1")]
    [InlineData("/01/{gtin}/10/CAM-2026-01/", "/01/{gtin}/10/CAM-2026-01")]
    public async Task Alias_and_untidy_forms_redirect_to_the_canonical_path(string path, string expected)
    {
        var response = await Client.GetAsync(path.Replace("{gtin13}", OrangeGtin13).Replace("{gtin}", OrangeGtin), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(expected.Replace("{gtin}", OrangeGtin), response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/01/08930000000014/10/X", "check digit")]        // bad check digit
    [InlineData("/01/{gtin}/10/ABCDEFGHIJKLMNOPQRSTU", "at most 20")] // lot too long
    [InlineData("/01/{gtin}/10/A%20B", "not allowed")]             // forbidden character (space)
    [InlineData("/01/", "without a value")]                         // missing GTIN
    [InlineData("/01/123/10/A", "8, 12, 13 or 14")]
    [InlineData("/01/{gtin}/99/A", "not a key qualifier")]
    [InlineData("/01/{gtin}/10/A/foo", "without a value")]           // GS1 test suite: a valid link + "/foo"
    public async Task Malformed_codes_give_400_problem_with_the_reason(string path, string reason)
    {
        var (response, json) = await GetJsonAsync(path.Replace("{gtin}", OrangeGtin));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, json.GetProperty("status").GetInt32());
        Assert.Contains(reason, json.GetProperty("detail").GetString());
        Assert.Contains(reason, json.GetProperty("errors").GetProperty("code")[0].GetString());
    }

    [Fact]
    public async Task Unknown_well_formed_code_is_404_problem_for_json_clients()
    {
        var (response, json) = await GetJsonAsync(Path(OrangeGtin, "KHONG-CO"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Unknown_gtin_is_404()
    {
        var (response, _) = await GetJsonAsync($"/01/{WithCheckDigit("0893999999999")}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Cors_allows_any_origin_and_options_answers_the_preflight()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Path(OrangeGtin, OrangeLot));
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        var options = await Client.SendAsync(preflight, TestContext.Current.CancellationToken);
        var get = await Client.GetAsync(Path(OrangeGtin, OrangeLot), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal("*", options.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", options.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("*", get.Headers.GetValues("Access-Control-Allow-Origin").Single());
        // GS1's resolver test suite reads the methods from an ordinary GET.
        Assert.Equal("GET, HEAD, OPTIONS", get.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task Head_has_the_headers_of_get_and_no_body()
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, Path(OrangeGtin, OrangeLot));
        head.Headers.Accept.ParseAdd("application/json");
        var h = await Client.SendAsync(head, TestContext.Current.CancellationToken);
        var (g, _) = await GetJsonAsync(Path(OrangeGtin, OrangeLot));

        Assert.Equal(HttpStatusCode.OK, h.StatusCode);
        Assert.Empty(await h.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(g.Headers.ETag, h.Headers.ETag);
        Assert.Equal(g.Content.Headers.ContentLength, h.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Json_html_and_linkset_agree_on_the_same_code()
    {
        var (_, json) = await GetJsonAsync(Path(OrangeGtin, OrangeLot));
        var (_, linkset) = await GetJsonAsync(Path(OrangeGtin, OrangeLot), "application/linkset+json");
        var html = await Client.GetStringAsync(Path(OrangeGtin, OrangeLot), TestContext.Current.CancellationToken);

        var link = json.GetProperty("digitalLink").GetString()!;
        var context = linkset.GetProperty("linkset")[0];
        Assert.Equal(link, context.GetProperty("anchor").GetString());
        Assert.Contains(link, html);
        Assert.Contains(json.GetProperty("product").GetProperty("name").GetProperty("vi").GetString()!, html);
        Assert.Contains(json.GetProperty("product").GetProperty("name").GetProperty("vi").GetString()!, context.GetProperty("itemDescription").GetString());
        foreach (var standard in json.GetProperty("product").GetProperty("standards").EnumerateArray())
            Assert.Contains(standard.GetString()!, html);
    }

    [Fact]
    public async Task Responses_announce_the_linkset_in_a_link_header()
    {
        var response = await Client.GetAsync(Path(OrangeGtin, OrangeLot), TestContext.Current.CancellationToken);
        var link = response.Headers.GetValues("Link").Single();

        Assert.Contains($"<{BaseUrl}{Path(OrangeGtin, OrangeLot)}?linkType=linkset>", link);
        Assert.Contains("rel=\"linkset\"", link);
    }

    [Theory]
    [InlineData("gs1:pip", "")]
    [InlineData("https://ref.gs1.org/voc/pip", "")]
    [InlineData("gs1:traceability", "?format=json")]
    [InlineData("gs1:certificationInfo", "#standards")]
    [InlineData("gs1:defaultLink", "")]
    public async Task Link_type_requests_redirect_307_to_the_link(string linkType, string suffix)
    {
        var response = await Client.GetAsync($"{Path(OrangeGtin, OrangeLot)}?linkType={Uri.EscapeDataString(linkType)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot) + suffix, response.Headers.Location?.OriginalString);
        Assert.Contains("rel=\"linkset\"", response.Headers.GetValues("Link").Single()); // also when redirecting
    }

    [Fact]
    public async Task Unavailable_link_type_is_404_naming_the_available_ones()
    {
        var (response, json) = await GetJsonAsync($"{Path(OrangeGtin, OrangeLot)}?linkType=gs1:recipeInfo");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("gs1:pip", json.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("gs1:pip", "&utm_source=pack&lang=en", "?lang=en&utm_source=pack")] // lang chose the English page; not repeated
    [InlineData("gs1:traceability", "&utm_source=pack", "?format=json&utm_source=pack")]
    [InlineData("gs1:certificationInfo", "&ref=card", "?ref=card#standards")]
    public async Task Link_type_redirect_passes_on_the_query_string_but_not_linkType(string linkType, string query, string suffix)
    {
        var response = await Client.GetAsync($"{Path(OrangeGtin, OrangeLot)}?linkType={linkType}{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot) + suffix, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Traceability_link_target_serves_json()
    {
        var (response, json) = await GetJsonAsync(Path(OrangeGtin, OrangeLot) + "?format=json", "text/html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("active", json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Lot_with_slash_and_percent_resolves_from_its_escaped_path()
    {
        var (response, json) = await GetJsonAsync($"/01/{OrangeGtin}/10/{Uri.EscapeDataString(SlashLot)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SlashLot, json.GetProperty("lot").GetProperty("lot").GetString());
        Assert.Equal($"{BaseUrl}/01/{OrangeGtin}/10/CAM%2F03%25A", json.GetProperty("digitalLink").GetString());
    }

    [Fact]
    public async Task Percent_encoded_lot_resolves_like_the_plain_one()
    {
        var (response, json) = await GetJsonAsync($"/01/{OrangeGtin}/10/CAM%2D2026%2D01");
        // Different spelling of the same code: one canonical URI.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OrangeLot, json.GetProperty("lot").GetProperty("lot").GetString());
    }
}
