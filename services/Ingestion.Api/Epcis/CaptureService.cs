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

    /// <summary>Captures a whole EPCIS document (rollback semantics: all events or none).</summary>
    public Task<Outcome<Captured>> CaptureDocumentAsync(string producerId, JsonElement document, CancellationToken ct) =>
        CaptureAsync(producerId, EpcisJson.ParseDocument(document), "eventList", ct);

    /// <summary>Captures one event (POST /epcis/events); error paths are relative to the event.</summary>
    public Task<Outcome<Captured>> CaptureEventAsync(string producerId, JsonElement evt, CancellationToken ct) =>
        CaptureAsync(producerId, EpcisJson.ParseEvent(evt), null, ct);

    /// <summary>Captures events built in code (console, spreadsheet import, demo data).</summary>
    public async Task<Outcome<Captured>> CaptureEventsAsync(string producerId, IReadOnlyList<EpcisEvent> list, CancellationToken ct) =>
        await CaptureAsync(producerId, new EpcisParseResult(list, new Dictionary<string, string[]>()), "eventList", ct);

    private async Task<Outcome<Captured>> CaptureAsync(string producerId, EpcisParseResult parsed, string? listName, CancellationToken ct)
    {
        using var activity = IngestionTelemetry.Source.StartActivity("epcis.capture");
        if (!parsed.IsValid) return Outcome<Captured>.Invalid(parsed.Errors);
        if (parsed.Events.Count == 0)
            return Outcome<Captured>.Invalid(listName ?? "$", "The document contains no event.");
        if (parsed.Events.Count > options.Value.MaxEventsPerCapture)
            return Outcome<Captured>.Invalid(listName!,
                $"A capture may hold at most {options.Value.MaxEventsPerCapture} events; split the document.");

        var now = time.GetUtcNow();
        var outOfWindow = CheckTimes(parsed.Events, listName, now);
        if (outOfWindow is not null) return outOfWindow;

        var ownership = await CheckOwnershipAsync(producerId, parsed.Events, listName, ct);
        if (ownership is not null) return ownership;

        var conflict = await CheckChangedDuplicatesAsync(parsed.Events, listName, ct);
        if (conflict is not null) return conflict;

        var captureId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var traceParent = CatalogService.TraceParent();
        var stored = new List<StoredEvent>(parsed.Events.Count);
        var announce = new List<OutboxMessage>(parsed.Events.Count);
        foreach (var e in parsed.Events)
        {
            e.RecordTime = now;
            stored.Add(new StoredEvent(e.EventId, producerId, e.Type, e.EventTime, now, e.Action, e.BizStep, e.Disposition,
                e.ReadPointKey, e.BizLocationKey, e.ToJson(), e.Keys, captureId));
            var lot = e.Keys.FirstOrDefault(k => k.Role is EventKeyRole.Lot or EventKeyRole.OutputLot).Value;
            announce.Add(new OutboxMessage(OutboxKind.Event, e.EventId, lot is null ? null : OutboxKind.Lot, lot, traceParent));
        }
        var job = new CaptureJob(captureId, producerId, false, true, now, now, [], stored.Count, 0);
        var result = await events.CaptureAsync(job, stored, announce, ct);
        telemetry.EventsCaptured.Add(result.Stored);
        foreach (var lot in stored.SelectMany(e => e.Keys).Where(k => k.Role is EventKeyRole.Lot or EventKeyRole.InputLot or EventKeyRole.OutputLot)
                     .Select(k => k.Value).Distinct())
            foreach (var notifier in notifiers) notifier.Changed(lot);
        activity?.SetTag("epcis.events", stored.Count);
        activity?.SetTag("epcis.duplicates", result.Duplicates);
        // eventCount counts the events of the document; duplicateCount those of them already stored.
        return Outcome<Captured>.Ok(new Captured(job with { DuplicateCount = result.Duplicates },
            stored.ConvertAll(e => e.EventId)));
    }

    /// <summary>Every time of every event inside <see cref="EventTimeWindow"/>, or the paths of those that are not.</summary>
    private static Outcome<Captured>? CheckTimes(IReadOnlyList<EpcisEvent> list, string? listName, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < list.Count; i++)
            foreach (var (path, message) in EventTimeWindow.Check(list[i], now))
                errors.Add(listName is null ? path : $"{listName}[{i}].{path}", message);
        return errors.IsValid ? null : Outcome<Captured>.Invalid(errors);
    }

    /// <summary>
    /// A producer may write only about its own products: every GTIN and lot in the what-dimension
    /// (and a transformation's outputs) must be registered by it. Inputs of a transformation may be
    /// anyone's, which is how a processor links to its suppliers' lots.
    /// </summary>
    private async Task<Outcome<Captured>?> CheckOwnershipAsync(string producerId, IReadOnlyList<EpcisEvent> list, string? listName, CancellationToken ct)
    {
        var products = new Dictionary<string, Product?>();
        var lots = new Dictionary<string, bool>();
        var errors = new ValidationErrors();
        for (var i = 0; i < list.Count; i++)
        {
            var path = listName is null ? "$" : $"{listName}[{i}]";
            foreach (var key in list[i].Keys)
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
                    return Outcome<Captured>.Forbidden(
                        $"Event {path} is about GTIN {gtin}, which belongs to another producer.");
                if (key.Role is EventKeyRole.Lot or EventKeyRole.OutputLot)
                {
                    if (!lots.TryGetValue(key.Value, out var exists))
                        lots[key.Value] = exists = await catalog.GetLotAsync(gtin, LotKey.LotOf(key.Value), ct) is not null;
                    if (!exists)
                        errors.Add(path, $"Lot {key.Value} is not registered; register it with POST /api/v1/lots first.");
                }
            }
        }
        return errors.IsValid ? null : Outcome<Captured>.Invalid(errors);
    }

    /// <summary>
    /// An eventID already stored is a duplicate only if the event is the same (a retry after a lost
    /// answer): the same eventID with other content would silently keep the old one, so the capture
    /// fails naming it. Corrections go through an error declaration, never by overwriting.
    /// </summary>
    private async Task<Outcome<Captured>?> CheckChangedDuplicatesAsync(IReadOnlyList<EpcisEvent> list, string? listName, CancellationToken ct)
    {
        var existing = (await events.GetEventsAsync([.. list.Select(e => e.EventId)], ct)).ToDictionary(e => e.EventId);
        if (existing.Count == 0) return null;
        var errors = new ValidationErrors();
        for (var i = 0; i < list.Count; i++)
        {
            if (!existing.TryGetValue(list[i].EventId, out var stored)) continue;
            if (JsonNode.DeepEquals(WithoutRecordTime(stored.Json), WithoutRecordTime(list[i].ToJson()))) continue;
            var message = $"Event '{list[i].EventId}' is already stored with different content. An event cannot be changed: " +
                          "capture an error declaration (errorDeclaration) for it, or give the new event its own eventID.";
            if (listName is null) return Outcome<Captured>.Conflict(message);
            errors.Add($"{listName}[{i}].eventID", message);
        }
        return errors.IsValid ? null : Outcome<Captured>.Invalid(errors);
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
