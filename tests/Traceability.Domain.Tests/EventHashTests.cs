namespace Traceability.Domain.Tests;

/// <summary>Checks the CBV 2.0 event hash against GS1's reference examples (see HashExamples/README.md).</summary>
public class EventHashTests
{
    public static TheoryData<string> Examples() => new(
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "HashExamples"), "*.jsonld")
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Events_without_eventID_get_the_reference_hash(string example)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "HashExamples");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, example + ".jsonld")));
        var expected = File.ReadAllLines(Path.Combine(dir, example + ".hashes")).Where(l => l.Length > 0).ToArray();

        var result = EpcisJson.ParseDocument(doc.RootElement);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        Assert.Equal(expected.Length, result.Events.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            using var stored = JsonDocument.Parse(result.Events[i].ToJson());
            Assert.True(expected[i] == result.Events[i].EventId,
                $"event {i}: expected {expected[i]}, got {result.Events[i].EventId}\npre-hash: {EventHash.PreHash(stored.RootElement)}");
            // The stored canonical JSON hashes the same as the captured form.
            Assert.Equal(expected[i], EventHash.Compute(stored.RootElement));
        }
    }

    [Fact]
    public void Hash_ignores_field_order_list_order_and_time_zone_spelling()
    {
        const string a = """
            {"type":"ObjectEvent","eventTime":"2026-05-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00","action":"OBSERVE",
             "epcList":["urn:epc:id:sgtin:0614141.107346.2017","urn:epc:id:sgtin:0614141.107346.2018"],"bizStep":"shipping"}
            """;
        const string b = """
            {"bizStep":"https://ref.gs1.org/cbv/BizStep-shipping","action":"OBSERVE","eventTimeZoneOffset":"+07:00",
             "epcList":["https://example.com/01/10614141073464/21/2018","urn:epc:id:sgtin:0614141.107346.2017"],
             "eventTime":"2026-05-01T01:00:00.000Z","type":"ObjectEvent"}
            """;
        Assert.Equal(Hash(a), Hash(b));
        Assert.StartsWith("ni:///sha-256;", Hash(a));
        Assert.EndsWith("?ver=CBV2.0", Hash(a));
    }

    [Fact]
    public void Hash_changes_when_a_field_changes()
    {
        const string a = """{"type":"ObjectEvent","eventTime":"2026-05-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00","action":"OBSERVE","epcList":["urn:epc:id:sgtin:0614141.107346.2017"]}""";
        var b = a.Replace("OBSERVE", "ADD");
        Assert.NotEqual(Hash(a), Hash(b));
    }

    [Fact]
    public void Pre_hash_rounds_timestamps_to_utc_milliseconds()
    {
        const string json = """{"type":"ObjectEvent","eventTime":"2026-05-01T08:00:00.1235+07:00","eventTimeZoneOffset":"+07:00"}""";
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("eventType=ObjectEventeventTime=2026-05-01T01:00:00.124ZeventTimeZoneOffset=+07:00", EventHash.PreHash(doc.RootElement));
    }

    private static string Hash(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return EventHash.Compute(doc.RootElement);
    }
}
