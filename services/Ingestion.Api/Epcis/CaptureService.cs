using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Traceability.Domain.Epcis;
using Traceability.Domain.Gs1;
using Traceability.Ingestion.Api.Catalog;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;

namespace Traceability.Ingestion.Api.Epcis;

public sealed class CaptureOptions
{
    /// <summary>Largest EPCIS document accepted by POST /epcis/capture (DESIGN §4.4: 10 MB).</summary>
    public long MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most events in one capture; larger documents must be split.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int MaxEventsPerCapture { get; set; } = 10_000;
}

/// <summary>The finished capture job and the eventIDs of the captured events (new or duplicate).</summary>
public sealed record Captured(CaptureJob Job, IReadOnlyList<string> EventIds);

/// <summary>
/// Validates EPCIS events, checks that the producer owns what they are about, and stores them with
/// their outbox rows and the capture job in one transaction. Used by the API, the console and the seeder.
/// </summary>
public sealed class CaptureService(
    ICatalogStore catalog, IEventStore events, TimeProvider time, IOptions<CaptureOptions> options, IngestionTelemetry telemetry,
    IEnumerable<IChangeNotifier> notifiers)
{
    private static readonly EventKeyRole[] OwnRoles =
        [EventKeyRole.Epc, EventKeyRole.Parent, EventKeyRole.Class, EventKeyRole.Output, EventKeyRole.OutputClass];

    /// <summary>
    /// Captures a whole EPCIS document. <see cref="CaptureJob.Rollback"/>: all events or none.
    /// <see cref="CaptureJob.Proceed"/>: the valid events are stored and the job lists every other
    /// event's errors; a document that is wrong as a whole (not an EPCISDocument, no events, too many) is still refused.
    /// </summary>
    public Task<Outcome<Captured>> CaptureDocumentAsync(string producerId, JsonElement document, CancellationToken ct,
        string errorBehaviour = CaptureJob.Rollback) =>
        CaptureAsync(producerId, EpcisJson.ParseDocument(document), "eventList", errorBehaviour, ct);

    /// <summary>Captures one event (POST /epcis/events); error paths are relative to the event.</summary>
    public Task<Outcome<Captured>> CaptureEventAsync(string producerId, JsonElement evt, CancellationToken ct) =>
        CaptureAsync(producerId, EpcisJson.ParseEvent(evt), null, CaptureJob.Rollback, ct);

    /// <summary>Captures events built in code (console, spreadsheet import, demo data).</summary>
    public async Task<Outcome<Captured>> CaptureEventsAsync(string producerId, IReadOnlyList<EpcisEvent> list, CancellationToken ct) =>
        await CaptureAsync(producerId, new EpcisParseResult(list, new Dictionary<string, string[]>()), "eventList", CaptureJob.Rollback, ct);

    /// <summary>An event of the document with its index in the eventList (error paths name that index).</summary>
    private sealed record Candidate(int Position, EpcisEvent Event);

    private async Task<Outcome<Captured>> CaptureAsync(string producerId, EpcisParseResult parsed, string? listName,
        string errorBehaviour, CancellationToken ct)
    {
        using var activity = IngestionTelemetry.Source.StartActivity("epcis.capture");
        var proceed = errorBehaviour == CaptureJob.Proceed && listName is not null;
        var eventCount = parsed.Events.Count + parsed.Errors.Keys.Select(k => EventPosition(k, listName)).Where(p => p >= 0)
            .Except(parsed.Positions ?? []).Distinct().Count();
        if (!parsed.IsValid && !(proceed && parsed.Errors.Keys.All(k => EventPosition(k, listName) >= 0)))
            return Outcome<Captured>.Invalid(parsed.Errors);
        if (eventCount == 0)
            return Outcome<Captured>.Invalid(listName ?? "$", "The document contains no event.");
        if (eventCount > options.Value.MaxEventsPerCapture)
            return Outcome<Captured>.Invalid(listName!,
                $"A capture may hold at most {options.Value.MaxEventsPerCapture} events; split the document.");

        var now = time.GetUtcNow();
        // The refused events' errors, and their positions kept beside them so that filtering the
        // candidates is a set lookup, not a scan of every error path for every event.
        var rejected = new ValidationErrors();
        var refused = new HashSet<int>();
        void Reject(IEnumerable<KeyValuePair<string, string[]>> errors)
        {
            foreach (var (path, messages) in errors)
            {
                foreach (var m in messages) rejected.Add(path, m);
                refused.Add(EventPosition(path, listName));
            }
        }
        Reject(parsed.Errors);
        var candidates = Enumerable.Range(0, parsed.Events.Count).Select(i => new Candidate(parsed.PositionOf(i), parsed.Events[i]))
            .Where(c => !refused.Contains(c.Position)).ToList();

        // Each check names the events it refuses; rollback stops at the first check that refuses any,
        // proceed drops them and goes on with the rest.
        foreach (var check in new Func<IReadOnlyList<Candidate>, Task<CheckResult>>[]
                 {
                     list => Task.FromResult(CheckTimes(list, listName, now)),
                     list => CheckOwnershipAsync(producerId, list, listName, ct),
                     list => CheckChangedDuplicatesAsync(list, listName, ct),
                     list => CheckDeclarationsAsync(producerId, list, listName, ct),
                 })
        {
            var result = await check(candidates);
            if (result.Errors.IsValid && result.Forbidden.IsValid) continue;
            if (!proceed)
            {
                if (!result.Forbidden.IsValid) return Outcome<Captured>.Forbidden(result.Forbidden.First().Value[0]);
                return listName is null && result.Conflict is not null ? Outcome<Captured>.Conflict(result.Conflict) : Outcome<Captured>.Invalid(result.Errors);
            }
            Reject(result.Errors.Concat(result.Forbidden));
            candidates = [.. candidates.Where(c => !refused.Contains(c.Position))];
        }

        var captureId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var traceParent = CatalogService.TraceParent();
        var stored = new List<StoredEvent>(candidates.Count);
        var declarations = new List<StoredDeclaration>();
        var announce = new List<OutboxMessage>(candidates.Count);
        var lots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, e) in candidates)
        {
            e.RecordTime = now;
            var lot = e.Keys.FirstOrDefault(k => k.Role is EventKeyRole.Lot or EventKeyRole.OutputLot).Value;
            var message = new OutboxMessage(OutboxKind.Event, e.EventId, lot is null ? null : OutboxKind.Lot, lot, traceParent);
            foreach (var k in e.Keys.Where(k => k.Role is EventKeyRole.Lot or EventKeyRole.InputLot or EventKeyRole.OutputLot)) lots.Add(k.Value);
            if (e.ErrorDeclaration is { } node)
            {
                // Checked by CheckDeclarationsAsync: the event is stored (or earlier in this capture) and the declaration reads.
                ErrorDeclaration.TryRead(node, out var declared, out _, out _);
                declarations.Add(new StoredDeclaration(e.EventId, producerId, declared!.DeclarationTime, declared.Reason,
                    declared.CorrectiveEventIds, node.ToJsonString(), e.ToJson(), now, captureId, message));
                continue;
            }
            stored.Add(new StoredEvent(e.EventId, producerId, e.Type, e.EventTime, now, e.Action, e.BizStep, e.Disposition,
                e.ReadPointKey, e.BizLocationKey, e.ToJson(), e.Keys, captureId));
            announce.Add(message);
        }
        var errors = rejected.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}")).ToList();
        var job = new CaptureJob(captureId, producerId, false, errors.Count == 0, now, now, errors, stored.Count + declarations.Count, 0,
            proceed ? CaptureJob.Proceed : CaptureJob.Rollback);
        var result2 = declarations.Count == 0
            ? await events.CaptureAsync(job, stored, announce, ct)
            : await events.CaptureAsync(job, stored, declarations, announce, ct);
        telemetry.EventsCaptured.Add(result2.Stored);
        foreach (var lot in lots)
            foreach (var notifier in notifiers) notifier.Changed(lot);
        activity?.SetTag("epcis.events", stored.Count);
        activity?.SetTag("epcis.declarations", declarations.Count);
        activity?.SetTag("epcis.duplicates", result2.Duplicates);
        activity?.SetTag("epcis.rejected", eventCount - stored.Count);
        // eventCount counts the events stored or recognised as duplicates; duplicateCount those of them already stored.
        return Outcome<Captured>.Ok(new Captured(job with { DuplicateCount = result2.Duplicates },
            [.. candidates.Select(c => c.Event.EventId)]));
    }

    /// <summary>What a check refused: errors by path, events about another producer's products (403 under rollback), a changed duplicate (409 for one event).</summary>
    private sealed record CheckResult(ValidationErrors Errors, ValidationErrors Forbidden, string? Conflict = null)
    {
        public CheckResult(ValidationErrors errors) : this(errors, new ValidationErrors()) { }
    }

    private static string PathOf(int position, string? listName) => listName is null ? "$" : $"{listName}[{position}]";

    /// <summary>The eventList index an error path names (<c>eventList[3].eventTime</c> → 3), or -1 for a document-level path.</summary>
    private static int EventPosition(string path, string? listName)
    {
        if (listName is null || !path.StartsWith(listName + "[", StringComparison.Ordinal)) return -1;
        var close = path.IndexOf(']', listName.Length);
        return close > 0 && int.TryParse(path.AsSpan(listName.Length + 1, close - listName.Length - 1), out var i) ? i : -1;
    }

    /// <summary>Every time of every event inside <see cref="EventTimeWindow"/>, or the paths of those that are not.</summary>
    private static CheckResult CheckTimes(IReadOnlyList<Candidate> list, string? listName, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        foreach (var (position, e) in list)
            foreach (var (path, message) in EventTimeWindow.Check(e, now))
                errors.Add(listName is null ? path : $"{listName}[{position}].{path}", message);
        return new CheckResult(errors);
    }

    /// <summary>
    /// A producer may write only about its own products: every GTIN and lot in the what-dimension
    /// (and a transformation's outputs) must be registered by it. Inputs of a transformation may be
    /// anyone's, which is how a processor links to its suppliers' lots.
    /// </summary>
    private async Task<CheckResult> CheckOwnershipAsync(string producerId, IReadOnlyList<Candidate> list, string? listName, CancellationToken ct)
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
        return new CheckResult(errors, foreign);
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

    /// <summary>
    /// An eventID already stored is a duplicate only if the event is the same (a retry after a lost
    /// answer): the same eventID with other content would silently keep the old one, so the capture
    /// fails naming it. Corrections go through an error declaration, never by overwriting.
    /// </summary>
    private async Task<CheckResult> CheckChangedDuplicatesAsync(IReadOnlyList<Candidate> list, string? listName, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        list = [.. list.Where(c => c.Event.ErrorDeclaration is null)];
        if (list.Count == 0) return new CheckResult(errors);
        var existing = (await events.GetEventsAsync([.. list.Select(c => c.Event.EventId)], ct)).ToDictionary(e => e.EventId);
        if (existing.Count == 0) return new CheckResult(errors);
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
        return new CheckResult(errors, new ValidationErrors(), conflict);
    }

    /// <summary>The event as the producer sent it: recordTime is the repository's, set at each capture.</summary>
    private static JsonObject? WithoutRecordTime(string json, params string[] more)
    {
        var node = JsonNode.Parse(json) as JsonObject;
        node?.Remove("recordTime");
        foreach (var name in more) node?.Remove(name);
        return node;
    }

    /// <summary>
    /// An event with <c>errorDeclaration</c> is an error declaration (EPCIS 2.0 §7.4.1.5): the event
    /// stored under its eventID, repeated. The event must be stored (or earlier in this capture) and be
    /// this producer's; its content, but for errorDeclaration, must be the stored one's. The same
    /// declaration again is a duplicate; another declaration for a declared event is refused.
    /// </summary>
    private async Task<CheckResult> CheckDeclarationsAsync(string producerId, IReadOnlyList<Candidate> list, string? listName, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var foreign = new ValidationErrors();
        var declarations = list.Where(c => c.Event.ErrorDeclaration is not null).ToList();
        if (declarations.Count == 0) return new CheckResult(errors);
        var existing = (await events.GetEventsAsync([.. declarations.Select(c => c.Event.EventId).Distinct()], ct)).ToDictionary(e => e.EventId);
        var inCapture = list.Where(c => c.Event.ErrorDeclaration is null).GroupBy(c => c.Event.EventId).ToDictionary(g => g.Key, g => g.First().Event);
        string? conflict = null;
        string Field(int position, string field) => listName is null ? field : $"{listName}[{position}].{field}";
        foreach (var (position, e) in declarations)
        {
            var path = PathOf(position, listName);
            if (!ErrorDeclaration.TryRead(e.ErrorDeclaration!, out _, out var errorPath, out var error))
            {
                errors.Add(Field(position, errorPath), error);
                continue;
            }
            string original;
            if (existing.TryGetValue(e.EventId, out var stored))
            {
                if (stored.ProducerId != producerId)
                {
                    foreign.Add(path, $"Event {path} declares an error in event '{e.EventId}', which another producer captured: only its producer may correct it.");
                    continue;
                }
                original = stored.Json;
            }
            else if (inCapture.TryGetValue(e.EventId, out var earlier)) original = earlier.ToJson();
            else
            {
                errors.Add(Field(position, "eventID"),
                    $"Event {path} is an error declaration (errorDeclaration) for event '{e.EventId}', which is not stored. " +
                    "An error declaration repeats a stored event with its eventID: capture the event first, or leave errorDeclaration out of a new event.");
                continue;
            }
            var was = WithoutRecordTime(original)!;
            var now = WithoutRecordTime(e.ToJson())!;
            if (was.ContainsKey("errorDeclaration"))
            {
                if (JsonNode.DeepEquals(was["errorDeclaration"], now["errorDeclaration"])) continue; // the same declaration again: a duplicate
                conflict = $"Event '{e.EventId}' has an error declaration already, with other content; a declaration cannot be changed. " +
                           "Correct further with new corrective events.";
                errors.Add(Field(position, "errorDeclaration"), conflict);
                continue;
            }
            foreach (var (field, message) in Differences(was, now))
            {
                errors.Add(Field(position, field),
                    $"An error declaration must repeat event '{e.EventId}' as stored, with only errorDeclaration added; {field} {message}");
            }
        }
        return new CheckResult(errors, foreign, conflict);
    }

    /// <summary>The top-level fields in which a declaration differs from the stored event (errorDeclaration and recordTime aside).</summary>
    private static IEnumerable<(string Field, string Message)> Differences(JsonObject stored, JsonObject declared)
    {
        static string Show(JsonNode? n)
        {
            var text = n?.ToJsonString() ?? "absent";
            return text.Length > 120 ? text[..117] + "..." : text;
        }
        var storedContext = stored["@context"];
        var declaredContext = declared["@context"];
        foreach (var name in stored.Select(p => p.Key).Union(declared.Select(p => p.Key)).Where(n => n is not ("errorDeclaration" or "@context")))
        {
            var a = stored[name];
            var b = declared[name];
            if (!stored.ContainsKey(name)) yield return (name, $"is not in the stored event (declared: {Show(b)}).");
            else if (!declared.ContainsKey(name)) yield return (name, $"is missing (stored: {Show(a)}).");
            else if (!JsonNode.DeepEquals(a, b)) yield return (name, $"differs (stored: {Show(a)}, declared: {Show(b)}).");
        }
        // The namespace prefixes the stored event uses must mean the same; the declaration may add its own (for its extensions).
        if (storedContext is JsonArray sc && sc.OfType<JsonObject>().SelectMany(o => o).Any(p =>
                !(declaredContext is JsonArray dc && dc.OfType<JsonObject>().Any(o => o.TryGetPropertyValue(p.Key, out var v) && JsonNode.DeepEquals(v, p.Value)))))
            yield return ("@context", $"names another namespace for a prefix of the stored event (stored: {Show(storedContext)}, declared: {Show(declaredContext)}).");
    }

    /// <summary>The GTIN of a key <c>01/{gtin14}/…</c>.</summary>
    private static bool TryGtinOf(string key, out string gtin)
    {
        gtin = key.Length >= 17 && key.StartsWith("01/", StringComparison.Ordinal) ? key.Substring(3, 14) : "";
        return gtin.Length == 14;
    }
}
