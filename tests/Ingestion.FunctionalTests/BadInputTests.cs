namespace Traceability.Ingestion.FunctionalTests;

public sealed class BadInputTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    private async Task<long> StoredEventsAsync() => await app.Services.GetRequiredService<IEventStore>().CountEventsAsync();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"expected a 4xx, got {status}: {await response.Content.ReadAsStringAsync()}");
        if (expected is not null) Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static ByteArrayContent Body(byte[] bytes, string contentType = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Fact]
    public async Task Malformed_empty_oversized_and_mistyped_bodies_get_problems_and_store_nothing()
    {
        var producer = await app.NewProducerAsync();
        var before = await StoredEventsAsync();

        await AssertProblemAsync(await producer.Client.PostAsync("/epcis/capture", Body("{\"type\": \"EPCISDocument\","u8.ToArray())), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await producer.Client.PostAsync("/epcis/capture", Body([])), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await producer.Client.PostAsync("/epcis/capture", Body("[]"u8.ToArray())), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await producer.Client.PostAsync("/epcis/capture", Body("{}"u8.ToArray(), "text/plain")), HttpStatusCode.UnsupportedMediaType);
        var huge = new byte[20 * 1024 * 1024];
        Array.Fill(huge, (byte)' ');
        huge[0] = (byte)'{';
        await AssertProblemAsync(await producer.Client.PostAsync("/epcis/capture", Body(huge)), HttpStatusCode.RequestEntityTooLarge);
        await AssertProblemAsync(await producer.Client.PostAsync("/api/v1/products", Body("{\"gtin\": 12, \"name\": []}"u8.ToArray())), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await producer.Client.PostAsync("/api/v1/products", Body([])), HttpStatusCode.BadRequest);

        Assert.Equal(before, await StoredEventsAsync());
    }

    [Fact]
    public async Task Ten_thousand_random_bodies_never_cause_a_server_error()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "FUZZ");
        var valid = Encoding.UTF8.GetBytes(Epcis.Document([Epcis.ObjectEvent(gtin, "FUZZ", "shipping", 1)]).ToJsonString());
        var before = await StoredEventsAsync();
        var random = new Random(20261123);
        string[] targets = ["/epcis/capture", "/epcis/events", "/api/v1/products", "/api/v1/lots", "/api/v1/locations"];

        for (var i = 0; i < 10_000; i++)
        {
            // Half pure noise, half a valid document cut short (always invalid JSON) with bytes flipped.
            byte[] body;
            if (i % 2 == 0)
            {
                body = new byte[random.Next(0, 512)];
                random.NextBytes(body);
            }
            else
            {
                body = valid[..random.Next(0, valid.Length - 1)];
                for (var flips = random.Next(0, 4); flips > 0 && body.Length > 0; flips--)
                    body[random.Next(body.Length)] = (byte)random.Next(256);
            }
            var response = await producer.Client.PostAsync(targets[i % targets.Length], Body(body));
            await AssertProblemAsync(response);
        }
        Assert.Equal(before, await StoredEventsAsync());
    }
}
