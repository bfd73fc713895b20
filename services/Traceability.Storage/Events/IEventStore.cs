namespace Traceability.Storage;

public interface IEventStore
{
    /// <summary>
    /// Stores the events, their outbox rows and the finished capture job in one transaction.
    /// Events whose eventID is already stored are counted as duplicates and not written again.
    /// </summary>
    Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events,
        IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default);

    /// <summary>
    /// As the other overload, and the error declarations in the same transaction, after the events
    /// (a declaration may name an event of the same capture). A declaration for an event that already
    /// has one is a duplicate and not written; a new one writes its <see cref="StoredDeclaration.Announce"/> row.
    /// The job's counts include the declarations.
    /// </summary>
    Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events, IReadOnlyList<StoredDeclaration> declarations,
        IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default) =>
        declarations.Count == 0
            ? CaptureAsync(job, events, announce, ct)
            : throw new NotSupportedException("This store does not keep error declarations.");

    Task<CaptureJob?> GetCaptureJobAsync(string captureId, CancellationToken ct = default);
    Task<StoredEvent?> GetEventAsync(string eventId, CancellationToken ct = default);
    /// <summary>The stored events among <paramref name="eventIds"/>, in no particular order (unknown ids are left out).</summary>
    Task<IReadOnlyList<StoredEvent>> GetEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken ct = default);
    /// <summary>
    /// The matching events ordered by record time (to the millisecond), then eventID (ordinal), so
    /// paging never skips or repeats an event across equal record times. Times carry the offsets
    /// they were captured with. A page token this store did not issue is an <see cref="ArgumentException"/>.
    /// </summary>
    Task<EventPage> QueryEventsAsync(EventQuery query, CancellationToken ct = default);
    /// <summary>
    /// The distinct values of one field among the producer's events (every producer's for null), in ordinal
    /// order, at most <paramref name="limit"/>: bizStep and disposition terms, read point and business location
    /// keys, or the keys of what the events are about (EPCs and classes, any role but lots).
    /// </summary>
    Task<IReadOnlyList<string>> ListEventValuesAsync(string? producerId, EventValueKind kind, int limit, CancellationToken ct = default);
    /// <summary>Every event whose keys include the lot (any lot role), oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> GetEventsForLotAsync(string lotKey, CancellationToken ct = default);
    Task<long> CountEventsAsync(CancellationToken ct = default);
}
