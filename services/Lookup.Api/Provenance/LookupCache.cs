using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

using Traceability.Storage;

namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// Evicts cached provenance projections. Features that change what a lookup shows call it after
/// their write: lot or event writes with the lot key (`01/{gtin14}/10/{lot}`), product writes and
/// recalls of a whole product with `01/{gtin14}` (evicts the product and all its lots).
/// </summary>
public interface ILookupCache
{
    void Invalidate(string key);

    /// <summary>Everything (e.g. a producer was suspended or reinstated).</summary>
    void InvalidateAll();
}

/// <summary>
/// Provenance projections in IMemoryCache, keyed by lot key or product key, with a change token per
/// GTIN (product-wide eviction) and a global one. Unknown codes are cached briefly too, so a flood
/// of fake codes does not reach the store on every request.
/// </summary>
public sealed class ProvenanceCache(IMemoryCache cache, ProvenanceBuilder builder, IOptions<LookupOptions> options,
    LookupTelemetry telemetry) : ILookupCache
{
    private static readonly TimeSpan UnknownTtl = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _gtinTokens = new();
    private CancellationTokenSource _all = new();

    private sealed record Entry(ProvenanceView? View);

    public async Task<ProvenanceView?> GetAsync(string gtin14, string? lot, CancellationToken ct)
    {
        var key = lot is null ? $"01/{gtin14}" : Storage.LotKey.Of(gtin14, lot);
        var ttl = options.Value.CacheSeconds;
        if (ttl > 0 && cache.TryGetValue(CacheKey(key), out Entry? hit) && hit is not null)
            return hit.View;

        telemetry.CacheMisses.Add(1);
        var view = await builder.BuildAsync(gtin14, lot, ct);
        if (ttl > 0)
        {
            using var entry = cache.CreateEntry(CacheKey(key));
            entry.Value = new Entry(view);
            entry.AbsoluteExpirationRelativeToNow = view is null ? TimeSpan.FromSeconds(Math.Min(ttl, UnknownTtl.TotalSeconds)) : TimeSpan.FromSeconds(ttl);
            entry.Size = 1;
            entry.AddExpirationToken(new CancellationChangeToken(GtinToken(gtin14)));
            entry.AddExpirationToken(new CancellationChangeToken(Volatile.Read(ref _all).Token));
        }
        return view;
    }

    public void Invalidate(string key)
    {
        var trimmed = key.TrimStart('/');
        cache.Remove(CacheKey(trimmed));
        // A product key (01/{gtin14}) evicts every lot of the product as well.
        if (trimmed.Length == 17 && trimmed.StartsWith("01/", StringComparison.Ordinal)
            && _gtinTokens.TryRemove(trimmed[3..], out var cts))
        {
            // Not disposed: another request may be registering this token right now.
            cts.Cancel();
        }
    }

    public void InvalidateAll()
    {
        var old = Interlocked.Exchange(ref _all, new CancellationTokenSource());
        old.Cancel();
        foreach (var gtin in _gtinTokens.Keys)
        {
            if (_gtinTokens.TryRemove(gtin, out var cts)) cts.Cancel();
        }
    }

    private CancellationToken GtinToken(string gtin14) => _gtinTokens.GetOrAdd(gtin14, _ => new CancellationTokenSource()).Token;

    private static string CacheKey(string key) => "lookup:" + key;
}

/// <summary>Clears cached projections when the ingestion side writes a product, lot or event.</summary>
internal sealed class LookupCacheNotifier(ILookupCache cache) : IChangeNotifier
{
    public void Changed(string key) => cache.Invalidate(key);
}
