namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 21 (9): a producer publishes its contact and a product's certificates (number, issuer,
/// validity) through the API, and the consumer page's JSON carries them at once.
/// </summary>
public sealed class PublicProfileTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    [Fact]
    public async Task A_producer_publishes_its_phone_and_website_which_the_lookup_shows_at_once()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "L1");
        // Read once, so a stale cached answer would show.
        Assert.Null(await PublicProducerAsync(gtin, "phone"));

        var set = await producer.Client.PutAsJsonAsync("/api/v1/producers/me/contact", new { phone = " 0207 3877 777 ", website = "https://htx.example.vn" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("0207 3877 777", (string)(await set.Content.ReadFromJsonAsync<JsonObject>())!["phone"]!);

        Assert.Equal("0207 3877 777", await PublicProducerAsync(gtin, "phone"));
        Assert.Equal("https://htx.example.vn", await PublicProducerAsync(gtin, "website"));
    }

    [Fact]
    public async Task Bad_contact_fields_are_named_and_only_a_producer_may_set_its_contact()
    {
        var producer = await app.NewProducerAsync();
        var bad = await producer.Client.PutAsJsonAsync("/api/v1/producers/me/contact", new { phone = "gọi tôi", website = "javascript:alert(1)" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("phone") && errors.ContainsKey("website"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PutAsJsonAsync("/api/v1/producers/me/contact", new { phone = "0912345678" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Admin().PutAsJsonAsync("/api/v1/producers/me/contact", new { phone = "0912345678" })).StatusCode);
    }

    [Fact]
    public async Task A_product_carries_its_certificates_with_number_issuer_and_validity()
    {
        var producer = await app.NewProducerAsync();
        var gtin = producer.NewGtin().PadLeft(14, '0');
        var created = await producer.Client.PostAsJsonAsync("/api/v1/products", new
        {
            gtin, name = new { vi = "Cam sành Hàm Yên" }, standards = new[] { "VietGAP", "OCOP 4 sao" },
            certificates = new[] { new { standard = "VietGAP", number = "VG-TQ-0123", issuer = "QUACERT", validFrom = "2025-01-15", validTo = "2028-01-14" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var certificate = (await created.Content.ReadFromJsonAsync<JsonObject>())!["certificates"]![0]!;
        Assert.Equal("VG-TQ-0123", (string)certificate["number"]!);
        await producer.RegisterLotAsync(gtin, "L1");

        var page = await LookupAsync(gtin);
        var shown = page["product"]!["certificates"]![0]!;
        Assert.Equal(("VietGAP", "VG-TQ-0123", "QUACERT", "2025-01-15", "2028-01-14"),
            ((string)shown["standard"]!, (string)shown["number"]!, (string)shown["issuer"]!, (string)shown["validFrom"]!, (string)shown["validTo"]!));

        var bad = await producer.Client.PutAsJsonAsync($"/api/v1/products/{gtin}", new
        {
            name = new { vi = "Cam sành Hàm Yên" },
            certificates = new object?[] { new { standard = "", validFrom = "2028-01-01", validTo = "2027-01-01" }, null },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("certificates[0].standard") && errors.ContainsKey("certificates[0].validTo") && errors.ContainsKey("certificates[1]"),
            string.Join(", ", errors.Select(e => e.Key)));
    }

    private async Task<JsonObject> LookupAsync(string gtin14)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin14}/10/L1");
        request.Headers.Accept.ParseAdd("application/json");
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<string?> PublicProducerAsync(string gtin14, string field) => (string?)(await LookupAsync(gtin14))["producer"]![field];
}
