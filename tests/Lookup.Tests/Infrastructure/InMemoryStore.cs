using System.Collections.Concurrent;
using Traceability.Storage;

namespace Traceability.Lookup.Tests.Infrastructure;

/// <summary>
/// The read side the lookup needs, in memory: stands in for the SQLite provider until it lands.
/// Members the lookup never calls say so.
/// </summary>
public sealed class InMemoryStore : ICatalogStore, IAccountStore, IEventStore, IScanStore
{
    private readonly ConcurrentDictionary<string, Producer> _producers = new();
    private readonly ConcurrentDictionary<string, Product> _products = new();
    private readonly ConcurrentDictionary<(string, string), Location> _locations = new();
    private readonly ConcurrentDictionary<string, Lot> _lots = new();
    private readonly ConcurrentQueue<StoredEvent> _events = new();
    private readonly ConcurrentQueue<ScanRecord> _scans = new();

    public Task AddProducerAsync(Producer producer, ApiKeyRecord key, CancellationToken ct = default)
    {
        _producers[producer.Id] = producer;
        return Task.CompletedTask;
    }

    public Task<Producer?> GetProducerAsync(string id, CancellationToken ct = default) => Task.FromResult(_producers.GetValueOrDefault(id));

    public Task<IReadOnlyList<Producer>> ListProducersAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<Producer>>([.. _producers.Values]);

    public Task AddInspectorAsync(Inspector inspector, ApiKeyRecord key, CancellationToken ct = default) => throw Unused();
    public Task<Inspector?> GetInspectorAsync(string id, CancellationToken ct = default) => throw Unused();
    public Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default) => throw Unused();
    public Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct = default) => throw Unused();
    public Task<bool> RevokeApiKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default) => throw Unused();

    public Task AddProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default)
    {
        if (!_products.TryAdd(product.Gtin, product)) throw new DuplicateKeyException(product.Gtin);
        return Task.CompletedTask;
    }

    public Task UpdateProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default)
    {
        _products[product.Gtin] = product;
        return Task.CompletedTask;
    }

    public Task<Product?> GetProductAsync(string gtin14, CancellationToken ct = default) => Task.FromResult(_products.GetValueOrDefault(gtin14));

    public Task<IReadOnlyList<Product>> ListProductsAsync(string producerId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Product>>([.. _products.Values.Where(p => p.ProducerId == producerId)]);

    public Task AddLocationAsync(Location location, CancellationToken ct = default)
    {
        _locations[(location.ProducerId, location.Code)] = location;
        return Task.CompletedTask;
    }

    public Task<Location?> GetLocationAsync(string producerId, string code, CancellationToken ct = default) =>
        Task.FromResult(_locations.GetValueOrDefault((producerId, code)));

    public Task<Location?> FindLocationAsync(string identifier, CancellationToken ct = default) =>
        Task.FromResult(_locations.Values.FirstOrDefault(l => l.Gln == identifier || l.Code == identifier));

    public Task<IReadOnlyList<Location>> ListLocationsAsync(string producerId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Location>>([.. _locations.Values.Where(l => l.ProducerId == producerId)]);

    public Task AddLotAsync(Lot lot, OutboxMessage announce, CancellationToken ct = default)
    {
        if (!_lots.TryAdd(lot.Key, lot)) throw new DuplicateKeyException(lot.Key);
        return Task.CompletedTask;
    }

    public Task<Lot?> GetLotAsync(string gtin14, string lot, CancellationToken ct = default) =>
        Task.FromResult(_lots.GetValueOrDefault(LotKey.Of(gtin14, lot)));

    public Task<IReadOnlyList<Lot>> ListLotsAsync(string producerId, int max = 500, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Lot>>([.. _lots.Values.Where(l => l.ProducerId == producerId).Take(max)]);

    public Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events, IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default)
    {
        foreach (var e in events) _events.Enqueue(e);
        return Task.FromResult(new CaptureResult(events.Count, 0));
    }

    public Task<CaptureJob?> GetCaptureJobAsync(string captureId, CancellationToken ct = default) => throw Unused();
    public Task<StoredEvent?> GetEventAsync(string eventId, CancellationToken ct = default) => throw Unused();
    public Task<EventPage> QueryEventsAsync(EventQuery query, CancellationToken ct = default) => throw Unused();

    public Task<IReadOnlyList<StoredEvent>> GetEventsForLotAsync(string lotKey, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<StoredEvent>>([.. _events.Where(e => e.Keys.Any(k => k.Value == lotKey
            && k.Role is Domain.Epcis.EventKeyRole.Lot or Domain.Epcis.EventKeyRole.InputLot or Domain.Epcis.EventKeyRole.OutputLot))
            .OrderBy(e => e.EventTime)]);

    public Task<long> CountEventsAsync(CancellationToken ct = default) => Task.FromResult((long)_events.Count);

    public Task AddScansAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct = default)
    {
        foreach (var s in batch) _scans.Enqueue(s);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScanRecord>> GetScansAsync(string key, DateTimeOffset since, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ScanRecord>>([.. _scans.Where(s => s.Time >= since && (s.LotKey == key || s.SerialKey == key))]);

    private static NotSupportedException Unused() => new("Not used by the lookup tests.");
}
