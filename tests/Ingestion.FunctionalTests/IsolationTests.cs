namespace Traceability.Ingestion.FunctionalTests;

public sealed class IsolationTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    [Fact]
    public async Task Another_producer_gets_403_on_every_write_about_the_first_producers_products()
    {
        var owner = await app.NewProducerAsync();
        var intruder = await app.NewProducerAsync();
        var gtin = await owner.RegisterProductAsync();
        await owner.RegisterLotAsync(gtin, "OWN1");
        // The intruder registers its own lot of its own product, to show that only ownership differs.
        var own = await intruder.RegisterProductAsync();
        await intruder.RegisterLotAsync(own, "OWN1");

        static StringContent Json(JsonNode n) => new(n.ToJsonString(), Encoding.UTF8, "application/json");
        var writes = new Func<HttpClient, Task<HttpResponseMessage>>[]
        {
            c => c.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "giả" } }),
            c => c.PutAsJsonAsync($"/api/v1/products/{gtin}", new { name = new { vi = "giả" } }),
            c => c.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "FAKE1" }),
            c => c.PostAsync("/epcis/capture", Json(Epcis.Document([Epcis.ObjectEvent(gtin, "OWN1", "shipping", 1)]))),
            c => c.PostAsync("/epcis/capture", Json(Epcis.Document([Epcis.ObjectEvent(own, "OWN1", "shipping", 1), Epcis.ObjectEvent(gtin, "OWN1", "shipping", 2)]))),
            c => c.PostAsync("/epcis/events", Json(Epcis.ObjectEvent(gtin, "OWN1", "shipping", 3))),
        };
        foreach (var write in writes)
        {
            var response = await write(intruder.Client);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.Client.GetAsync($"/api/v1/products/{gtin}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.Client.GetAsync($"/api/v1/lots/{gtin}/OWN1")).StatusCode);
        var query = await intruder.Client.GetStringAsync($"/epcis/events?MATCH_epcClass=https://id.gs1.org/01/{own}/10/OWN1");
        Assert.Empty(JsonNode.Parse(query)!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray());
    }
}
