using Traceability.Domain.Gs1;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>What scoring needs to know about a lot: its owner, expiry, newest active recall (as its public page shows it) and the provinces it may be sold in.</summary>
public sealed record LotFacts(string ProducerId, DateOnly? Expiry, DateTimeOffset? RecalledAt, IReadOnlySet<string> ShippedTo, IReadOnlySet<string> Expected);

/// <summary>
/// Products' owners and lots' facts for the live path, read from the store once and kept until a
/// change says otherwise: this host's writers and, through the store's change feed, every other
/// host's (<see cref="IChangeListener"/>: a lot key drops the lot, <c>01/{gtin}</c> the product and its
/// lots, <c>*</c> everything). <see cref="Ttl"/> only bounds what a host without the feed could miss.
/// A GTIN belongs to a producer when it registered the product or when the GTIN lies in one of its GS1
/// company prefixes (an invented GTIN under a real brand's prefix is that brand's problem); the
/// producers' prefixes are one small table, read again every <see cref="PrefixTtl"/>.
/// Bounded (<see cref="BoundedCache{TKey,TValue}"/>). The cached paths complete synchronously (no allocation per scan).
/// A lot's expected provinces are its shipping destinations (CBV destinationList of shipping events,
/// business locations of receiving events), its origin's and its producer's province; "far" applies
/// only to a lot with at least one known destination.
/// A newly seen lot is read from the lookup projection (<see cref="ILookupViewStore"/>: the lot's public
/// provenance view, one indexed read, kept current by the change feed) when it holds a current row, else
/// from the lot's whole event history (<see cref="ReadLotFromHistoryAsync"/>; the same facts).
/// </summary>
public sealed class CaseFacts(ICatalogStore catalog, IAccountStore accounts, IRecallStore recalls, IEventStore events, TimeProvider time,
    IServiceProvider services) : IChangeListener, IChangeNotifier
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PrefixTtl = TimeSpan.FromSeconds(60);
    private const int MaxEntries = 50_000;
    private readonly BoundedCache<string, (DateTimeOffset At, string? ProducerId)> _products = new(MaxEntries, StringComparer.Ordinal);
    private readonly BoundedCache<string, (DateTimeOffset At, LotFacts? Facts)> _lots = new(MaxEntries, StringComparer.Ordinal);
    // The projection is only trusted where the change feed deletes the rows a write makes stale (as LookupReadModel does).
    private readonly ILookupViewStore? _views = services.GetService<IChangeFeedStore>() is null ? null : services.GetService<ILookupViewStore>();
    // This host's writes not yet in the feed (their rows may not be deleted yet); absent without the lookup module.
    private readonly ChangeFeedPublisher? _publisher = services.GetService<ChangeFeedPublisher>();
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
        if (changes == Interlocked.Read(ref _changes)) _products.Set(gtin14, (now, producerId));
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
        if (changes == Interlocked.Read(ref _changes)) _lots.Set(key, (now, facts));
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
            _products.Remove(gtin);
            var lots = key + "/10/";
            _lots.RemoveWhere(lot => lot.StartsWith(lots, StringComparison.Ordinal));
            return;
        }
        _lots.Remove(key);
    }

    private async Task<LotFacts?> ReadLotAsync(string gtin14, string lotNumber, string key, CancellationToken ct) =>
        await ReadLotFromProjectionAsync(gtin14, lotNumber, key, ct) ?? await ReadLotFromHistoryAsync(gtin14, lotNumber, ct);

    /// <summary>
    /// The lot's facts from its stored lookup projection, or null when there is no current row to trust
    /// (none stored, another projection version, past its validity, or a change of this host not yet in the feed).
    /// The view holds what the history read finds: the shipping destinations' places (its shipping links),
    /// every event's place with its business step (receiving), the origin, the producer's province, the
    /// expiry and the active recall.
    /// </summary>
    public async Task<LotFacts?> ReadLotFromProjectionAsync(string gtin14, string lotNumber, string key, CancellationToken ct)
    {
        if (_views is null || _publisher?.ChangedSince(key, gtin14, 0) == true) return null;
        if (await _views.GetLookupViewAsync(key, ct) is not { } row || !LookupReadModel.IsCurrent(row, time.GetUtcNow())
            || LookupReadModel.TryDeserialize(row.Json) is not { Lot: { } lot } view
            || await ProducerOfAsync(gtin14, ct) is not { } producerId) return null;
        var places = view.Downstream.Where(d => d.Via == "shipping").Select(d => d.Location)
            .Concat(view.Events.Where(e => e.BizStep == "receiving").Select(e => e.Location));
        return Facts(producerId, lot.ExpiryDate, view.Recall?.IssuedAt, places.Select(p => p?.Province), view.Producer.Province, view.Origin?.Province);
    }

    /// <summary>The lot's facts from the catalogue, its active recalls and its whole event history (a lot without a current projection).</summary>
    public async Task<LotFacts?> ReadLotFromHistoryAsync(string gtin14, string lotNumber, CancellationToken ct)
    {
        var lot = await catalog.GetLotAsync(gtin14, lotNumber, ct);
        if (lot is null) return null;
        // The newest active recall, as the lookup projection shows it (RecallStatusSource): both reads give one answer.
        var recalledAt = (await recalls.GetActiveRecallsForLotAsync(gtin14, lotNumber, ct)).Select(r => (DateTimeOffset?)r.IssuedAt).FirstOrDefault();
        var places = new ProvenanceBuilder.PlaceResolver(catalog);
        var shipped = new List<string?>();
        foreach (var e in await events.GetEventsForLotAsync(lot.Key, ct))
        {
            IEnumerable<string> destinations = e.BizStep switch
            {
                "shipping" => ProvenanceBuilder.Destinations(e.Json),
                "receiving" when (e.BizLocation ?? e.ReadPoint) is { } at => [at],
                _ => [],
            };
            foreach (var destination in destinations) shipped.Add((await places.LocationAsync(e.ProducerId, destination, ct))?.Province);
        }
        var home = (await accounts.GetProducerAsync(lot.ProducerId, ct))?.Province;
        var origin = lot.OriginLocation is { } code ? (await places.LocationAsync(lot.ProducerId, code, ct))?.Province : null;
        return Facts(lot.ProducerId, lot.ExpiryDate, recalledAt, shipped, home, origin);
    }

    /// <summary>The one rule for both reads: provinces as they are today, the expected ones the destinations, home and origin.</summary>
    private static LotFacts Facts(string producerId, DateOnly? expiry, DateTimeOffset? recalledAt, IEnumerable<string?> destinations, string? home, string? origin)
    {
        var shipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var destination in destinations)
            if (ProvinceMap.CurrentOf(destination) is { } province) shipped.Add(province);
        var expected = new HashSet<string>(shipped, StringComparer.Ordinal);
        if (ProvinceMap.CurrentOf(home) is { } fromHome) expected.Add(fromHome);
        if (ProvinceMap.CurrentOf(origin) is { } fromOrigin) expected.Add(fromOrigin);
        return new LotFacts(producerId, expiry, recalledAt, shipped, expected);
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
