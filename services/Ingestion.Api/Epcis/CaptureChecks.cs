namespace Traceability.Ingestion.Api.Epcis;

/// <summary>An event of the document with its index in the eventList (error paths name that index).</summary>
internal sealed record CaptureCandidate(int Position, EpcisEvent Event);

/// <summary>What a check refused: errors by path, events about another producer's products (403 under rollback), a changed duplicate (409 for one event).</summary>
internal sealed record CaptureCheckResult(ValidationErrors Errors, ValidationErrors Forbidden, string? Conflict = null)
{
    public CaptureCheckResult(ValidationErrors errors) : this(errors, new ValidationErrors()) { }
}

/// <summary>
/// The checks of a capture that need the store: times, ownership, changed duplicates (the EPCIS
/// parser has checked each event on its own before). Each names the events it refuses, so
/// <see cref="CaptureService"/> can stop (rollback) or drop them (proceed).
/// </summary>
internal sealed class CaptureChecks(ICatalogStore catalog, IEventStore events)
{
    private static readonly EventKeyRole[] OwnRoles =
        [EventKeyRole.Epc, EventKeyRole.Parent, EventKeyRole.Class, EventKeyRole.Output, EventKeyRole.OutputClass];

    internal static string PathOf(int position, string? listName) => listName is null ? "$" : $"{listName}[{position}]";

    /// <summary>Every time of every event inside <see cref="EventTimeWindow"/>, or the paths of those that are not.</summary>
    internal static CaptureCheckResult CheckTimes(IReadOnlyList<CaptureCandidate> list, string? listName, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        foreach (var (position, e) in list)
            foreach (var (path, message) in EventTimeWindow.Check(e, now))
                errors.Add(listName is null ? path : $"{listName}[{position}].{path}", message);
        return new CaptureCheckResult(errors);
    }

    /// <summary>
    /// A producer may write only about its own products: every GTIN and lot in the what-dimension
    /// (and a transformation's outputs) must be registered by it. Inputs of a transformation may be
    /// anyone's, which is how a processor links to its suppliers' lots.
    /// </summary>
    public async Task<CaptureCheckResult> CheckOwnershipAsync(string producerId, IReadOnlyList<CaptureCandidate> list, string? listName, CancellationToken ct)
    {
        var products = new Dictionary<string, Product?>();
        var lots = new Dictionary<string, bool>();
        var errors = new ValidationErrors();
        var foreign = new ValidationErrors();
        HashSet<string>? places = null;
        foreach (var (position, e) in list)
        {
            var path = PathOf(position, listName);
            if (e.Keys.Count == 0)
            {
                // A sensor-only event names no object: it is the producer's when it happens at one of its registered locations.
                places ??= await OwnLocationsAsync(producerId, ct);
                if (!(IsOwnPlace(places, e.ReadPointKey) || IsOwnPlace(places, e.BizLocationKey)))
                    foreign.Add(path, $"Event {path} names no object, so its readPoint or bizLocation must be a location you registered " +
                        $"(its GLN, urn:epc:id:sgln:… or https://id.gs1.org/414/…, or urn:x-traceability:loc:{producerId}:{{code}}; " +
                        $"see GET /api/v1/locations); got {e.ReadPoint ?? "no readPoint"} and {e.BizLocation ?? "no bizLocation"}.");
                continue;
            }
            foreach (var key in e.Keys)
            {
                if (!OwnRoles.Contains(key.Role) && key.Role is not (EventKeyRole.Lot or EventKeyRole.OutputLot)) continue;
                if (!TryGtinOf(key.Value, out var gtin)) continue;
                if (!products.TryGetValue(gtin, out var product))
                    products[gtin] = product = await catalog.GetProductAsync(gtin, ct);
                if (product is null)
                {
                    errors.Add(path, $"GTIN {gtin} is not registered; register the product with POST /api/v1/products first.");
                    continue;
                }
                if (product.ProducerId != producerId)
                {
                    foreign.Add(path, $"Event {path} is about GTIN {gtin}, which belongs to another producer.");
                    break;
                }
                if (key.Role is EventKeyRole.Lot or EventKeyRole.OutputLot)
                {
                    if (!lots.TryGetValue(key.Value, out var exists))
                        lots[key.Value] = exists = await catalog.GetLotAsync(gtin, LotKey.LotOf(key.Value), ct) is not null;
                    if (!exists)
                        errors.Add(path, $"Lot {key.Value} is not registered; register it with POST /api/v1/lots first.");
                }
            }
        }
        return new CaptureCheckResult(errors, foreign);
    }

    /// <summary>The producer's locations as events name them: <c>414/{gln}</c> and <c>urn:x-traceability:loc:{producer}:{code}</c>.</summary>
    private async Task<HashSet<string>> OwnLocationsAsync(string producerId, CancellationToken ct)
    {
        var places = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in await catalog.ListLocationsAsync(producerId, ct))
        {
            places.Add(LocationIdentifier.Of(l));
            places.Add($"{LocationIdentifier.PrivatePrefix}{l.ProducerId}:{l.Code}");
        }
        return places;
    }

    /// <summary>A location key (<c>414/{gln}[/254/{ext}]</c> or a URI) that names one of the places; a GLN extension is a spot inside the GLN's place.</summary>
    private static bool IsOwnPlace(HashSet<string> places, string? key) =>
        key is not null && (places.Contains(key) || (key.StartsWith("414/", StringComparison.Ordinal) && key.Length > 17 && places.Contains(key[..17])));

    /// <summary>The GTIN of a key <c>01/{gtin14}/…</c>.</summary>
    private static bool TryGtinOf(string key, out string gtin)
    {
        gtin = key.Length >= 17 && key.StartsWith("01/", StringComparison.Ordinal) ? key.Substring(3, 14) : "";
        return gtin.Length == 14;
    }

    /// <summary>
    /// An eventID already stored is a duplicate only if the event is the same (a retry after a lost
    /// answer): the same eventID with other content would silently keep the old one, so the capture
    /// fails naming it. Corrections go through an error declaration, never by overwriting.
    /// </summary>
    public async Task<CaptureCheckResult> CheckChangedDuplicatesAsync(IReadOnlyList<CaptureCandidate> list, string? listName, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        list = [.. list.Where(c => c.Event.ErrorDeclaration is null)];
        if (list.Count == 0) return new CaptureCheckResult(errors);
        var existing = (await events.GetEventsAsync([.. list.Select(c => c.Event.EventId)], ct)).ToDictionary(e => e.EventId);
        if (existing.Count == 0) return new CaptureCheckResult(errors);
        string? conflict = null;
        foreach (var (position, e) in list)
        {
            if (!existing.TryGetValue(e.EventId, out var stored)) continue;
            // A stored event reads in its declared state: the original resent after its declaration is a duplicate.
            if (JsonNode.DeepEquals(WithoutRecordTime(stored.Json, "errorDeclaration"), WithoutRecordTime(e.ToJson()))) continue;
            conflict = $"Event '{e.EventId}' is already stored with different content. An event cannot be changed: " +
                       "capture an error declaration (errorDeclaration) for it, or give the new event its own eventID.";
            errors.Add(listName is null ? "eventID" : $"{listName}[{position}].eventID", conflict);
        }
        return new CaptureCheckResult(errors, new ValidationErrors(), conflict);
    }

    /// <summary>The event as the producer sent it: recordTime is the repository's, set at each capture.</summary>
    internal static JsonObject? WithoutRecordTime(string json, params string[] more)
    {
        var node = JsonNode.Parse(json) as JsonObject;
        node?.Remove("recordTime");
        foreach (var name in more) node?.Remove(name);
        return node;
    }
}
