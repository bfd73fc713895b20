using System.Runtime.CompilerServices;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 20 point 5: the EPCIS 2.0 query parameters evaluated on the parsed event (EXISTS_, extension fields,
/// source/destination/bizTransaction types, persistentDisposition, quantities, sensor filters), their paging,
/// named queries using them, and the parameters still refused.
/// </summary>
public sealed class QueryFilterTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    private const string Ns = "https://ns.example.com/epcis/";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ConditionalWeakTable<TraceabilityApp, Task<Fixture>> Fixtures = new();

    /// <summary>One producer's three events, e0 and e1 rich, e2 plain, captured once per app; eventIDs by label.</summary>
    private sealed record Fixture(TestProducer Producer, IReadOnlyDictionary<string, string> Ids)
    {
        public string Label(string eventId) => Ids.Single(kv => kv.Value == eventId).Key;
    }

    private Task<Fixture> FixtureAsync() => Fixtures.GetValue(app, a => CaptureFixtureAsync(a));

    private static async Task<Fixture> CaptureFixtureAsync(TraceabilityApp app)
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "QF1");
        var ids = new Dictionary<string, string> { ["e0"] = Id(), ["e1"] = Id(), ["e2"] = Id() };

        var e0 = Epcis.ObjectEvent(gtin, "QF1", "shipping", 0, ids["e0"]); // quantity 1 KGM
        e0["ex:temperature"] = 4;
        e0["ilmd"] = new JsonObject { ["ex:grade"] = "A", ["ex:harvest"] = new JsonObject { ["ex:moisture"] = 12.5 } };
        e0["bizTransactionList"] = new JsonArray(new JsonObject { ["type"] = "po", ["bizTransaction"] = "urn:example:po:1152" });
        e0["sourceList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["source"] = "urn:example:party:farm" });
        e0["persistentDisposition"] = new JsonObject { ["set"] = new JsonArray("completeness_verified") };
        e0["sensorElementList"] = Sensor("2026-11-01T07:00:00+07:00", "urn:epc:id:giai:4000001.111", 4.5, "ok", true, "F0F0");

        var e1 = Epcis.ObjectEvent(gtin, "QF1", "receiving", 1, ids["e1"]); // quantity 2 KGM
        e1["ex:temperature"] = 9;
        e1["ilmd"] = new JsonObject { ["ex:grade"] = "B" };
        e1["destinationList"] = new JsonArray(new JsonObject { ["type"] = "location", ["destination"] = "urn:example:place:dc-1" });
        e1["persistentDisposition"] = new JsonObject { ["unset"] = new JsonArray("completeness_verified") };
        e1["sensorElementList"] = Sensor("2026-11-02T07:00:00+07:00", "urn:epc:id:giai:4000001.222", 12, "warm", false, "0A0B");

        var e2 = Epcis.ObjectEvent(gtin, "QF1", "shipping", 2, ids["e2"]); // quantity 3 KGM
        await CaptureAsync(producer, [e0, e1, e2]);
        return new Fixture(producer, ids);
    }

    private static JsonArray Sensor(string time, string device, double value, string text, bool flag, string hex) => new(new JsonObject
    {
        ["sensorMetadata"] = new JsonObject { ["time"] = time, ["deviceID"] = device, ["bizRules"] = "https://example.org/rules/cold" },
        ["sensorReport"] = new JsonArray(new JsonObject
        {
            ["type"] = "Temperature", ["value"] = value, ["uom"] = "CEL", ["minValue"] = value - 1, ["maxValue"] = value + 1,
            ["stringValue"] = text, ["booleanValue"] = flag, ["hexBinaryValue"] = hex,
        }),
    });

    private static string Id() => $"urn:uuid:{Guid.NewGuid()}";

    private static async Task CaptureAsync(TestProducer producer, IEnumerable<JsonObject> events)
    {
        var document = Epcis.Document(events);
        document["@context"]!.AsArray().Add(new JsonObject { ["ex"] = Ns });
        var response = await producer.Client.PostAsync("/epcis/capture", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/ld+json"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
    }

    public static TheoryData<string, string[]> Filters => new()
    {
        // EXISTS_ of standard fields; =false asks for no filter.
        { "EXISTS_ilmd", ["e0", "e1"] },
        { "EXISTS_ilmd=true", ["e0", "e1"] },
        { "EXISTS_ilmd=false", ["e0", "e1", "e2"] },
        { "EXISTS_sensorElementList", ["e0", "e1"] },
        { "EXISTS_bizTransactionList", ["e0"] },
        { "EXISTS_sourceList", ["e0"] },
        { "EXISTS_destinationList", ["e1"] },
        { "EXISTS_persistentDisposition", ["e0", "e1"] },
        { "EXISTS_certificationInfo", [] },
        { "EXISTS_quantityList", ["e0", "e1", "e2"] },
        { "EXISTS_parentID", [] },
        // Extension fields: CURIE (the event's own prefix) or {namespace}#{name}.
        { "EXISTS_ex:temperature", ["e0", "e1"] },
        { "EXISTS_" + Ns + "%23temperature", ["e0", "e1"] },
        { "EXISTS_https://other.example.org/%23temperature", [] },
        { "EQ_ex:temperature=4", ["e0"] },
        { "EQ_ex:temperature=4|9", ["e0", "e1"] },
        { "GT_ex:temperature=5", ["e1"] },
        { "LE_ex:temperature=4", ["e0"] },
        { "GE_" + Ns + "%23temperature=9", ["e1"] },
        { "EQ_ILMD_ex:grade=B", ["e1"] },
        { "EQ_ILMD_ex:grade=A|B", ["e0", "e1"] },
        { "EQ_ILMD_ex:moisture=12.5", [] }, // not a top-level ILMD field: INNER_ finds it
        { "EQ_INNER_ILMD_ex:moisture=12.5", ["e0"] },
        { "GE_INNER_ILMD_ex:moisture=13", [] },
        { "EXISTS_INNER_ILMD_ex:moisture", ["e0"] },
        { "EQ_ex:grade=A", [] }, // an ILMD field is not a top-level extension field
        // Types of bizTransaction, source, destination; persistentDisposition.
        { "EQ_bizTransaction_po=urn:example:po:1152", ["e0"] },
        { "EQ_bizTransaction_desadv=urn:example:po:1152", [] },
        { "EQ_source_owning_party=urn:example:party:farm", ["e0"] },
        { "EQ_source_possessing_party=urn:example:party:farm", [] },
        { "EQ_destination_location=urn:example:place:dc-1", ["e1"] },
        { "EQ_persistentDisposition_set=completeness_verified", ["e0"] },
        { "EQ_persistentDisposition_unset=completeness_verified", ["e1"] },
        { "EQ_persistentDisposition_set=https://ref.gs1.org/cbv/Disp-completeness_verified", ["e0"] },
        // Quantities (any quantity element), optionally in one uom.
        { "EQ_quantity=2", ["e1"] },
        { "EQ_quantity=1|3", ["e0", "e2"] },
        { "GE_quantity=2", ["e1", "e2"] },
        { "GT_quantity=2", ["e2"] },
        { "LT_quantity=2", ["e0"] },
        { "LE_quantity=2", ["e0", "e1"] },
        { "EQ_quantity_KGM=3", ["e2"] },
        { "EQ_quantity_LTR=3", [] },
        // Sensor reports and metadata.
        { "EQ_type=Temperature", ["e0", "e1"] },
        { "EQ_type=gs1:Temperature", ["e0", "e1"] },
        { "EQ_type=Speed", [] },
        { "EQ_deviceID=urn:epc:id:giai:4000001.111", ["e0"] },
        { "EQ_bizRules=https://example.org/rules/cold", ["e0", "e1"] },
        { "EQ_stringValue=warm", ["e1"] },
        { "EQ_booleanValue=true", ["e0"] },
        { "EQ_booleanValue=false", ["e1"] },
        { "EQ_hexBinaryValue=f0f0", ["e0"] },
        { "EQ_value_CEL=12", ["e1"] },
        { "GE_value_CEL=10", ["e1"] },
        { "LT_value_CEL=10", ["e0"] },
        { "GE_value_FAH=0", [] },
        { "LT_minValue_CEL=4", ["e0"] },
        { "GT_maxValue_CEL=6", ["e1"] },
        { "GE_time=2026-11-02T00:00:00%2B07:00", ["e1"] },
        { "LT_time=2026-11-02T00:00:00Z", ["e0"] },
        // Parameters AND together.
        { "EQ_type=Temperature&GE_value_CEL=10&EXISTS_destinationList", ["e1"] },
        { "EQ_bizStep=shipping&EXISTS_ilmd", ["e0"] },
        { "WD_bizLocation=urn:example:nowhere", [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_parameter_selects_the_events_that_match_and_no_other(string query, string[] expected)
    {
        var fixture = await FixtureAsync();

        var events = await Epcis.QueryAsync(fixture.Producer.Client, query);

        Assert.Equal(expected, events.Select(e => fixture.Label((string)e!["eventID"]!)).Order());
    }

    [Fact]
    public async Task A_filtered_result_pages_without_losing_or_repeating_an_event()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "QP1");
        // 30 events in record-time order; every third carries ex:keep: 10 match, three pages of 4, 4 and 2.
        var all = Enumerable.Range(0, 30).Select(i => (Id: Id(), Keep: i % 3 == 0)).ToList();
        await CaptureAsync(producer, all.Select((e, i) =>
        {
            var ev = Epcis.ObjectEvent(gtin, "QP1", "shipping", i, e.Id);
            if (e.Keep) ev["ex:keep"] = true;
            return ev;
        }));

        var seen = new List<string>();
        var url = "/epcis/events?EXISTS_ex:keep&perPage=4";
        var pages = 0;
        while (url is not null && pages < 10)
        {
            var response = await producer.Client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray();
            Assert.Equal(pages < 2 ? 4 : 2, page.Count);
            seen.AddRange(page.Select(e => (string)e!["eventID"]!));
            pages++;
            url = response.Headers.TryGetValues("Link", out var link) ? link.Single()[1..link.Single().IndexOf('>')] : null;
        }

        Assert.Equal(3, pages);
        var expected = all.Where(e => e.Keep).Select(e => e.Id).ToList();
        Assert.Equal(expected.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        // Ordered as an unfiltered query orders them.
        var order = (await Epcis.QueryAsync(producer.Client, "perPage=7")).Select(e => (string)e!["eventID"]!).ToList();
        Assert.Equal(order.Where(expected.Contains), seen);
    }

    [Theory]
    [InlineData("HASATTR_ex:color=red", "HASATTR_ex:color", "master data")]
    [InlineData("EQ_ATTR_ex:color_size=1", "EQ_ATTR_ex:color_size", "master data")]
    [InlineData("maxEventCount=10", "maxEventCount", "maxEventCount")]
    [InlineData("EQ_readPoint_ex:floor=2", "EQ_readPoint_ex:floor", "readPoint")]
    [InlineData("EQ_shoeSize=42", "EQ_shoeSize", "not supported")]
    [InlineData("GT_ex:temperature=warm", "GT_ex:temperature", "number")]
    [InlineData("GE_quantity=much", "GE_quantity", "number")]
    [InlineData("GE_quantity=1|2", "GE_quantity", "one value")]
    [InlineData("EQ_booleanValue=maybe", "EQ_booleanValue", "true or false")]
    [InlineData("GE_time=yesterday", "GE_time", "date-time")]
    [InlineData("EXISTS_ilmd=sometimes", "EXISTS_ilmd", "true or false")]
    [InlineData("EQ_bizTransaction_nonsense=urn:x:1", "EQ_bizTransaction_nonsense", "nonsense")]
    [InlineData("EQ_persistentDisposition_set=not_a_disposition", "EQ_persistentDisposition_set", "not a CBV disposition")]
    public async Task A_parameter_still_unsupported_or_with_a_bad_value_is_a_400_naming_it(string query, string parameter, string says)
    {
        var fixture = await FixtureAsync();

        var response = await fixture.Producer.Client.GetAsync("/epcis/events?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(parameter), errors.ToJsonString());
        Assert.Contains(says, errors[parameter]!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_named_query_takes_the_new_parameters_with_numbers_booleans_and_its_own_context()
    {
        var fixture = await FixtureAsync();
        var client = fixture.Producer.Client;
        // Its @context names the namespace with another prefix than the events use: the namespace is what counts.
        var definition = new JsonObject
        {
            ["name"] = "warm-" + Guid.NewGuid().ToString("N")[..8],
            ["query"] = new JsonObject
            {
                ["@context"] = new JsonArray(new JsonObject { ["q"] = Ns }),
                ["GE_q:temperature"] = 5,
                ["EQ_quantity"] = new JsonArray(2, 3),
                ["EQ_booleanValue"] = false,
                ["EXISTS_sensorElementList"] = true,
            },
        };
        var created = await client.PostAsync("/epcis/queries", new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));

        var run = await client.GetAsync($"/epcis/queries/{definition["name"]}/events", Ct);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var events = JsonNode.Parse(await run.Content.ReadAsStringAsync(Ct))!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray();
        Assert.Equal(["e1"], events.Select(e => fixture.Label((string)e!["eventID"]!)));

        // A bad value is refused when the query is saved, under query.{parameter}.
        var bad = new JsonObject { ["name"] = "bad", ["query"] = new JsonObject { ["GT_quantity"] = "lots" } };
        var refused = await client.PostAsync("/epcis/queries", new StringContent(bad.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("query.GT_quantity", await refused.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Another_producers_events_never_match_whatever_the_filter()
    {
        var fixture = await FixtureAsync();
        var other = await app.NewProducerAsync();

        Assert.Empty(await Epcis.QueryAsync(other.Client, "EXISTS_ilmd"));
        Assert.Empty(await Epcis.QueryAsync(other.Client, "EQ_type=Temperature"));
        Assert.Equal(2, (await Epcis.QueryAsync(fixture.Producer.Client, "EQ_type=Temperature")).Count);
    }
}
