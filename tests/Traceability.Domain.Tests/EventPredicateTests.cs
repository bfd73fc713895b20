using System.Globalization;
using System.Xml.Linq;

namespace Traceability.Domain.Tests;

/// <summary>
/// The query predicate on events as both bindings deliver them (GS1's example documents): XML extension values
/// arrive as text and XML namespaces may lack the JSON-LD prefix's trailing '/', and the filter must not care.
/// </summary>
public sealed class EventPredicateTests
{
    private static string Examples => Path.Combine(AppContext.BaseDirectory, "Examples");

    private static IReadOnlyList<EpcisEvent> FromXml(string relative)
    {
        var read = EpcisXml.Read(File.ReadAllBytes(Path.Combine(Examples, relative)), 10_000_000);
        Assert.True(read.IsValid);
        return Parse(JsonSerializer.SerializeToElement(read.Json));
    }

    private static IReadOnlyList<EpcisEvent> FromJson(string relative) =>
        Parse(JsonDocument.Parse(File.ReadAllText(Path.Combine(Examples, relative))).RootElement);

    private static IReadOnlyList<EpcisEvent> Parse(JsonElement document)
    {
        var parsed = EpcisJson.ParseDocument(document);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        return parsed.Events;
    }

    private static EventPredicate Predicate(params (string Name, string[] Values)[] parameters)
    {
        var predicate = new EventPredicate();
        foreach (var (name, values) in parameters)
        {
            Assert.True(predicate.TryAdd(name, values, null, out var error), name);
            Assert.Null(error);
        }
        return predicate;
    }

    private static int[] Matching(IReadOnlyList<EpcisEvent> events, EventPredicate predicate) =>
        [.. events.Select((e, i) => (e, i)).Where(x => predicate.Matches(x.e)).Select(x => x.i)];

    [Theory]
    [InlineData("EQ_http://ns.example.com/epcis#myField")]
    [InlineData("EQ_http://ns.example.com/epcis/#myField")]
    [InlineData("EQ_example:myField")]
    public void An_extension_field_matches_in_both_bindings_of_GS1_example_9_6_1(string parameter)
    {
        var predicate = Predicate((parameter, ["Example of a vendor/user extension"]));

        Assert.Equal([1], Matching(FromXml("XML/Example_9.6.1-ObjectEvent-2020_06_18a.xml"), predicate));
        Assert.Equal([1], Matching(FromJson("JSON/Example_9.6.1-ObjectEvent.jsonld"), predicate));
        Assert.Empty(Matching(FromJson("JSON/Example_9.6.1-ObjectEvent.jsonld"), Predicate((parameter, ["another value"]))));
    }

    [Fact]
    public void Business_transaction_types_and_locations_of_example_9_6_1_filter_alike_in_both_bindings()
    {
        foreach (var events in new[] { FromXml("XML/Example_9.6.1-ObjectEvent-2020_06_18a.xml"), FromJson("JSON/Example_9.6.1-ObjectEvent.jsonld") })
        {
            Assert.Equal([1], Matching(events, Predicate(("EQ_bizTransaction_desadv", ["urn:epcglobal:cbv:bt:0614141073467:1152"]))));
            Assert.Equal([0, 1], Matching(events, Predicate(("EQ_bizTransaction_po", ["http://transaction.acme.com/po/12345678"]))));
            Assert.Equal([1], Matching(events, Predicate(("EXISTS_bizLocation", []))));
            // WD_ is EQ_ without master data; a Digital Link names the same location as its SGLN.
            Assert.Equal([1], Matching(events, Predicate(("WD_bizLocation", ["https://id.gs1.org/414/0012345111112"]))));
        }
    }

    /// <summary>Each sensor filter against an independent reading of the XML (XDocument): the events with a report that qualifies.</summary>
    [Theory]
    [InlineData("GE_value_CEL", "26.4", "value", "CEL", ">=")]
    [InlineData("LT_value_CEL", "26.1", "value", "CEL", "<")]
    [InlineData("GT_maxValue_CEL", "13", "maxValue", "CEL", ">")]
    [InlineData("LE_minValue_CEL", "12.4", "minValue", "CEL", "<=")]
    [InlineData("GE_value_KMH", "100", "value", "KMH", ">=")]
    [InlineData("GE_value", "700", "value", null, ">=")]
    public void Sensor_value_filters_select_the_events_whose_reports_qualify(string parameter, string bound, string attribute, string? uom, string op)
    {
        var events = FromXml("XML/WithSensorData/SensorDataExamples.xml");
        var limit = decimal.Parse(bound, CultureInfo.InvariantCulture);
        var expected = XmlEvents().Select((e, i) => (e, i)).Where(x => x.e.Descendants("sensorReport").Any(r =>
            (uom is null || (string?)r.Attribute("uom") == uom) && (string?)r.Attribute(attribute) is { } text
            && decimal.Parse(text, CultureInfo.InvariantCulture).CompareTo(limit) is var c
            && op switch { ">=" => c >= 0, ">" => c > 0, "<" => c < 0, _ => c <= 0 })).Select(x => x.i).ToArray();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, Matching(events, Predicate((parameter, [bound]))));
    }

    [Fact]
    public void Sensor_types_devices_and_times_select_as_the_XML_says()
    {
        var events = FromXml("XML/WithSensorData/SensorDataExamples.xml");
        var xml = XmlEvents();
        int[] Where(Func<XElement, bool> test) => [.. xml.Select((e, i) => (e, i)).Where(x => test(x.e)).Select(x => x.i)];

        Assert.Equal(Where(e => e.Descendants("sensorReport").Any(r => (string?)r.Attribute("type") == "gs1:Speed")),
            Matching(events, Predicate(("EQ_type", ["Speed"]))));
        Assert.Equal(Where(e => e.Descendants().Any(d => d.Name.LocalName is "sensorReport" or "sensorMetadata"
                && (string?)d.Attribute("deviceID") == "urn:epc:id:giai:4000001.222")),
            Matching(events, Predicate(("EQ_deviceID", ["urn:epc:id:giai:4000001.222"]))));
        var since = DateTimeOffset.Parse("2019-04-02T14:30:00+01:00", CultureInfo.InvariantCulture);
        Assert.Equal(Where(e => e.Descendants().Any(d => d.Name.LocalName is "sensorReport" or "sensorMetadata"
                && (string?)d.Attribute("time") is { } t && DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) >= since)),
            Matching(events, Predicate(("GE_time", ["2019-04-02T14:30:00+01:00"]))));
        Assert.Equal(Where(e => e.Descendants("sensorMetadata").Any(m => m.Attribute("startTime") is not null)),
            Matching(events, Predicate(("GE_startTime", ["2000-01-01T00:00:00Z"]))));
        // Parameters AND together: a Speed report and a time — on the events that have both.
        Assert.Equal(Matching(events, Predicate(("EQ_type", ["Speed"]))).Intersect(Matching(events, Predicate(("GE_time", ["2019-04-02T14:30:00+01:00"])))),
            Matching(events, Predicate(("EQ_type", ["Speed"]), ("GE_time", ["2019-04-02T14:30:00+01:00"]))));
    }

    private static List<XElement> XmlEvents() =>
        [.. XDocument.Load(Path.Combine(Examples, "XML/WithSensorData/SensorDataExamples.xml")).Descendants("EventList").Elements()];

    [Theory]
    [InlineData("EQ_nothing")] // no namespace: not an extension field, not an EPCIS parameter
    [InlineData("orderBy")] // the parser's own
    public void Names_that_are_not_its_parameters_are_left_to_the_caller(string name)
    {
        Assert.False(new EventPredicate().TryAdd(name, ["x"], null, out var error));
        Assert.Null(error);
    }
}
