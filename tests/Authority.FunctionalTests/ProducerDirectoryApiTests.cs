namespace Traceability.Authority.FunctionalTests;

/// <summary>GET /api/v1/producers[/{id}] and suspension through the API (admin only).</summary>
public sealed class ProducerDirectoryApiTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    [Fact]
    public async Task Producers_list_filters_by_province_status_and_text_and_pages_with_tokens()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var province = "Tỉnh " + tag;
        for (var i = 0; i < 5; i++) await app.RegisterProducerAsync($"HTX Hàm Yên {tag} {i}", province);
        var admin = app.Admin();

        var first = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/producers?province={Uri.EscapeDataString(province)}&perPage=2");
        Assert.Equal(5, (int)first!["total"]!);
        Assert.Equal(2, first["items"]!.AsArray().Count);
        var seen = first["items"]!.AsArray().Select(p => (string)p!["id"]!).ToList();
        var token = (string?)first["nextPageToken"];
        while (token is not null)
        {
            var response = await admin.GetAsync($"/api/v1/producers?province={Uri.EscapeDataString(province)}&perPage=2&nextPageToken={token}");
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            seen.AddRange(page["items"]!.AsArray().Select(p => (string)p!["id"]!));
            token = (string?)page["nextPageToken"];
            Assert.Equal(token, response.Headers.TryGetValues("GS1-Next-Page-Token", out var h) ? h.Single() : null);
        }
        Assert.Equal(5, seen.Distinct().Count());

        var third = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/producers?province={Uri.EscapeDataString(province)}&perPage=2&page=3");
        Assert.Single(third!["items"]!.AsArray());
        Assert.Null((string?)third["nextPageToken"]);

        // Accent- and case-insensitive text search.
        var found = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/producers?q={Uri.EscapeDataString("ham yen " + tag + " 3")}");
        Assert.Equal($"HTX Hàm Yên {tag} 3", (string)Assert.Single(found!["items"]!.AsArray())!["name"]!);

        var suspendedId = seen[0];
        var suspend = await admin.PostAsJsonAsync($"/api/v1/producers/{suspendedId}/suspend", new { reason = "Hàng giả" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        var suspended = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/producers?province={Uri.EscapeDataString(province)}&status=suspended");
        Assert.Equal(suspendedId, (string)Assert.Single(suspended!["items"]!.AsArray())!["id"]!);
        var active = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/producers?province={Uri.EscapeDataString(province)}&status=active");
        Assert.Equal(4, (int)active!["total"]!);
    }

    [Theory]
    [InlineData("status=closed")]
    [InlineData("perPage=0")]
    [InlineData("perPage=201")]
    [InlineData("page=0")]
    [InlineData("nextPageToken=nope")]
    [InlineData("page=2&nextPageToken=cHJvZHVjZXJzOjI")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        var response = await app.Admin().GetAsync("/api/v1/producers?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task One_producer_comes_with_its_products_lots_portal_state_and_recalls()
    {
        var producer = await app.NewProducerAsync("HTX Chè Shan tuyết");
        var gtin = await producer.RegisterProductAsync("Chè Shan tuyết");
        await producer.RegisterLotAsync(gtin, "ST-01");
        (await producer.Client.PostAsJsonAsync("/api/v1/recalls", new { gtin, lots = new[] { "ST-01" }, reason = "Dư lượng", severity = "medium" }))
            .EnsureSuccessStatusCode();

        var details = await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/producers/{producer.Id}");
        Assert.Equal("active", (string)details!["producer"]!["status"]!);
        Assert.Equal(gtin, (string)Assert.Single(details["products"]!.AsArray())!["gtin"]!);
        var lot = Assert.Single(details["lots"]!.AsArray())!;
        Assert.Equal(("ST-01", $"/01/{gtin}/10/ST-01"), ((string)lot["lot"]!, (string)lot["link"]!));
        Assert.Equal("pending", (string)lot["portal"]!["state"]!); // sync is off in tests
        Assert.Equal("Dư lượng", (string)Assert.Single(details["recalls"]!.AsArray())!["reason"]!);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync("/api/v1/producers/p_nope")).StatusCode);
    }

    [Fact]
    public async Task Only_the_admin_key_reads_or_suspends_producers()
    {
        var producer = await app.RegisterProducerAsync();
        var inspector = await app.RegisterInspectorAsync();
        string[] urls = ["/api/v1/producers", $"/api/v1/producers/{producer.Id}"];
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(null).GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(producer.ApiKey).GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(inspector.ApiKey).GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync(url)).StatusCode);
        }
        var suspend = $"/api/v1/producers/{producer.Id}/suspend";
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(producer.ApiKey).PostAsJsonAsync(suspend, new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin().PostAsJsonAsync(suspend, new { reason = " " })).StatusCode);
    }
}
