using Traceability.Lookup.Api.Provenance;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 22's read model against the whole service: after captures, a transformation, an error
/// declaration with its corrective event and a recall — each arriving after the lots' rows were
/// stored — every lot's row is what a fresh build gives (maintained incrementally), and the
/// <c>rebuild-lookup</c> command stores exactly the same rows again.
/// </summary>
public sealed class LookupReadModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rebuilding_gives_the_rows_maintained_incrementally_after_recalls_corrections_and_transformations()
    {
        await using var app = new TraceabilityApp();
        var producer = await app.NewProducerAsync();
        var fruit = await producer.RegisterProductAsync();
        var juice = await producer.RegisterProductAsync();
        (string Gtin, string Lot)[] lots = [(fruit, "A"), (fruit, "B"), (fruit, "C"), (juice, "J1")];
        foreach (var (gtin, lot) in lots) await producer.RegisterLotAsync(gtin, lot);

        // Looked up first: rows are stored before the changes, so every change has to replace one.
        var reader = app.CreateClient();
        foreach (var (gtin, lot) in lots) Assert.Equal("active", (string?)(await LotJsonAsync(reader, gtin, lot))["status"]);
        var views = app.Services.GetRequiredService<ILookupViewStore>();
        foreach (var (gtin, lot) in lots) await UntilAsync(async () => await views.GetLookupViewAsync(LotKey.Of(gtin, lot), Ct) is not null);

        var shippedId = $"urn:uuid:{Guid.NewGuid()}";
        var correctiveId = $"urn:uuid:{Guid.NewGuid()}";
        var shipped = Epcis.ObjectEvent(fruit, "A", "shipping", 3, shippedId);
        await CaptureAsync(producer.Client, [Epcis.ObjectEvent(fruit, "A", "commissioning", 0), Epcis.ObjectEvent(fruit, "B", "commissioning", 1),
            Epcis.ObjectEvent(fruit, "C", "commissioning", 2), shipped, Transformation(fruit, ["A", "B"], juice, "J1")]);
        var declared = shipped.DeepClone().AsObject();
        declared["errorDeclaration"] = new JsonObject
        {
            ["declarationTime"] = "2026-11-02T09:00:00+07:00", ["reason"] = "incorrect_data", ["correctiveEventIDs"] = new JsonArray(correctiveId),
        };
        await CaptureAsync(producer.Client, [Epcis.ObjectEvent(fruit, "A", "shipping", 5, correctiveId), declared]);
        var recall = await producer.Client.PostAsJsonAsync("/api/v1/recalls", new { gtin = fruit, lots = new[] { "C" }, reason = "Nấm mốc", severity = "high" }, Ct);
        Assert.Equal(HttpStatusCode.Created, recall.StatusCode);

        // Maintained: every row becomes what a fresh build gives, without any lookup.
        var builder = app.Services.GetRequiredService<ProvenanceBuilder>();
        var incremental = new Dictionary<string, string>();
        foreach (var (gtin, lot) in lots)
        {
            var expected = LookupReadModel.Serialize((await builder.BuildAsync(gtin, lot, Ct))!);
            await UntilAsync(async () => (await views.GetLookupViewAsync(LotKey.Of(gtin, lot), Ct))?.Json == expected);
            incremental[LotKey.Of(gtin, lot)] = expected;
        }
        // What the changes made of them.
        Assert.Contains("\"status\":\"recalled\"", incremental[LotKey.Of(fruit, "C")], StringComparison.Ordinal);
        Assert.Contains("\"corrected\":true", incremental[LotKey.Of(fruit, "A")], StringComparison.Ordinal);
        Assert.Contains($"\"digitalLink\":\"/01/{juice}/10/J1\"", incremental[LotKey.Of(fruit, "A")], StringComparison.Ordinal);
        Assert.Contains($"\"digitalLink\":\"/01/{fruit}/10/B\"", incremental[LotKey.Of(juice, "J1")], StringComparison.Ordinal);

        var output = new StringWriter();
        Assert.Equal(0, await RebuildLookupCommand.RunAsync(app.Services, output, TextWriter.Null, Ct));
        Assert.Contains("4 lots, 4 stored", output.ToString(), StringComparison.Ordinal);
        foreach (var (key, json) in incremental) Assert.Equal(json, (await views.GetLookupViewAsync(key, Ct))!.Json);
    }

    [Fact]
    public async Task A_place_registered_after_events_named_it_shows_on_the_next_lookup()
    {
        await using var app = new TraceabilityApp();
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "K1");
        var stored = Epcis.ObjectEvent(gtin, "K1", "storing", 0);
        stored["bizLocation"] = new JsonObject { ["id"] = $"urn:x-traceability:loc:{producer.Id}:KHO-1" };
        await CaptureAsync(producer.Client, [stored]);
        var reader = app.CreateClient();
        Assert.Null((await LotJsonAsync(reader, gtin, "K1"))["events"]![0]!["location"]);
        var views = app.Services.GetRequiredService<ILookupViewStore>();
        await UntilAsync(async () => await views.GetLookupViewAsync(LotKey.Of(gtin, "K1"), Ct) is not null);

        var added = await producer.Client.PostAsJsonAsync("/api/v1/locations", new { code = "KHO-1", name = "Kho Phù Lưu", kind = "warehouse" }, Ct);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("Kho Phù Lưu", (string?)(await LotJsonAsync(reader, gtin, "K1"))["events"]![0]!["location"]!["name"]);
    }

    private static JsonObject Transformation(string inputGtin, string[] inputs, string outputGtin, string output) => new()
    {
        ["type"] = "TransformationEvent",
        ["eventTime"] = "2026-11-01T09:00:00.000+07:00",
        ["eventTimeZoneOffset"] = "+07:00",
        ["bizStep"] = "commissioning",
        ["inputQuantityList"] = new JsonArray([.. inputs.Select(lot => (JsonNode)new JsonObject
        {
            ["epcClass"] = $"https://id.gs1.org/01/{inputGtin}/10/{lot}", ["quantity"] = 10, ["uom"] = "KGM",
        })]),
        ["outputQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{outputGtin}/10/{output}", ["quantity"] = 8, ["uom"] = "LTR" }),
    };

    private static async Task CaptureAsync(HttpClient client, JsonObject[] events)
    {
        var response = await client.PostAsync("/epcis/capture",
            new StringContent(Epcis.Document(events).ToJsonString(), Encoding.UTF8, "application/ld+json"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var job = (await client.GetFromJsonAsync<JsonObject>(response.Headers.Location, Ct))!;
        Assert.True((bool)job["success"]!, job.ToJsonString());
    }

    private static async Task<JsonObject> LotJsonAsync(HttpClient client, string gtin, string lot) =>
        (await client.GetFromJsonAsync<JsonObject>($"/01/{gtin}/10/{lot}?format=json", Ct))!;

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50, Ct);
        }
    }
}
