namespace Traceability.Domain.Tests;

public class EpcisJsonTests
{
    private const string Gtin = "08934567890120";

    private static string Event(string fields = "") => $$"""
        {"type":"ObjectEvent","eventTime":"2026-05-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00","action":"OBSERVE",
         "epcList":["https://id.gs1.org/01/{{Gtin}}/10/LOT1/21/S1"],"bizStep":"shipping","disposition":"in_transit",
         "readPoint":{"id":"urn:epc:id:sgln:4012345.00012.0"}{{fields}}}
        """;

    private static string Document(params string[] events) => $$$"""
        {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"ex":"https://ns.example.vn/epcis/"}],
         "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-05-01T09:00:00Z",
         "epcisBody":{"eventList":[{{{string.Join(",", events)}}}]}}
        """;

    private static EpcisParseResult ParseDocument(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return EpcisJson.ParseDocument(doc.RootElement);
    }

    private static EpcisParseResult ParseEvent(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return EpcisJson.ParseEvent(doc.RootElement);
    }

    [Fact]
    public void Valid_document_parses_with_normalised_terms()
    {
        var result = ParseDocument(Document(Event(), Event().Replace("\"shipping\"", "\"https://ref.gs1.org/cbv/BizStep-receiving\"")));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
        Assert.Equal(2, result.Events.Count);
        Assert.Equal("shipping", result.Events[0].BizStep);
        Assert.Equal("receiving", result.Events[1].BizStep);
        Assert.Equal("in_transit", result.Events[0].Disposition);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 1, 0, 0, TimeSpan.Zero), result.Events[0].EventTime);
    }

    [Theory]
    [InlineData("https://id.gs1.org/01/08934567890121/21/S1", "eventList[1].epcList[0]", "check digit")]
    [InlineData("https://id.gs1.org/01/08934567890120/10/L%20OT/21/S1", "eventList[1].epcList[0]", "not allowed")]
    public void Bad_epc_in_one_event_is_reported_with_event_index_and_list_index(string epc, string path, string reason)
    {
        var bad = Event().Replace($"https://id.gs1.org/01/{Gtin}/10/LOT1/21/S1", epc);
        var result = ParseDocument(Document(Event(), bad));

        Assert.False(result.IsValid);
        Assert.Contains(reason, Assert.Single(result.Errors[path]));
        Assert.Single(result.Events);
    }

    [Fact]
    public void Unknown_bizStep_is_an_error_on_that_field()
    {
        var result = ParseDocument(Document(Event().Replace("\"shipping\"", "\"shiping\"")));
        Assert.Contains("shiping", Assert.Single(result.Errors["eventList[0].bizStep"]));
    }

    [Fact]
    public void Event_time_without_offset_is_an_error()
    {
        var result = ParseDocument(Document(Event().Replace("2026-05-01T08:00:00+07:00", "2026-05-01T08:00:00")));
        Assert.Contains("time zone", Assert.Single(result.Errors["eventList[0].eventTime"]));
    }

    [Fact]
    public void Lot_with_forbidden_character_in_a_class_is_an_error()
    {
        var result = ParseEvent(Event("""
            ,"quantityList":[{"epcClass":"https://id.gs1.org/01/08934567890120/10/L%C3%941","quantity":5,"uom":"KGM"}]
            """));
        Assert.Contains("not allowed", Assert.Single(result.Errors["quantityList[0].epcClass"]));
    }

    [Fact]
    public void Document_level_problems_have_document_paths()
    {
        Assert.Contains("type", ParseDocument("""{"type":"Foo","epcisBody":{"eventList":[]}}""").Errors.Keys);
        Assert.Contains("epcisBody.eventList", ParseDocument("""{"type":"EPCISDocument","epcisBody":{}}""").Errors.Keys);
        Assert.Contains("", ParseDocument("[]").Errors.Keys);
    }

    [Theory]
    [InlineData("\"type\":\"ObjectEvent\"", "\"type\":\"ThingEvent\"", "type")]
    [InlineData("\"action\":\"OBSERVE\",", "", "action")]
    [InlineData("\"action\":\"OBSERVE\"", "\"action\":\"WATCH\"", "action")]
    [InlineData("\"eventTime\":\"2026-05-01T08:00:00+07:00\",", "", "eventTime")]
    [InlineData("\"epcList\":[\"https://id.gs1.org/01/08934567890120/10/LOT1/21/S1\"],", "", "epcList")]
    [InlineData("\"readPoint\":{\"id\":\"urn:epc:id:sgln:4012345.00012.0\"}", "\"readPoint\":{\"id\":\"not a uri\"}", "readPoint.id")]
    [InlineData("\"eventTimeZoneOffset\":\"+07:00\"", "\"eventTimeZoneOffset\":\"7\"", "eventTimeZoneOffset")]
    [InlineData("\"bizStep\":\"shipping\"", "\"bizStep\":\"shipping\",\"temperature\":5", "temperature")]
    public void Invalid_single_events_name_the_field(string from, string to, string path)
    {
        var result = ParseEvent(Event().Replace(from, to));
        Assert.False(result.IsValid);
        Assert.True(result.Errors.ContainsKey(path), string.Join(", ", result.Errors.Keys));
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Negative_quantity_is_an_error()
    {
        var result = ParseEvent(Event(""","quantityList":[{"epcClass":"urn:epc:class:lgtin:893456.0789012.L1","quantity":-1}]"""));
        Assert.True(result.Errors.ContainsKey("quantityList[0].quantity"));
    }

    [Fact]
    public void Missing_time_zone_offset_defaults_from_event_time()
    {
        var result = ParseEvent(Event().Replace(",\"eventTimeZoneOffset\":\"+07:00\"", ""));
        Assert.True(result.IsValid);
        Assert.Equal("+07:00", result.Events[0].EventTimeZoneOffset);
    }

    [Fact]
    public void Missing_eventID_is_set_to_the_event_hash()
    {
        using var doc = JsonDocument.Parse(Event());
        var ev = EpcisJson.ParseEvent(doc.RootElement).Events[0];
        Assert.Equal(EventHash.Compute(doc.RootElement), ev.EventId);
        Assert.StartsWith("ni:///sha-256;", ev.EventId);
    }

    [Fact]
    public void Given_eventID_is_kept()
    {
        var ev = ParseEvent(Event(""","eventID":"urn:uuid:6d3a4d5e-1b7c-4d3a-9e0f-1a2b3c4d5e6f" """)).Events[0];
        Assert.Equal("urn:uuid:6d3a4d5e-1b7c-4d3a-9e0f-1a2b3c4d5e6f", ev.EventId);
    }

    [Fact]
    public void Location_accepts_sgln_urn_digital_link_and_other_uris()
    {
        foreach (var id in (string[])["urn:epc:id:sgln:4012345.00012.0", "https://id.gs1.org/414/4012345000122/254/7", "geo:10.77,106.70"])
        {
            var result = ParseEvent(Event().Replace("urn:epc:id:sgln:4012345.00012.0", id));
            Assert.True(result.IsValid, id);
            Assert.Equal(id, result.Events[0].ReadPoint);
        }
        var ev = ParseEvent(Event()).Events[0];
        Assert.Equal("414/4012345000122", ev.ReadPointKey);
        Assert.Equal(ev.ReadPointKey, EpcIdentifier.ToLocationKey("https://id.gs1.org/414/4012345000122"));
        Assert.Equal("geo:10.77,106.70", EpcIdentifier.ToLocationKey("geo:10.77,106.70"));
        Assert.False(ParseEvent(Event().Replace("urn:epc:id:sgln:4012345.00012.0", "https://id.gs1.org/414/4012345000123")).IsValid);
    }

    [Fact]
    public void Sgtin_digital_link_gives_epc_and_lot_keys_and_its_gtin()
    {
        var ev = ParseEvent(Event()).Events[0];
        Assert.Contains(new EventKey($"01/{Gtin}/10/LOT1/21/S1", EventKeyRole.Epc), ev.Keys);
        Assert.Contains(new EventKey($"01/{Gtin}/10/LOT1", EventKeyRole.Lot), ev.Keys);
        Assert.Equal(Gtin, Assert.Single(ev.Gtins).Value);
    }

    [Fact]
    public void Lgtin_class_gives_class_and_lot_keys()
    {
        var ev = ParseEvent(Event(""","quantityList":[{"epcClass":"urn:epc:class:lgtin:893456.0789012.L7","quantity":12.5,"uom":"KGM"}]""")).Events[0];
        Assert.Contains(new EventKey($"01/{Gtin}/10/L7", EventKeyRole.Class), ev.Keys);
        Assert.Contains(new EventKey($"01/{Gtin}/10/L7", EventKeyRole.Lot), ev.Keys);
        Assert.Equal(12.5m, ev.QuantityList[0].Quantity);
    }

    [Fact]
    public void Transformation_keys_have_input_and_output_roles()
    {
        const string json = """
            {"type":"TransformationEvent","eventTime":"2026-05-01T08:00:00Z","eventTimeZoneOffset":"+00:00",
             "inputQuantityList":[{"epcClass":"urn:epc:class:lgtin:893456.0789012.RAW1","quantity":100,"uom":"KGM"}],
             "outputQuantityList":[{"epcClass":"https://id.gs1.org/01/09506000134352/10/OUT1","quantity":80,"uom":"KGM"}],
             "outputEPCList":["urn:epc:idpat:sgtin:893456.0789012.*"],
             "bizStep":"commissioning","ilmd":{"ex:harvestDate":"2026-04-30"}}
            """;
        var ev = ParseEvent(json).Events[0];
        Assert.Contains(new EventKey($"01/{Gtin}/10/RAW1", EventKeyRole.InputClass), ev.Keys);
        Assert.Contains(new EventKey($"01/{Gtin}/10/RAW1", EventKeyRole.InputLot), ev.Keys);
        Assert.Contains(new EventKey("01/09506000134352/10/OUT1", EventKeyRole.OutputLot), ev.Keys);
        Assert.Contains(new EventKey($"01/{Gtin}", EventKeyRole.Output), ev.Keys);
        Assert.Equal(["08934567890120", "09506000134352"], ev.Gtins.Select(g => g.Value).Order());
    }

    [Fact]
    public void ToJson_round_trips_with_bare_terms_extensions_and_the_same_hash()
    {
        var captured = Document(Event("""
            ,"bizTransactionList":[{"type":"urn:epcglobal:cbv:btt:po","bizTransaction":"urn:epcglobal:cbv:bt:4012345000009:PO1"}],
            "sourceList":[{"type":"possessing_party","source":"urn:epc:id:pgln:4012345.00000"}],
            "ilmd":{"ex:harvestDate":"2026-04-30"},"ex:temperature":{"ex:value":4.5,"ex:unit":"CEL"},
            "sensorElementList":[{"sensorMetadata":{"time":"2026-05-01T07:00:00+07:00"},"sensorReport":[{"type":"Temperature","value":4.5,"uom":"CEL"}]}]
            """).Replace("\"shipping\"", "\"urn:epcglobal:cbv:bizstep:shipping\""));
        var first = ParseDocument(captured).Events[0];

        var json = first.ToJson();
        var again = ParseEvent(json);

        Assert.True(again.IsValid, string.Join("; ", again.Errors.Keys));
        var second = again.Events[0];
        Assert.Equal(json, second.ToJson());
        Assert.Equal(first.EventId, second.EventId);
        using var stored = JsonDocument.Parse(json);
        Assert.Equal(first.EventId, EventHash.Compute(stored.RootElement));
        Assert.Equal("shipping", stored.RootElement.GetProperty("bizStep").GetString());
        Assert.Equal("po", stored.RootElement.GetProperty("bizTransactionList")[0].GetProperty("type").GetString());
        Assert.Equal(4.5, stored.RootElement.GetProperty("ex:temperature").GetProperty("ex:value").GetDouble());
        Assert.Equal("https://ns.example.vn/epcis/", stored.RootElement.GetProperty("@context")[0].GetProperty("ex").GetString());
        Assert.Equal(first.EventId, stored.RootElement.GetProperty("eventID").GetString());
    }

    [Fact]
    public void Query_document_wraps_the_stored_events()
    {
        var ev = ParseEvent(Event()).Events[0];
        var text = EpcisJson.WriteQueryDocument([ev.ToJson(), ev.ToJson()], creationDate: new DateTimeOffset(2026, 5, 2, 0, 0, 0, TimeSpan.Zero));

        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal("EPCISQueryDocument", root.GetProperty("type").GetString());
        Assert.Equal("2.0", root.GetProperty("schemaVersion").GetString());
        Assert.Equal("2026-05-02T00:00:00+00:00", root.GetProperty("creationDate").GetString());
        var results = root.GetProperty("epcisBody").GetProperty("queryResults");
        Assert.Equal("SimpleEventQuery", results.GetProperty("queryName").GetString());
        Assert.Equal(2, results.GetProperty("resultsBody").GetProperty("eventList").GetArrayLength());
        Assert.Equal(ev.EventId, results.GetProperty("resultsBody").GetProperty("eventList")[0].GetProperty("eventID").GetString());
    }

    [Fact]
    public void Thousand_event_document_parses()
    {
        var events = Enumerable.Range(0, 1000).Select(i => Event().Replace("/21/S1", $"/21/S{i}"));
        var result = ParseDocument(Document(events.ToArray()));
        Assert.True(result.IsValid);
        Assert.Equal(1000, result.Events.Select(e => e.EventId).Distinct().Count());
    }
    [Fact]
    public void Identifiers_named_by_several_events_of_a_document_are_read_for_each_of_them()
    {
        // The parser reads each distinct identifier once per document (EpcIdMemo): every event must
        // still get its own keys and locations, and a bad identifier an error at each place it occurs.
        var other = Event().Replace("LOT1/21/S1", "LOT2/21/S9").Replace("urn:epc:id:sgln:4012345.00012.0", "https://id.gs1.org/414/4012345000122/254/7");
        var bad = Event().Replace("LOT1/21/S1", "L%20OT/21/S1");
        var result = ParseDocument(Document(Event(), other, Event(), bad, bad));

        Assert.Equal(["eventList[3].epcList[0]", "eventList[4].epcList[0]"], result.Errors.Keys.Order());
        Assert.Equal(3, result.Events.Count);
        var (first, second, third) = (result.Events[0], result.Events[1], result.Events[2]);
        Assert.Equal([new EventKey($"01/{Gtin}/10/LOT1/21/S1", EventKeyRole.Epc), new EventKey($"01/{Gtin}/10/LOT1", EventKeyRole.Lot)], first.Keys);
        Assert.Equal(first.Keys, third.Keys);
        Assert.Equal([new EventKey($"01/{Gtin}/10/LOT2/21/S9", EventKeyRole.Epc), new EventKey($"01/{Gtin}/10/LOT2", EventKeyRole.Lot)], second.Keys);
        Assert.Equal(EpcIdentifier.ToLocationKey("urn:epc:id:sgln:4012345.00012.0"), first.ReadPointKey);
        Assert.Equal("414/4012345000122/254/7", second.ReadPointKey);
        Assert.Equal(first.ReadPointKey, third.ReadPointKey);
    }

    [Fact]
    public void Events_written_one_after_another_each_get_their_own_json()
    {
        // The writer reuses one buffer per thread; a large event must not leak into the next one.
        var large = new string('x', 300_000);
        var result = ParseDocument(Document(Event($$""","ex:note":"{{large}}" """), Event()));
        var (big, small) = (result.Events[0].ToJson(), result.Events[1].ToJson());

        Assert.Contains(large, big);
        Assert.DoesNotContain("ex:note", small);
        Assert.Equal(small, result.Events[1].ToJson());
        using var parsed = JsonDocument.Parse(big);
        Assert.Equal(large, parsed.RootElement.GetProperty("ex:note").GetString());
    }
}
