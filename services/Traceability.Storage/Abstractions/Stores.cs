namespace Traceability.Storage;

// One interface per feature; a provider implements all of them in one class. A new feature adds
// an interface (or a method pair) here and an implementation in each provider.

/// <summary>Thrown when a natural key (GTIN, lot, producer tax code, …) already exists.</summary>
public sealed class DuplicateKeyException(string message) : Exception(message);

/// <summary>Thrown when the store cannot be opened (e.g. the data directory is not writable).</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public interface IAccountStore
{
    Task AddProducerAsync(Producer producer, ApiKeyRecord key, CancellationToken ct = default);
    Task<Producer?> GetProducerAsync(string id, CancellationToken ct = default);
    Task<IReadOnlyList<Producer>> ListProducersAsync(CancellationToken ct = default);
    Task AddInspectorAsync(Inspector inspector, ApiKeyRecord key, CancellationToken ct = default);
    Task<Inspector?> GetInspectorAsync(string id, CancellationToken ct = default);
    Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default);
    Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct = default);
    Task<bool> RevokeApiKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default);
    /// <summary>The producer's keys, revoked ones too, newest first (hashes only, as stored).</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListProducerKeysAsync(string producerId, CancellationToken ct = default);
}

/// <summary>The contact a producer publishes on its consumer pages, which it keeps up to date itself (console, API).</summary>
public interface IProducerProfileStore
{
    /// <summary>Replaces the public phone and website; false when there is no such producer.</summary>
    Task<bool> SetProducerPublicContactAsync(string producerId, string? phone, string? website, CancellationToken ct = default);
}

public interface ICatalogStore
{
    /// <exception cref="DuplicateKeyException">the GTIN is already registered.</exception>
    Task AddProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default);
    Task UpdateProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default);
    Task<Product?> GetProductAsync(string gtin14, CancellationToken ct = default);
    Task<IReadOnlyList<Product>> ListProductsAsync(string producerId, CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the producer already has a location with that code.</exception>
    Task AddLocationAsync(Location location, CancellationToken ct = default);
    Task<Location?> GetLocationAsync(string producerId, string code, CancellationToken ct = default);
    /// <summary>Finds a location by its GLN or by an identifier a producer used in events.</summary>
    Task<Location?> FindLocationAsync(string identifier, CancellationToken ct = default);
    Task<IReadOnlyList<Location>> ListLocationsAsync(string producerId, CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the lot already exists for that GTIN.</exception>
    Task AddLotAsync(Lot lot, OutboxMessage announce, CancellationToken ct = default);
    Task<Lot?> GetLotAsync(string gtin14, string lot, CancellationToken ct = default);
    Task<IReadOnlyList<Lot>> ListLotsAsync(string producerId, int max = 500, CancellationToken ct = default);
}

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

public interface IOutboxStore
{
    /// <summary>
    /// Claims up to <paramref name="max"/> rows that are Pending and due, or InFlight with an
    /// expired lease, whose DependsOn row (if any) is Synced, oldest first. Claimed rows become
    /// InFlight with LeaseOwner = owner and LeaseUntil = now + lease. Two callers never get the same row.
    /// </summary>
    Task<IReadOnlyList<OutboxRow>> LeaseAsync(string owner, int max, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default);
    /// <summary>Only succeeds while the caller still holds the lease.</summary>
    Task<bool> MarkSyncedAsync(string id, string owner, string portalId, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>Back to Pending, due at retryAt, Attempts + 1 (transient failure or graceful release).</summary>
    Task<bool> ReleaseAsync(string id, string owner, DateTimeOffset retryAt, string? error, CancellationToken ct = default);
    /// <summary>Parks the row as Failed with the portal's reason (permanent failure).</summary>
    Task<bool> MarkFailedAsync(string id, string owner, string error, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>
    /// Records a batch of leased rows' outcomes at once, each as MarkSynced / MarkFailed / Release
    /// would, and each only while the owner still holds its lease. Returns the ids whose lease was lost.
    /// This default sends the per-row calls together (the Mongo store's rows are documents of their
    /// own, each updated atomically); the SQLite store overrides it with one transaction.
    /// </summary>
    async Task<IReadOnlyList<string>> RecordOutcomesAsync(string owner, IReadOnlyList<OutboxOutcome> outcomes,
        DateTimeOffset now, CancellationToken ct = default)
    {
        var held = await Task.WhenAll(outcomes.Select(o => o.State switch
        {
            OutboxState.Synced => MarkSyncedAsync(o.Id, owner, o.PortalId!, now, ct),
            OutboxState.Failed => MarkFailedAsync(o.Id, owner, o.Error!, now, ct),
            OutboxState.Pending => ReleaseAsync(o.Id, owner, o.RetryAt ?? now, o.Error, ct),
            _ => throw new ArgumentException($"{o.State} is not an outcome.", nameof(outcomes)),
        })).ConfigureAwait(false);
        return [.. outcomes.Where((_, i) => !held[i]).Select(o => o.Id)];
    }

    /// <summary>An operator's retry: Failed → Pending, due now.</summary>
    Task<bool> RetryFailedAsync(string id, DateTimeOffset now, CancellationToken ct = default);
    Task<OutboxStatus> GetStatusAsync(DateTimeOffset now, CancellationToken ct = default);
    Task<IReadOnlyList<OutboxRow>> ListFailedAsync(int max, CancellationToken ct = default);
    Task<OutboxRow?> GetOutboxRowAsync(OutboxKind kind, string key, CancellationToken ct = default);

    /// <summary>
    /// The rows of these keys that are not Synced yet (Pending, InFlight or Failed): what a producer's
    /// console shows as waiting or refused. A key left out is synced, or has no row. This default asks
    /// key by key (the Mongo store's rows live on their entities, found by id); the SQLite store reads
    /// them in one statement over the open rows only, since event rows have no key index.
    /// </summary>
    async Task<IReadOnlyList<OutboxRow>> GetOpenRowsAsync(OutboxKind kind, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        var rows = await Task.WhenAll(keys.Distinct(StringComparer.Ordinal).Select(k => GetOutboxRowAsync(kind, k, ct))).ConfigureAwait(false);
        return [.. rows.Where(r => r is not null && r.State != OutboxState.Synced).Select(r => r!)];
    }
}
