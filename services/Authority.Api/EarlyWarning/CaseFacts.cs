using System.Collections.Concurrent;
using Traceability.Domain;
using Traceability.Domain.Gs1;
using Traceability.Lookup.Api.Provenance;
using Traceability.Storage;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>What scoring needs to know about a lot: its owner, expiry, first active recall and the provinces it may be sold in.</summary>
public sealed record LotFacts(string ProducerId, DateOnly? Expiry, DateTimeOffset? RecalledAt, IReadOnlySet<string> ShippedTo, IReadOnlySet<string> Expected);

/// <summary>
/// Products' owners and lots' facts for the live path, read from the store once and kept until a
/// change says otherwise: this host's writers and, through the store's change feed, every other
/// host's (<see cref="IChangeListener"/>: a lot key drops the lot, <c>01/{gtin}</c> the product and its
/// lots, <c>*</c> everything). <see cref="Ttl"/> only bounds what a host without the feed could miss.
/// A GTIN belongs to a producer when it registered the product or when the GTIN lies in one of its GS1
/// company prefixes (an invented GTIN under a real brand's prefix is that brand's problem); the
/// producers' prefixes are one small table, read again every <see cref="PrefixTtl"/>.
/// Bounded: emptied when full. The cached paths complete synchronously (no allocation per scan).
/// A lot's expected provinces are its shipping destinations (CBV destinationList of shipping events,
/// business locations of receiving events), its origin's and its producer's province; "far" applies
/// only to a lot with at least one known destination.
/// </summary>
public sealed class CaseFacts(ICatalogStore catalog, IAccountStore accounts, IRecallStore recalls, IEventStore events, TimeProvider time)
    : IChangeListener, IChangeNotifier
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PrefixTtl = TimeSpan.FromSeconds(60);
    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? ProducerId)> _products = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, LotFacts? Facts)> _lots = new(StringComparer.Ordinal);
    private volatile PrefixOwners? _prefixes;
    // Counts changes: a read that a change overtook is returned but not kept (it may be the old facts).
    private long _changes;
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

    /// <summary>
    /// The producer a GTIN belongs to (its registered product's owner, else the owner of the company
    /// prefix it lies in), or null when it is nobody's.
    /// </summary>
    public ValueTask<string?> ProducerOfAsync(string gtin14, CancellationToken ct) =>
        // "Nobody's" is asked again as often as the prefixes are read: a producer registering its prefix sends no change.
        _products.TryGetValue(gtin14, out var known) && time.GetUtcNow() - known.At < (known.ProducerId is null ? PrefixTtl : Ttl)
            ? ValueTask.FromResult(known.ProducerId)
            : ReadProducerOfAsync(gtin14, ct);

    private async ValueTask<string?> ReadProducerOfAsync(string gtin14, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var changes = Interlocked.Read(ref _changes);
        var producerId = (await catalog.GetProductAsync(gtin14, ct))?.ProducerId;
        if (producerId is null)
        {
            var prefixes = _prefixes;
            if (prefixes is null || now - prefixes.At >= PrefixTtl)
                _prefixes = prefixes = new PrefixOwners(now, [.. (await accounts.ListProducersAsync(ct))
                    .SelectMany(p => p.CompanyPrefixes.Select(prefix => (prefix, p.Id)))
                    .OrderByDescending(p => p.prefix.Length)]);
            producerId = prefixes.OwnerOf(gtin14);
        }
        if (_products.Count >= MaxEntries) _products.Clear();
        if (changes == Interlocked.Read(ref _changes)) _products[gtin14] = (now, producerId);
        return producerId;
    }

    public ValueTask<LotFacts?> LotAsync(string gtin14, string lotNumber, CancellationToken ct) =>
        LotAsync(LotKey.Of(gtin14, lotNumber), gtin14, lotNumber, ct);

    /// <summary>The lot's facts by its key (a scan carries it already: no key is built per scan), or null for a lot never registered.</summary>
    public ValueTask<LotFacts?> LotAsync(string lotKey, string gtin14, string lotNumber, CancellationToken ct) =>
        _lots.TryGetValue(lotKey, out var known) && time.GetUtcNow() - known.At < Ttl
            ? ValueTask.FromResult(known.Facts)
            : ReadAndKeepLotAsync(lotKey, gtin14, lotNumber, ct);

    private async ValueTask<LotFacts?> ReadAndKeepLotAsync(string key, string gtin14, string lotNumber, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var changes = Interlocked.Read(ref _changes);
        var facts = await ReadLotAsync(gtin14, lotNumber, key, ct);
        if (_lots.Count >= MaxEntries) _lots.Clear();
        if (changes == Interlocked.Read(ref _changes)) _lots[key] = (now, facts);
        return facts;
    }

    /// <summary>A change key (this host's or another's): what it names is read again on its next scan.</summary>
    public void Changed(string key)
    {
        key = key.TrimStart('/');
        Interlocked.Increment(ref _changes);
        if (key == ChangeKeys.All)
        {
            Clear();
            return;
        }
        if (ChangeKeys.ProductGtin(key) is { } gtin)
        {
            _products.TryRemove(gtin, out _);
            var lots = key + "/10/";
            foreach (var lot in _lots.Keys)
                if (lot.StartsWith(lots, StringComparison.Ordinal)) _lots.TryRemove(lot, out _);
            return;
        }
        _lots.TryRemove(key, out _);
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
        _prefixes = null;
        _peers = null;
    }

    /// <summary>Every producer's company prefixes, longest first (GS1 prefixes never nest across owners, but the longest is the most specific).</summary>
    private sealed record PrefixOwners(DateTimeOffset At, (string Prefix, string ProducerId)[] Owners)
    {
        public string? OwnerOf(string gtin14)
        {
            if (!Gtin.TryParse(gtin14, out var gtin, out _)) return null;
            foreach (var (prefix, producerId) in Owners)
                if (gtin.HasCompanyPrefix(prefix)) return producerId;
            return null;
        }
    }
}
