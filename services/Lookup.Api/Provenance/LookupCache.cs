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
/// Provenance projections, keyed by lot key or product key, with a change token per GTIN
/// (product-wide eviction) and a global one. Each entry also keeps its rendered answers (JSON and
/// pages, per base URL and language) with their ETags, so a cached lookup costs no serialisation
/// and no hashing. Unknown codes are cached briefly too, so a flood of fake codes does not reach
/// the store on every request. A cache of its own, bounded by Lookup:CacheEntries.
/// </summary>
public sealed class ProvenanceCache : ILookupCache, IDisposable
{
    private static readonly TimeSpan UnknownTtl = TimeSpan.FromSeconds(10);
    private readonly MemoryCache _cache;
    private readonly ProvenanceBuilder _builder;
    private readonly IOptions<LookupOptions> _options;
    private readonly LookupTelemetry _telemetry;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _gtinTokens = new();
    private CancellationTokenSource _all = new();

    public ProvenanceCache(ProvenanceBuilder builder, IOptions<LookupOptions> options, LookupTelemetry telemetry)
    {
        (_builder, _options, _telemetry) = (builder, options, telemetry);
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheEntries });
    }

    public async Task<ProvenanceView?> GetAsync(string gtin14, string? lot, CancellationToken ct) =>
        (await GetEntryAsync(gtin14, lot, ct)).View;

    /// <summary>The projection and its rendered answers; <see cref="CachedProvenance.View"/> is null for an unknown code.</summary>
    public async Task<CachedProvenance> GetEntryAsync(string gtin14, string? lot, CancellationToken ct)
    {
        var key = lot is null ? $"01/{gtin14}" : Storage.LotKey.Of(gtin14, lot);
        var ttl = _options.Value.CacheSeconds;
        if (ttl > 0 && _cache.TryGetValue(key, out CachedProvenance? hit) && hit is not null)
            return hit;

        _telemetry.CacheMisses.Add(1);
        var built = new CachedProvenance(await _builder.BuildAsync(gtin14, lot, ct));
        if (ttl > 0)
        {
            using var entry = _cache.CreateEntry(key);
            entry.Value = built;
            entry.AbsoluteExpirationRelativeToNow = built.View is null ? TimeSpan.FromSeconds(Math.Min(ttl, UnknownTtl.TotalSeconds)) : TimeSpan.FromSeconds(ttl);
            entry.Size = 1;
            entry.AddExpirationToken(new CancellationChangeToken(GtinToken(gtin14)));
            entry.AddExpirationToken(new CancellationChangeToken(Volatile.Read(ref _all).Token));
        }
        return built;
    }

    public void Invalidate(string key)
    {
        var trimmed = key.TrimStart('/');
        _cache.Remove(trimmed);
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

    public void Dispose() => _cache.Dispose();

    private CancellationToken GtinToken(string gtin14) => _gtinTokens.GetOrAdd(gtin14, _ => new CancellationTokenSource()).Token;
}

/// <summary>A rendered answer and the strong ETag over its bytes.</summary>
public sealed record RenderedAnswer(byte[] Body, string ETag)
{
    public static RenderedAnswer Of(byte[] body) =>
        new(body, "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body).AsSpan(0, 12)) + "\"");
}

/// <summary>One cached projection and the answers rendered from it so far.</summary>
public sealed class CachedProvenance(ProvenanceView? view)
{
    // Variants are few (representation × language × base URL); the bound keeps arbitrary Host
    // headers from growing an entry: past it, answers are rendered but not kept.
    private const int MaxVariants = 16;
    private readonly ConcurrentDictionary<string, RenderedAnswer> _rendered = new(StringComparer.Ordinal);

    public ProvenanceView? View { get; } = view;

    public RenderedAnswer Rendered(string variant, Func<ProvenanceView, byte[]> render)
    {
        if (_rendered.TryGetValue(variant, out var answer)) return answer;
        answer = RenderedAnswer.Of(render(View!));
        if (_rendered.Count < MaxVariants) _rendered.TryAdd(variant, answer);
        return answer;
    }
}
