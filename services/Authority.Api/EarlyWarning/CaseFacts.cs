using System.Collections.Concurrent;
using Traceability.Domain;
using Traceability.Lookup.Api.Provenance;
using Traceability.Storage;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>What scoring needs to know about a lot: its owner, expiry, first active recall and the provinces it may be sold in.</summary>
public sealed record LotFacts(string ProducerId, DateOnly? Expiry, DateTimeOffset? RecalledAt, IReadOnlySet<string> ShippedTo, IReadOnlySet<string> Expected);

/// <summary>
/// Products' owners and lots' facts for the live path, read from the store once a minute at most per
/// product or lot (a recall or a new shipping event shows within that). Bounded: emptied when full.
/// A lot's expected provinces are its shipping destinations (CBV destinationList of shipping events,
/// business locations of receiving events), its origin's and its producer's province; "far" applies
/// only to a lot with at least one known destination.
/// </summary>
public sealed class CaseFacts(ICatalogStore catalog, IAccountStore accounts, IRecallStore recalls, IEventStore events, TimeProvider time)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? ProducerId)> _products = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, LotFacts? Facts)> _lots = new(StringComparer.Ordinal);
    private static readonly TimeSpan PeersTtl = TimeSpan.FromMinutes(10);
    private const int MaxPeers = 50;
    private volatile PeerIndex? _peers;

    private sealed record PeerIndex(DateTimeOffset At, IReadOnlyDictionary<string, IReadOnlyList<string>> Peers);

    /// <summary>
    /// A product's similar products: the same producer's and those of the same category (any
    /// producer), at most 50 (by GTIN). The whole catalogue is read at most every 10 minutes, and only
    /// for a case that passed the threshold on its own history (<see cref="CaseReview"/>).
    /// </summary>
    public async Task<IReadOnlyList<string>> PeersOfAsync(string gtin14, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var index = _peers;
        if (index is null || now - index.At >= PeersTtl) _peers = index = await ReadPeersAsync(now, ct);
        return index.Peers.GetValueOrDefault(gtin14) ?? [];
    }

    private async Task<PeerIndex> ReadPeersAsync(DateTimeOffset now, CancellationToken ct)
    {
        var products = new List<Product>();
        foreach (var producer in await accounts.ListProducersAsync(ct)) products.AddRange(await catalog.ListProductsAsync(producer.Id, ct));
        var byProducer = products.ToLookup(p => p.ProducerId, StringComparer.Ordinal);
        var byCategory = products.Where(p => !string.IsNullOrWhiteSpace(p.Category))
            .ToLookup(p => p.Category!.Trim(), StringComparer.OrdinalIgnoreCase);
        var peers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var p in products)
        {
            var similar = byProducer[p.ProducerId].Concat(string.IsNullOrWhiteSpace(p.Category) ? [] : byCategory[p.Category.Trim()]);
            peers[p.Gtin] = [.. similar.Select(s => s.Gtin).Where(g => g != p.Gtin).Distinct().Order(StringComparer.Ordinal).Take(MaxPeers)];
        }
        return new PeerIndex(now, peers);
    }

    /// <summary>The owner of a registered product, or null when the GTIN is not registered.</summary>
    public async Task<string?> ProducerOfAsync(string gtin14, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_products.TryGetValue(gtin14, out var known) && now - known.At < Ttl) return known.ProducerId;
        var producerId = (await catalog.GetProductAsync(gtin14, ct))?.ProducerId;
        if (_products.Count >= MaxEntries) _products.Clear();
        _products[gtin14] = (now, producerId);
        return producerId;
    }

    public async Task<LotFacts?> LotAsync(string gtin14, string lotNumber, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var key = LotKey.Of(gtin14, lotNumber);
        if (_lots.TryGetValue(key, out var known) && now - known.At < Ttl) return known.Facts;
        var facts = await ReadLotAsync(gtin14, lotNumber, key, ct);
        if (_lots.Count >= MaxEntries) _lots.Clear();
        _lots[key] = (now, facts);
        return facts;
    }

    private async Task<LotFacts?> ReadLotAsync(string gtin14, string lotNumber, string key, CancellationToken ct)
    {
        var lot = await catalog.GetLotAsync(gtin14, lotNumber, ct);
        if (lot is null) return null;
        var recalledAt = (await recalls.GetActiveRecallsForLotAsync(gtin14, lotNumber, ct)).Select(r => (DateTimeOffset?)r.IssuedAt).Min();
        var places = new ProvenanceBuilder.PlaceResolver(catalog);
        var shipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in await events.GetEventsForLotAsync(key, ct))
        {
            IEnumerable<string> destinations = e.BizStep switch
            {
                "shipping" => ProvenanceBuilder.Destinations(e.Json),
                "receiving" when (e.BizLocation ?? e.ReadPoint) is { } at => [at],
                _ => [],
            };
            foreach (var destination in destinations)
            {
                if (ProvinceMap.CurrentOf((await places.LocationAsync(e.ProducerId, destination, ct))?.Province) is { } province)
                    shipped.Add(province);
            }
        }
        var expected = new HashSet<string>(shipped, StringComparer.Ordinal);
        if (ProvinceMap.CurrentOf((await accounts.GetProducerAsync(lot.ProducerId, ct))?.Province) is { } home) expected.Add(home);
        if (lot.OriginLocation is { } origin && ProvinceMap.CurrentOf((await places.LocationAsync(lot.ProducerId, origin, ct))?.Province) is { } from)
            expected.Add(from);
        return new LotFacts(lot.ProducerId, lot.ExpiryDate, recalledAt, shipped, expected);
    }

    /// <summary>Forgets everything read (tests and the scenario evaluation change recalls and shipments between scans).</summary>
    public void Clear()
    {
        _products.Clear();
        _lots.Clear();
        _peers = null;
    }
}
