namespace Traceability.Domain.Epcis;

/// <summary>A quantity of a class of objects (quantityList and its child/input/output variants).</summary>
public sealed record QuantityElement(string EpcClass, decimal? Quantity = null, string? Uom = null);

/// <summary>An entry of bizTransactionList, sourceList or destinationList; Type is a bare CBV term or a URI.</summary>
public sealed record TypedValue(string? Type, string Value);

/// <summary>
/// One EPCIS 2.0 event (ObjectEvent, AggregationEvent, TransformationEvent, AssociationEvent,
/// TransactionEvent). Built by <see cref="EpcisJson"/>; identifiers are kept as captured (URN or
/// Digital Link) and <see cref="Keys"/> gives their canonical forms.
/// </summary>
public sealed class EpcisEvent
{
    public static IReadOnlyList<string> EventTypes { get; } =
        ["ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent", "TransactionEvent"];

    public required string Type { get; init; }
    /// <summary>As captured, or the CBV 2.0 event hash when the capture had none.</summary>
    public required string EventId { get; set; }
    public required DateTimeOffset EventTime { get; init; }
    public required string EventTimeZoneOffset { get; init; }
    /// <summary>Set by the repository that stores the event.</summary>
    public DateTimeOffset? RecordTime { get; set; }

    public string? Action { get; init; }
    /// <summary>Bare CBV term (`shipping`), or the full URI of a custom business step.</summary>
    public string? BizStep { get; init; }
    /// <summary>Bare CBV term (`in_transit`), or the full URI of a custom disposition.</summary>
    public string? Disposition { get; init; }
    public string? ReadPoint { get; init; }
    public string? BizLocation { get; init; }

    public IReadOnlyList<string> EpcList { get; init; } = [];
    public string? ParentId { get; init; }
    public IReadOnlyList<string> ChildEpcs { get; init; } = [];
    public IReadOnlyList<QuantityElement> QuantityList { get; init; } = [];
    public IReadOnlyList<QuantityElement> ChildQuantityList { get; init; } = [];
    public IReadOnlyList<string> InputEpcList { get; init; } = [];
    public IReadOnlyList<QuantityElement> InputQuantityList { get; init; } = [];
    public IReadOnlyList<string> OutputEpcList { get; init; } = [];
    public IReadOnlyList<QuantityElement> OutputQuantityList { get; init; } = [];
    public string? TransformationId { get; init; }

    public IReadOnlyList<TypedValue> BizTransactionList { get; init; } = [];
    public IReadOnlyList<TypedValue> SourceList { get; init; } = [];
    public IReadOnlyList<TypedValue> DestinationList { get; init; } = [];

    public JsonObject? Ilmd { get; init; }
    public JsonArray? SensorElementList { get; init; }
    public JsonNode? CertificationInfo { get; init; }
    public JsonObject? PersistentDisposition { get; init; }
    public JsonObject? ErrorDeclaration { get; init; }
    /// <summary>User extension fields (names with a namespace prefix such as `ex:temperature`), as captured.</summary>
    public JsonObject Extensions { get; init; } = [];
    /// <summary>Namespace prefixes (from the JSON-LD @context) that extension names and ILMD use.</summary>
    public IReadOnlyDictionary<string, string> Namespaces { get; init; } = new Dictionary<string, string>();

    /// <summary>The identifiers its document's parser already read (null for events built in code or from XML).</summary>
    internal EpcIdMemo? ParsedIds { get; init; }

    private IReadOnlyList<EventKey>? _keys;
    private string? _readPointKey, _bizLocationKey;

    /// <summary>Canonical identifiers with their roles, without duplicates (drives MATCH_* queries).</summary>
    public IReadOnlyList<EventKey> Keys => _keys ??= BuildKeys();

    /// <summary>Every GTIN in the what-dimension (EPCs, classes, parent, children, inputs, outputs).</summary>
    public IEnumerable<Gtin> Gtins => Identifiers().Select(i => i.Id.Gtin).OfType<Gtin>().Distinct();

    /// <summary>The read point as a canonical key (`414/{gln}[/254/{ext}]`), or the URI itself when not a GS1 key.</summary>
    public string? ReadPointKey => ReadPoint is null ? null : _readPointKey ??= LocationKey(ReadPoint);

    /// <summary>The business location as a canonical key, like <see cref="ReadPointKey"/>.</summary>
    public string? BizLocationKey => BizLocation is null ? null : _bizLocationKey ??= LocationKey(BizLocation);

    private string LocationKey(string uri) => ParsedIds?.LocationKey(uri) ?? EpcIdentifier.ToLocationKey(uri);

    public string ToJson() => EpcisEventWriter.Write(this);

    private IEnumerable<(EpcId Id, EventKeyRole Role, EventKeyRole LotRole)> Identifiers()
    {
        foreach (var e in EpcList) yield return (Id(e), EventKeyRole.Epc, EventKeyRole.Lot);
        foreach (var e in ChildEpcs) yield return (Id(e), EventKeyRole.Epc, EventKeyRole.Lot);
        if (ParentId is not null) yield return (Id(ParentId), EventKeyRole.Parent, EventKeyRole.Lot);
        foreach (var q in QuantityList) yield return (Id(q.EpcClass), EventKeyRole.Class, EventKeyRole.Lot);
        foreach (var q in ChildQuantityList) yield return (Id(q.EpcClass), EventKeyRole.Class, EventKeyRole.Lot);
        foreach (var e in InputEpcList) yield return (Id(e), EventKeyRole.Input, EventKeyRole.InputLot);
        foreach (var q in InputQuantityList) yield return (Id(q.EpcClass), EventKeyRole.InputClass, EventKeyRole.InputLot);
        foreach (var e in OutputEpcList) yield return (Id(e), EventKeyRole.Output, EventKeyRole.OutputLot);
        foreach (var q in OutputQuantityList) yield return (Id(q.EpcClass), EventKeyRole.OutputClass, EventKeyRole.OutputLot);
    }

    // The parser only admits identifiers that convert; the fallback keeps hand-built events usable.
    private EpcId Id(string value)
    {
        var ok = ParsedIds is { } memo ? memo.TryParse(value, out var id, out _) : EpcIdentifier.TryParse(value, out id, out _);
        return ok ? id : new EpcId(value, null, null, value);
    }

    private List<EventKey> BuildKeys()
    {
        var keys = new List<EventKey>();
        var seen = new HashSet<EventKey>();
        foreach (var (id, role, lotRole) in Identifiers())
        {
            if (seen.Add(new EventKey(id.Key, role))) keys.Add(new EventKey(id.Key, role));
            if (id.LotKey is not null && seen.Add(new EventKey(id.LotKey, lotRole))) keys.Add(new EventKey(id.LotKey, lotRole));
        }
        return keys;
    }
}
