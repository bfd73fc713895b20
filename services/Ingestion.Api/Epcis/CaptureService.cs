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
    private readonly CaptureChecks checks = new(catalog, events);
    private readonly DeclarationCheck declarationCheck = new(events);

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
        var candidates = Enumerable.Range(0, parsed.Events.Count).Select(i => new CaptureCandidate(parsed.PositionOf(i), parsed.Events[i]))
            .Where(c => !refused.Contains(c.Position)).ToList();

        // Each check names the events it refuses; rollback stops at the first check that refuses any,
        // proceed drops them and goes on with the rest.
        foreach (var check in new Func<IReadOnlyList<CaptureCandidate>, Task<CaptureCheckResult>>[]
                 {
                     list => Task.FromResult(CaptureChecks.CheckTimes(list, listName, now)),
                     list => checks.CheckOwnershipAsync(producerId, list, listName, ct),
                     list => checks.CheckChangedDuplicatesAsync(list, listName, ct),
                     list => declarationCheck.CheckAsync(producerId, list, listName, ct),
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

    /// <summary>The eventList index an error path names (<c>eventList[3].eventTime</c> → 3), or -1 for a document-level path.</summary>
    internal static int EventPosition(string path, string? listName)
    {
        if (listName is null || !path.StartsWith(listName + "[", StringComparison.Ordinal)) return -1;
        var close = path.IndexOf(']', listName.Length);
        return close > 0 && int.TryParse(path.AsSpan(listName.Length + 1, close - listName.Length - 1), out var i) ? i : -1;
    }
}
