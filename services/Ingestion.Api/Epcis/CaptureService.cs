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
        var rejected = new ValidationErrors();
        foreach (var (path, messages) in parsed.Errors) foreach (var m in messages) rejected.Add(path, m);
        var candidates = Enumerable.Range(0, parsed.Events.Count).Select(i => new Candidate(parsed.PositionOf(i), parsed.Events[i]))
            .Where(c => !HasErrors(rejected, c.Position, listName)).ToList();

        // Each check names the events it refuses; rollback stops at the first check that refuses any,
        // proceed drops them and goes on with the rest.
        foreach (var check in new Func<IReadOnlyList<Candidate>, Task<CheckResult>>[]
                 {
                     list => Task.FromResult(CheckTimes(list, listName, now)),
                     list => CheckOwnershipAsync(producerId, list, listName, ct),
                     list => CheckChangedDuplicatesAsync(list, listName, ct),
                 })
        {
            var result = await check(candidates);
            if (result.Errors.IsValid && result.Forbidden.IsValid) continue;
            if (!proceed)
            {
                if (!result.Forbidden.IsValid) return Outcome<Captured>.Forbidden(result.Forbidden.First().Value[0]);
                return listName is null && result.Conflict is not null ? Outcome<Captured>.Conflict(result.Conflict) : Outcome<Captured>.Invalid(result.Errors);
            }
            foreach (var (path, messages) in result.Errors.Concat(result.Forbidden)) foreach (var m in messages) rejected.Add(path, m);
            candidates = [.. candidates.Where(c => !HasErrors(rejected, c.Position, listName))];
        }

        var captureId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var traceParent = CatalogService.TraceParent();
        var stored = new List<StoredEvent>(candidates.Count);
        var announce = new List<OutboxMessage>(candidates.Count);
        foreach (var (_, e) in candidates)
        {
            e.RecordTime = now;
            stored.Add(new StoredEvent(e.EventId, producerId, e.Type, e.EventTime, now, e.Action, e.BizStep, e.Disposition,
                e.ReadPointKey, e.BizLocationKey, e.ToJson(), e.Keys, captureId));
            var lot = e.Keys.FirstOrDefault(k => k.Role is EventKeyRole.Lot or EventKeyRole.OutputLot).Value;
            announce.Add(new OutboxMessage(OutboxKind.Event, e.EventId, lot is null ? null : OutboxKind.Lot, lot, traceParent));
        }
        var errors = rejected.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}")).ToList();
        var job = new CaptureJob(captureId, producerId, false, errors.Count == 0, now, now, errors, stored.Count, 0, proceed ? CaptureJob.Proceed : CaptureJob.Rollback);
        var result2 = await events.CaptureAsync(job, stored, announce, ct);
        telemetry.EventsCaptured.Add(result2.Stored);
        foreach (var lot in stored.SelectMany(e => e.Keys).Where(k => k.Role is EventKeyRole.Lot or EventKeyRole.InputLot or EventKeyRole.OutputLot)
                     .Select(k => k.Value).Distinct())
            foreach (var notifier in notifiers) notifier.Changed(lot);
        activity?.SetTag("epcis.events", stored.Count);
        activity?.SetTag("epcis.duplicates", result2.Duplicates);
        activity?.SetTag("epcis.rejected", eventCount - stored.Count);
        // eventCount counts the events stored or recognised as duplicates; duplicateCount those of them already stored.
        return Outcome<Captured>.Ok(new Captured(job with { DuplicateCount = result2.Duplicates },
            stored.ConvertAll(e => e.EventId)));
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

    private static bool HasErrors(ValidationErrors errors, int position, string? listName) =>
        listName is not null && errors.Keys.Any(k => EventPosition(k, listName) == position);

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
        foreach (var (position, e) in list)
        {
            var path = PathOf(position, listName);
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

    /// <summary>
    /// An eventID already stored is a duplicate only if the event is the same (a retry after a lost
    /// answer): the same eventID with other content would silently keep the old one, so the capture
    /// fails naming it. Corrections go through an error declaration, never by overwriting.
    /// </summary>
    private async Task<CheckResult> CheckChangedDuplicatesAsync(IReadOnlyList<Candidate> list, string? listName, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var existing = (await events.GetEventsAsync([.. list.Select(c => c.Event.EventId)], ct)).ToDictionary(e => e.EventId);
        if (existing.Count == 0) return new CheckResult(errors);
        string? conflict = null;
        foreach (var (position, e) in list)
        {
            if (!existing.TryGetValue(e.EventId, out var stored)) continue;
            if (JsonNode.DeepEquals(WithoutRecordTime(stored.Json), WithoutRecordTime(e.ToJson()))) continue;
            conflict = $"Event '{e.EventId}' is already stored with different content. An event cannot be changed: " +
                       "capture an error declaration (errorDeclaration) for it, or give the new event its own eventID.";
            errors.Add(listName is null ? "eventID" : $"{listName}[{position}].eventID", conflict);
        }
        return new CheckResult(errors, new ValidationErrors(), conflict);
    }

    /// <summary>The event as the producer sent it: recordTime is the repository's, set at each capture.</summary>
    private static JsonNode? WithoutRecordTime(string json)
    {
        var node = JsonNode.Parse(json);
        node?.AsObject().Remove("recordTime");
        return node;
    }

    /// <summary>The GTIN of a key <c>01/{gtin14}/…</c>.</summary>
    private static bool TryGtinOf(string key, out string gtin)
    {
        gtin = key.Length >= 17 && key.StartsWith("01/", StringComparison.Ordinal) ? key.Substring(3, 14) : "";
        return gtin.Length == 14;
    }
}
