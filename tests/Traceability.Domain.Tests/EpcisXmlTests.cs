using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Traceability.Domain.Tests;

/// <summary>The XML binding against GS1's example documents (copied into tests/Ingestion.FunctionalTests/Epcis/Examples).</summary>
public sealed class EpcisXmlTests
{
    private static string Examples => Path.Combine(AppContext.BaseDirectory, "Examples");

    private static JsonObject ReadXml(string relative)
    {
        var read = EpcisXml.Read(File.ReadAllBytes(Path.Combine(Examples, relative)), 10_000_000);
        Assert.True(read.IsValid, string.Join("; ", read.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        return read.Json!;
    }

    /// <summary>The events' hashes as the JSON binding computes them when the capture has no eventID.</summary>
    private static string[] Hashes(JsonObject document)
    {
        foreach (var e in document["epcisBody"]!["eventList"]!.AsArray()) e!.AsObject().Remove("eventID");
        var parsed = EpcisJson.ParseDocument(JsonSerializer.SerializeToElement(document));
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        return [.. parsed.Events.Select(e => e.EventId)];
    }

    /// <summary>
    /// GS1's twins of example 9.6.1 hold the same events, except that the XML binds the extension prefix to
    /// http://ns.example.com/epcis and the JSON-LD to http://ns.example.com/epcis/ (other names, so other hashes):
    /// with the JSON's namespace aligned, every event hashes the same. (GS1's PersistentDisposition and
    /// TransactionEvent "twins" differ in content — event types, values — so they are no pairs for this test.)
    /// </summary>
    [Fact]
    public void GS1_example_9_6_1_gets_the_same_event_hashes_from_XML_and_JSON()
    {
        var fromXml = Hashes(ReadXml("XML/Example_9.6.1-ObjectEvent-2020_06_18a.xml"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Examples, "JSON/Example_9.6.1-ObjectEvent.jsonld")))!.AsObject();
        var fromJsonAsPublished = Hashes(json.DeepClone().AsObject());
        Assert.Equal(fromJsonAsPublished[0], fromXml[0]);
        Assert.NotEqual(fromJsonAsPublished[1], fromXml[1]);
        foreach (var c in json["@context"]!.AsArray())
            if (c is JsonObject o && o.ContainsKey("example")) o["example"] = "http://ns.example.com/epcis";
        Assert.Equal(Hashes(json), fromXml);
    }

    /// <summary>GS1's WithEventHashID examples: one event written six ways in XML (URN or Digital Link, field order, time
    /// zone, …) and once in JSON-LD (_7.json); all get one CBV 2.0 hash except _2, whose eventTimeZoneOffset (-05:00 instead
    /// of -06:00) is part of the CBV 2.0 pre-hash (as in GS1's reference generator, checked in EventHashTests), so it differs.</summary>
    [Fact]
    public void One_event_written_six_ways_in_XML_and_once_in_JSON_gets_one_hash_but_for_another_time_zone()
    {
        var hashes = Enumerable.Range(1, 6).Select(n => Hashes(ReadXml($"XML/WithEventHashID/event_with_identical_hash_id_{n}.xml")).Single()).ToList();
        hashes.Add(Hashes(JsonNode.Parse(File.ReadAllText(Path.Combine(Examples, "XML/WithEventHashID/event_with_identical_hash_id_7.json")))!.AsObject()).Single());
        Assert.True(hashes.Where((_, i) => i != 1).Distinct().Count() == 1, string.Join("\n", hashes.Select((h, i) => $"{i + 1}: {h}")));
        Assert.NotEqual(hashes[0], hashes[1]);
    }

    [Fact]
    public void An_EPCIS_1_2_document_is_read_through_its_extension_wrappers()
    {
        const string xml = """
            <epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:ex="https://ns.example.com/epcis/" schemaVersion="1.2" creationDate="2026-01-01T00:00:00Z">
              <EPCISBody><EventList>
                <ObjectEvent>
                  <eventTime>2026-01-01T08:00:00+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
                  <baseExtension><eventID>urn:uuid:1f7e3a4e-0000-4000-8000-000000000001</eventID></baseExtension>
                  <epcList/><action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
                  <extension>
                    <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>200</quantity><uom>KGM</uom></quantityElement></quantityList>
                    <ilmd><ex:harvest>2025-12-31</ex:harvest></ilmd>
                  </extension>
                  <ex:note>first</ex:note>
                </ObjectEvent>
                <extension>
                  <TransformationEvent>
                    <eventTime>2026-01-02T08:00:00+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
                    <inputQuantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>10</quantity><uom>KGM</uom></quantityElement></inputQuantityList>
                    <outputQuantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.012346.X1</epcClass><quantity>9</quantity><uom>KGM</uom></quantityElement></outputQuantityList>
                  </TransformationEvent>
                </extension>
              </EventList></EPCISBody>
            </epcis:EPCISDocument>
            """;
        var read = EpcisXml.Read(System.Text.Encoding.UTF8.GetBytes(xml), 1_000_000);
        Assert.True(read.IsValid);
        var parsed = EpcisJson.ParseDocument(JsonSerializer.SerializeToElement(read.Json));
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        Assert.Equal(["ObjectEvent", "TransformationEvent"], parsed.Events.Select(e => e.Type));
        var harvest = parsed.Events[0];
        Assert.Equal("urn:uuid:1f7e3a4e-0000-4000-8000-000000000001", harvest.EventId);
        Assert.Equal("commissioning", harvest.BizStep);
        Assert.Equal(200m, harvest.QuantityList[0].Quantity);
        Assert.Equal("2025-12-31", (string?)harvest.Ilmd!["ex:harvest"]);
        Assert.Equal("first", (string?)harvest.Extensions["ex:note"]);
        Assert.Equal("https://ns.example.com/epcis/", harvest.Namespaces["ex"]);
        Assert.StartsWith("ni:///sha-256;", parsed.Events[1].EventId);
    }

    [Theory]
    [InlineData("<epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:2\"><EPCISBody>", "line")]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:2\">&lol2;</epcis:EPCISDocument>", "DTD")]
    [InlineData("<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><x>&xxe;</x>", "DTD")]
    [InlineData("<EPCISDocument/>", "expected an EPCISDocument")]
    [InlineData("<epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:2\" schemaVersion=\"2.0\" creationDate=\"2026-01-01T00:00:00Z\"><EPCISBody><EventList><ObjectEvent><eventTime>yesterday</eventTime></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>", "eventList[0].eventTime")]
    public void Hostile_or_malformed_XML_is_an_error_not_an_exception(string xml, string expected)
    {
        var read = EpcisXml.Read(System.Text.Encoding.UTF8.GetBytes(xml), 1_000_000);
        Assert.False(read.IsValid);
        Assert.Contains(expected, string.Join(" ", read.Errors.Select(e => e.Key + " " + string.Join(" ", e.Value))));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var xml = "<epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:1\">" + string.Concat(Enumerable.Repeat("<a>", 10_000))
                  + string.Concat(Enumerable.Repeat("</a>", 10_000)) + "</epcis:EPCISDocument>";
        var read = EpcisXml.Read(System.Text.Encoding.UTF8.GetBytes(xml), 1_000_000);
        Assert.False(read.IsValid);
        Assert.Contains("deeper", read.Errors.Single().Value[0]);
    }

    [Fact]
    public void Query_documents_validate_against_the_XSD_and_keep_extensions()
    {
        var document = ReadXml("XML/WithFullCombinationOfFields/object_event_all_possible_fields.xml");
        var parsed = EpcisJson.ParseDocument(JsonSerializer.SerializeToElement(document));
        Assert.True(parsed.IsValid);
        foreach (var format in new[] { CbvXmlFormat.Urn, CbvXmlFormat.WebUri })
        {
            var xml = EpcisXmlWriter.WriteQueryDocument(parsed.Events.Select(e => e.ToJson()), format);
            var errors = new List<string>();
            var doc = XDocument.Parse(xml);
            doc.Validate(EpcisXml.Schemas, (_, e) => errors.Add(e.Message));
            Assert.Empty(errors);
            Assert.Contains(format == CbvXmlFormat.Urn ? "urn:epcglobal:cbv:bizstep:receiving" : "https://ref.gs1.org/cbv/BizStep-receiving", xml);
            Assert.Contains("ext1:someFurtherMetadata=\"someText\"", xml);
            Assert.Contains("stringInObjectInObject", xml);
        }
    }
}
