using Traceability.Domain.DigitalLinks;
using Traceability.Domain.Epcis;

namespace Traceability.Security.Tests;

/// <summary>
/// 100,000 random and mutated inputs per public parser: a parser may say no, but nothing escapes.
/// Seeded, so a failure is reproducible: the message names the input.
/// </summary>
public sealed class FuzzTests
{
    private const int Inputs = 100_000;
    private const string LinkAlphabet = "0123456789/01/10/21/17?=&%:.-_~ABCZabcz#+ é\u0000\u00ff\ud83c";

    private static readonly string[] ValidLinks =
    [
        "https://id.gs1.org/01/08936001000010/10/CSH-2610-01",
        "/01/09506000134352/21/1234?17=261231",
        "http://127.0.0.1:8080/01/8936001000010/10/A%2FB/21/x",
        "https://example.com/shop/01/09506000134352",
    ];

    [Fact]
    public void Digital_link_parser_survives_random_and_mutated_input()
    {
        var random = new Random(20261123);
        var accepted = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = i % 2 == 0 ? RandomText(random, LinkAlphabet, 60) : Mutate(random, ValidLinks[random.Next(ValidLinks.Length)]);
            try
            {
                if (DigitalLink.TryParse(input, out var link, out _))
                {
                    accepted++;
                    _ = link.Path;
                    _ = link.ToUri("https://tx.example.vn");
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"DigitalLink.TryParse threw {e.GetType().Name} for {JsonSerializer.Serialize(input)}: {e.Message}");
            }
        }
        // Mutations keep some links valid, so the accepting path was exercised too.
        Assert.InRange(accepted, 1, Inputs - 1);
    }

    private static readonly string[] ValidElementStrings =
    [
        "(01)08936001000010(17)271231(10)CSH-2610-01",
        "]d20108936001000010172712311" + "0CSH01\u001d2177",
        "(01)09506000134352(21)1234",
        "08936001000010",
        "]Q3010893600100001010ABC",
    ];

    [Fact]
    public void Scanned_code_parser_survives_random_and_mutated_element_strings()
    {
        var random = new Random(4242);
        var accepted = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = i % 2 == 0
                ? RandomText(random, "()0123456789]dQC\u001dABCxyz-/%+", 70)
                : Mutate(random, ValidElementStrings[random.Next(ValidElementStrings.Length)]);
            try
            {
                if (Traceability.Domain.DigitalLinks.ScannedCode.TryParse(input, out _, out _)) accepted++;
            }
            catch (Exception e)
            {
                Assert.Fail($"ScannedCode.TryParse threw {e.GetType().Name} for {JsonSerializer.Serialize(input)}: {e.Message}");
            }
        }
        Assert.InRange(accepted, 1, Inputs - 1);
    }

    [Fact]
    public void Epcis_document_parser_survives_random_bytes_and_structural_mutations()
    {
        var random = new Random(11232026);
        var seed = JsonNode.Parse(SeedDocument)!;
        var parsed = 0;
        for (var i = 0; i < Inputs; i++)
        {
            string text;
            if (i % 10 == 0) text = RandomText(random, "{}[]\":,0123456789aetruflsn-.eE \\", 80);
            else if (i % 10 == 1) text = Mutate(random, SeedDocument);
            else
            {
                var doc = seed.DeepClone();
                for (var m = random.Next(1, 4); m > 0; m--) MutateTree(random, doc);
                text = doc.ToJsonString();
            }
            JsonDocument json;
            try { json = JsonDocument.Parse(text); }
            catch (JsonException) { continue; } // the endpoint answers 400 before the parser runs
            using (json)
            {
                try
                {
                    _ = EpcisJson.ParseDocument(json.RootElement);
                    parsed++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"EpcisJson.ParseDocument threw {e.GetType().Name} for {text}: {e.Message}");
                }
            }
        }
        Assert.True(parsed > Inputs / 2, $"only {parsed} inputs reached the parser");
    }

    internal static string RandomText(Random random, string alphabet, int maxLength)
    {
        var chars = new char[random.Next(maxLength)];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }

    /// <summary>Byte-level mutations: flip, insert, delete, duplicate a slice.</summary>
    private static string Mutate(Random random, string text)
    {
        var sb = new StringBuilder(text);
        for (var n = random.Next(1, 4); n > 0 && sb.Length > 0; n--)
        {
            var at = random.Next(sb.Length);
            switch (random.Next(4))
            {
                case 0: sb[at] = (char)random.Next(0x20, 0x7f); break;
                case 1: sb.Insert(at, (char)random.Next(0, 0x3000)); break;
                case 2: sb.Remove(at, Math.Min(random.Next(1, 8), sb.Length - at)); break;
                default: sb.Insert(at, sb.ToString(at, Math.Min(random.Next(1, 12), sb.Length - at))); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Replaces, removes or retypes one node anywhere in the document.</summary>
    internal static void MutateTree(Random random, JsonNode root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        var parent = target.Parent;
        if (parent is null) return;
        JsonNode? replacement = random.Next(9) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(-5, 5)),
            2 => JsonValue.Create(RandomText(random, "urn:epc:id:sgtin:0123456789./%-_ABCxyz", 30)),
            3 => new JsonArray(),
            4 => new JsonObject(),
            5 => JsonValue.Create(true),
            6 => JsonValue.Create(1e308),
            7 => JsonValue.Create(new string('9', random.Next(1, 400))),
            _ => JsonValue.Create("2026-13-45T25:61:61+99:99"),
        };
        switch (parent)
        {
            case JsonObject obj:
                var name = obj.First(p => ReferenceEquals(p.Value, target)).Key;
                if (random.Next(4) == 0) obj.Remove(name); else obj[name] = replacement;
                break;
            case JsonArray array:
                var index = array.IndexOf(target);
                if (random.Next(4) == 0) array.RemoveAt(index); else array[index] = replacement;
                break;
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        if (node is JsonObject obj) foreach (var (_, v) in obj) { if (v is not null) Collect(v, into); }
        else if (node is JsonArray arr) foreach (var v in arr) { if (v is not null) Collect(v, into); }
    }

    private const string SeedDocument = """
    {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"ex":"https://example.vn/"}],
     "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z",
     "epcisBody":{"eventList":[
      {"type":"ObjectEvent","eventTime":"2026-10-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00","action":"ADD",
       "bizStep":"commissioning","disposition":"active","epcList":["urn:epc:id:sgtin:8936001.000001.1001"],
       "readPoint":{"id":"urn:epc:id:sgln:8936001.00001.0"},"bizLocation":{"id":"https://id.gs1.org/414/8936001000027"},
       "quantityList":[{"epcClass":"https://id.gs1.org/01/08936001000010/10/CSH-01","quantity":12.5,"uom":"KGM"}],
       "ilmd":{"cbvmda:itemExpirationDate":"2026-12-31","cbvmda:lotNumber":"CSH-01"},
       "bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:8936001000027:1234"}],
       "sourceList":[{"type":"owning_party","source":"urn:epc:id:pgln:8936001.00001"}],
       "sensorElementList":[{"sensorMetadata":{"time":"2026-10-01T08:00:00Z"},"sensorReport":[{"type":"Temperature","value":4.5,"uom":"CEL"}]}],
       "ex:note":"Vườn cam"},
      {"type":"AggregationEvent","eventID":"urn:uuid:6f0b8a57-7f8e-4b36-9c1e-2a8a1d4f0c11","eventTime":"2026-10-02T08:00:00Z",
       "eventTimeZoneOffset":"+00:00","action":"ADD","parentID":"urn:epc:id:sscc:8936001.0000000001",
       "childEPCs":["urn:epc:id:sgtin:8936001.000001.1001"],"bizStep":"packing"},
      {"type":"TransformationEvent","eventTime":"2026-10-03T08:00:00Z","eventTimeZoneOffset":"+07:00",
       "inputQuantityList":[{"epcClass":"urn:epc:class:lgtin:8936001.000001.CSH-01","quantity":10,"uom":"KGM"}],
       "outputEPCList":["https://id.gs1.org/01/08936001000010/21/77"],"bizStep":"commissioning",
       "errorDeclaration":{"declarationTime":"2026-10-04T00:00:00Z","reason":"incorrect_data"}},
      {"type":"TransactionEvent","eventTime":"2026-10-05T08:00:00Z","eventTimeZoneOffset":"+07:00","action":"ADD",
       "bizTransactionList":[{"bizTransaction":"urn:x"}],"epcList":["urn:epc:id:sgtin:8936001.000001.1002"]},
      {"type":"AssociationEvent","eventTime":"2026-10-06T08:00:00Z","eventTimeZoneOffset":"+07:00","action":"ADD",
       "parentID":"urn:epc:id:grai:8936001.00001.1","childEPCs":["urn:epc:id:sgtin:8936001.000001.1003"]}
     ]}}
    """;
}
