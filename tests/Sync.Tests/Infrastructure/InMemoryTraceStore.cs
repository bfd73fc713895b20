using System.Collections.Concurrent;

namespace Traceability.Sync.Tests.Infrastructure;

/// <summary>
/// A test double of the store provider with the outbox semantics IOutboxStore documents (lease
/// only due rows whose parent is synced, never one row to two owners, lease-holder-only updates).
/// Only what the sync worker touches is implemented.
/// </summary>
public sealed class InMemoryTraceStore : IAccountStore, ICatalogStore, IEventStore, IOutboxStore
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Producer> _producers = new();
    private readonly ConcurrentDictionary<string, Product> _products = new();
    private readonly ConcurrentDictionary<string, Lot> _lots = new();
    private readonly ConcurrentDictionary<string, Location> _locations = new();
    private readonly ConcurrentDictionary<string, StoredEvent> _events = new();
    private readonly Dictionary<string, OutboxRow> _rows = [];
    private readonly Dictionary<(OutboxKind, string), string> _rowByKey = [];
    private long _nextRow;

    public int LeaseCalls;
    public int SingleEventReads;
    public int BatchEventReads;

    // ---- seeding -------------------------------------------------------------------------------

    public void AddProducer(Producer producer) => _producers[producer.Id] = producer;

    private void Announce(OutboxMessage m, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_rowByKey.ContainsKey((m.Kind, m.Key)))
                return;
            var id = $"row-{++_nextRow:D6}";
            _rows[id] = new OutboxRow(id, m.Kind, m.Key, OutboxState.Pending, 0, now, now, null, null, null, null,
                m.TraceParent, m.DependsOnKind, m.DependsOnKey);
            _rowByKey[(m.Kind, m.Key)] = id;
        }
    }

    public IReadOnlyList<OutboxRow> Rows()
    {
        lock (_gate)
            return [.. _rows.Values.OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    // ---- IAccountStore -------------------------------------------------------------------------

    public Task<Producer?> GetProducerAsync(string id, CancellationToken ct = default) =>
        Task.FromResult(_producers.GetValueOrDefault(id));

    public Task AddProducerAsync(Producer producer, ApiKeyRecord key, CancellationToken ct = default)
    {
        AddProducer(producer);
        return Task.CompletedTask;
    }
    public Task<IReadOnlyList<Producer>> ListProducersAsync(CancellationToken ct = default) => throw new NotSupportedException();
    public Task AddInspectorAsync(Inspector inspector, ApiKeyRecord key, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<Inspector?> GetInspectorAsync(string id, CancellationToken ct = default) => throw new NotSupportedException();
    public Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<bool> RevokeApiKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApiKeyRecord>> ListProducerKeysAsync(string producerId, CancellationToken ct = default) => throw new NotSupportedException();

    // ---- ICatalogStore -------------------------------------------------------------------------

    public Task AddProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default)
    {
        if (!_products.TryAdd(product.Gtin, product))
            throw new DuplicateKeyException(product.Gtin);
        Announce(announce, product.CreatedAt);
        return Task.CompletedTask;
    }

    public Task UpdateProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default)
    {
        _products[product.Gtin] = product;
        Announce(announce, product.UpdatedAt);
        return Task.CompletedTask;
    }

    public Task<Product?> GetProductAsync(string gtin14, CancellationToken ct = default) =>
        Task.FromResult(_products.GetValueOrDefault(gtin14));

    public Task<IReadOnlyList<Product>> ListProductsAsync(string producerId, CancellationToken ct = default) => throw new NotSupportedException();

    public Task AddLocationAsync(Location location, CancellationToken ct = default)
    {
        _locations[location.Gln ?? location.Code] = location;
        return Task.CompletedTask;
    }

    public Task<Location?> GetLocationAsync(string producerId, string code, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<Location?> FindLocationAsync(string identifier, CancellationToken ct = default) =>
        Task.FromResult(_locations.GetValueOrDefault(identifier));

    public Task<IReadOnlyList<Location>> ListLocationsAsync(string producerId, CancellationToken ct = default) => throw new NotSupportedException();

    public Task AddLotAsync(Lot lot, OutboxMessage announce, CancellationToken ct = default)
    {
        if (!_lots.TryAdd(lot.Key, lot))
            throw new DuplicateKeyException(lot.Key);
        Announce(announce, lot.CreatedAt);
        return Task.CompletedTask;
    }

    public Task<Lot?> GetLotAsync(string gtin14, string lot, CancellationToken ct = default) =>
        Task.FromResult(_lots.GetValueOrDefault(LotKey.Of(gtin14, lot)));

    public Task<IReadOnlyList<Lot>> ListLotsAsync(string producerId, int max = 500, CancellationToken ct = default) => throw new NotSupportedException();

    // ---- IEventStore ---------------------------------------------------------------------------

    public Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events,
        IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default)
    {
        var stored = 0;
        foreach (var e in events)
            if (_events.TryAdd(e.EventId, e))
                stored++;
        foreach (var m in announce)
            Announce(m, job.CreatedAt);
        return Task.FromResult(new CaptureResult(stored, events.Count - stored));
    }

    public Task<StoredEvent?> GetEventAsync(string eventId, CancellationToken ct = default)
    {
        Interlocked.Increment(ref SingleEventReads);
        return Task.FromResult(_events.GetValueOrDefault(eventId));
    }

    public Task<IReadOnlyList<StoredEvent>> GetEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken ct = default)
    {
        Interlocked.Increment(ref BatchEventReads);
        return Task.FromResult<IReadOnlyList<StoredEvent>>([.. eventIds.Select(_events.GetValueOrDefault).OfType<StoredEvent>()]);
    }

    public Task<CaptureJob?> GetCaptureJobAsync(string captureId, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<EventPage> QueryEventsAsync(EventQuery query, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<string>> ListEventValuesAsync(string? producerId, EventValueKind kind, int limit, CancellationToken ct = default) =>
        throw new NotSupportedException();
    public Task<IReadOnlyList<StoredEvent>> GetEventsForLotAsync(string lotKey, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<long> CountEventsAsync(CancellationToken ct = default) => Task.FromResult((long)_events.Count);

    // ---- IOutboxStore --------------------------------------------------------------------------

    public Task<IReadOnlyList<OutboxRow>> LeaseAsync(string owner, int max, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        Interlocked.Increment(ref LeaseCalls);
        lock (_gate)
        {
            var due = _rows.Values
                .Where(r => (r.State == OutboxState.Pending && r.NextAttemptAt <= now)
                         || (r.State == OutboxState.InFlight && r.LeaseUntil <= now))
                .Where(r => r.DependsOnKind is not { } k || r.DependsOnKey is not { } key
                         || (_rowByKey.TryGetValue((k, key), out var pid) && _rows[pid].State == OutboxState.Synced))
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
                .Take(max)
                .Select(r => r with { State = OutboxState.InFlight, LeaseOwner = owner, LeaseUntil = now + lease })
                .ToList();
            foreach (var r in due)
                _rows[r.Id] = r;
            return Task.FromResult<IReadOnlyList<OutboxRow>>(due);
        }
    }

    private bool Update(string id, string owner, Func<OutboxRow, OutboxRow> change)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(id, out var row) || row.State != OutboxState.InFlight || row.LeaseOwner != owner)
                return false;
            _rows[id] = change(row);
            return true;
        }
    }

    public Task<bool> MarkSyncedAsync(string id, string owner, string portalId, DateTimeOffset now, CancellationToken ct = default) =>
        Task.FromResult(Update(id, owner, r => r with
        {
            State = OutboxState.Synced, PortalId = portalId, LeaseOwner = null, LeaseUntil = null, LastError = null,
        }));

    public Task<bool> ReleaseAsync(string id, string owner, DateTimeOffset retryAt, string? error, CancellationToken ct = default) =>
        Task.FromResult(Update(id, owner, r => r with
        {
            State = OutboxState.Pending, NextAttemptAt = retryAt, Attempts = r.Attempts + 1, LastError = error,
            LeaseOwner = null, LeaseUntil = null,
        }));

    public Task<bool> MarkFailedAsync(string id, string owner, string error, DateTimeOffset now, CancellationToken ct = default) =>
        Task.FromResult(Update(id, owner, r => r with
        {
            State = OutboxState.Failed, Attempts = r.Attempts + 1, LastError = error, LeaseOwner = null, LeaseUntil = null,
        }));

    public Task<bool> RetryFailedAsync(string id, DateTimeOffset now, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(id, out var row) || row.State != OutboxState.Failed)
                return Task.FromResult(false);
            _rows[id] = row with { State = OutboxState.Pending, NextAttemptAt = now };
            return Task.FromResult(true);
        }
    }

    public Task<OutboxStatus> GetStatusAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var rows = _rows.Values;
            var pending = rows.Where(r => r.State == OutboxState.Pending).ToList();
            return Task.FromResult(new OutboxStatus(
                pending.Count, rows.Count(r => r.State == OutboxState.InFlight), rows.Count(r => r.State == OutboxState.Synced),
                rows.Count(r => r.State == OutboxState.Failed),
                pending.Count == 0 ? 0 : (now - pending.Min(r => r.CreatedAt)).TotalSeconds));
        }
    }

    public Task<IReadOnlyList<OutboxRow>> ListFailedAsync(int max, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<OutboxRow>>([.. _rows.Values.Where(r => r.State == OutboxState.Failed).Take(max)]);
    }

    public Task<OutboxRow?> GetOutboxRowAsync(OutboxKind kind, string key, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_rowByKey.TryGetValue((kind, key), out var id) ? _rows[id] : null);
    }
}
