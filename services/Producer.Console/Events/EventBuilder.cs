using System.Text.Json.Nodes;

namespace Traceability.ProducerConsole.Events;

/// <summary>A lot and, optionally, how much of it.</summary>
public sealed record LotRef(string Gtin14, string Lot, decimal? Quantity = null, string? Uom = null);

/// <summary>
/// Where a shipment goes, as an entry of the EPCIS destinationList: <c>Type</c> is the CBV
/// source/destination type (<c>location</c> for a place, <c>owning_party</c> for a business).
/// </summary>
public sealed record Destination(string Type, string Id)
{
    public const string LocationType = "location", PartyType = "owning_party";

    public bool IsLocation => Type == LocationType;

    /// <summary>One of the producer's own locations (its event identifier, <c>LocationIdentifier.ForEvent</c>).</summary>
    public static Destination Location(string locationId) => new(LocationType, locationId);

    /// <summary>A receiving partner by its GLN: the party GLN as a GS1 Digital Link (AI 417), as CBV 2.0 names parties.</summary>
    public static Destination Partner(string gln) => new(PartyType, PartyUri(gln));

    public static string PartyUri(string gln) => DigitalLink.CanonicalHost + "/417/" + gln;
}

/// <summary>What a form or a spreadsheet row says about one event, before it becomes EPCIS.</summary>
public sealed record EventDraft(
    LotRef Lot, Step Step, DateTimeOffset Time, string? Location, IReadOnlyList<LotRef> Inputs, string? Note,
    Destination? Destination = null);

/// <summary>
/// Builds EPCIS 2.0 JSON-LD from drafts. The console never stores events itself: the documents
/// go to <c>CaptureService.CaptureDocumentAsync</c>, the same path as <c>POST /epcis/capture</c>.
/// No eventID is set, so the capture assigns the CBV 2.0 event hash: the same row imported twice
/// is the same event and is stored once.
/// </summary>
public static class EventBuilder
{
    /// <summary>Prefix of the console's own extension fields (the optional note).</summary>
    public const string NamespacePrefix = "trc";
    public const string NamespaceUri = "urn:x-traceability:epcis:";
    public const string NoteField = NamespacePrefix + ":note";


    public static string ClassUri(string gtin14, string lot) =>
        new DigitalLink(Gtin.Parse(gtin14), Lot: lot).ToUri(DigitalLink.CanonicalHost);

    public static JsonObject Event(EventDraft d)
    {
        var offset = d.Time.Offset;
        var e = new JsonObject
        {
            ["type"] = d.Step.EventType,
            ["eventTime"] = d.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["eventTimeZoneOffset"] = (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture),
        };
        if (d.Step.Action is { } action) e["action"] = action;
        e["bizStep"] = d.Step.BizStep;
        e["disposition"] = d.Step.Disposition;
        if (d.Location is not null)
        {
            e["readPoint"] = new JsonObject { ["id"] = d.Location };
            e["bizLocation"] = new JsonObject { ["id"] = d.Location };
        }
        if (d.Destination is { } to)
            e["destinationList"] = new JsonArray(new JsonObject { ["type"] = to.Type, ["destination"] = to.Id });
        if (d.Step.IsTransformation)
        {
            e["inputQuantityList"] = new JsonArray(d.Inputs.Select(i => (JsonNode)Quantity(i)).ToArray());
            e["outputQuantityList"] = new JsonArray(Quantity(d.Lot));
        }
        else
        {
            e["quantityList"] = new JsonArray(Quantity(d.Lot));
        }
        if (d.Note is not null) e[NoteField] = d.Note;
        return e;
    }

    private static JsonObject Quantity(LotRef l)
    {
        var q = new JsonObject { ["epcClass"] = ClassUri(l.Gtin14, l.Lot) };
        if (l.Quantity is { } n) q["quantity"] = n;
        if (l.Uom is not null) q["uom"] = l.Uom;
        return q;
    }

    public static JsonObject Document(IEnumerable<JsonObject> events, DateTimeOffset now) => new()
    {
        ["@context"] = new JsonArray(EpcisJson.ContextUri, new JsonObject { [NamespacePrefix] = NamespaceUri }),
        ["type"] = "EPCISDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
        ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray(events.Select(e => (JsonNode)e).ToArray()) },
    };

    /// <summary>
    /// Units a phone user can pick: UN/CEFACT Rec. 20/21 codes (what EPCIS accepts); their names are
    /// page texts (<c>Unit_{code}</c> in ConsoleTexts).
    /// </summary>
    public static IReadOnlyList<string> Units { get; } = ["KGM", "GRM", "TNE", "LTR", "H87", "XBX", "XPK", "XBG", "XCT"];
}
