using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;


namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// Evicts this process's cached provenance projections: lot keys (`01/{gtin14}/10/{lot}`), `01/{gtin14}`
/// (the product and all its lots). Only the memory cache: writers call <see cref="IChangeNotifier"/>
/// (ChangeFeedPublisher), which evicts here and also reaches the stored read model and the other hosts.
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
/// the store on every request. A cache of its own, bounded in bytes by Lookup:CacheMegabytes: each
/// entry counts its projection and an allowance for its rendered answers (<see cref="CachedProvenance.Bytes"/>),
/// so a province's small VM holds as many lots as fit, not a fixed number of them.
/// </summary>
public sealed class ProvenanceCache : ILookupCache, IDisposable
{
    private static readonly TimeSpan UnknownTtl = TimeSpan.FromSeconds(10);
    private readonly MemoryCache _cache;
    private readonly IServiceProvider _services;
    private readonly IOptions<LookupOptions> _options;
    private readonly LookupTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _gtinTokens = new();
    private CancellationTokenSource _all = new();
    private LookupReadModel? _readModel;

    public ProvenanceCache(IServiceProvider services, IOptions<LookupOptions> options, LookupTelemetry telemetry, TimeProvider time)
    {
        (_services, _options, _telemetry, _time) = (services, options, telemetry, time);
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheMegabytes * 1024L * 1024, TrackStatistics = true });
        telemetry.ObserveCache(() => Bytes, () => Count);
    }

    /// <summary>What the cache holds now, in bytes (the sum of its entries' <see cref="CachedProvenance.Bytes"/>).</summary>
    public long Bytes => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public long Count => _cache.Count;

    public async Task<ProvenanceView?> GetAsync(string gtin14, string? lot, CancellationToken ct) =>
        (await GetEntryAsync(gtin14, lot, ct)).View;

    /// <summary>The projection and its rendered answers; <see cref="CachedProvenance.View"/> is null for an unknown code.</summary>
    public async Task<CachedProvenance> GetEntryAsync(string gtin14, string? lot, CancellationToken ct)
    {
        var key = LookupReadModel.Key(gtin14, lot);
        var ttl = _options.Value.CacheSeconds;
        if (ttl > 0 && _cache.TryGetValue(key, out CachedProvenance? hit) && hit is not null)
            return hit;

        _telemetry.CacheMisses.Add(1);
        // Resolved on first use: the read model depends on the change publisher, which depends on this cache.
        _readModel ??= _services.GetRequiredService<LookupReadModel>();
        var projection = await _readModel.GetAsync(gtin14, lot, ct);
        var built = new CachedProvenance(projection.View, projection.JsonBytes);
        if (ttl > 0)
        {
            using var entry = _cache.CreateEntry(key);
            entry.Value = built;
            var lifetime = built.View is null ? TimeSpan.FromSeconds(Math.Min(ttl, UnknownTtl.TotalSeconds)) : TimeSpan.FromSeconds(ttl);
            // Not past the instant the projection's time-dependent status changes (expiry). Relative, as the
            // memory cache keeps its own clock.
            if (projection.ValidUntil is { } until && until - _time.GetUtcNow() is var left && left < lifetime)
                lifetime = left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
            entry.AbsoluteExpirationRelativeToNow = lifetime;
            entry.Size = built.Bytes;
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
        if (ChangeKeys.ProductGtin(trimmed) is { } gtin && _gtinTokens.TryRemove(gtin, out var cts))
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

/// <summary>
/// One cached projection and the answers rendered from it so far, with the bytes it may hold:
/// the projection's estimate plus an allowance for rendered answers that the answers never exceed
/// (past it they are rendered but not kept, which also stops arbitrary Host headers growing an entry).
/// </summary>
public sealed class CachedProvenance
{
    // The projection's managed size, estimated from its JSON: strings are UTF-16 (2 bytes a character)
    // and each record, list and string has an object header, which JSON's property names and
    // punctuation roughly make up for. CacheTests.Estimated_bytes_cover_what_an_entry_holds measures
    // the real retained size against this estimate.
    private const int BytesPerJsonByte = 3;
    private const int Overhead = 1024;
    // Enough for the JSON, the linkset and the page in both languages (the page is ≈ 2 × the JSON).
    private const int RenderBase = 16 * 1024;
    private const int RenderPerJsonByte = 6;

    private readonly ConcurrentDictionary<string, RenderedAnswer> _rendered = new(StringComparer.Ordinal);
    private readonly long _renderAllowance;
    private long _renderedBytes;

    /// <param name="jsonBytes">The projection's JSON size in UTF-8 bytes, as the read model stored or built it:
    /// measuring it here meant serialising the view once more on every miss.</param>
    public CachedProvenance(ProvenanceView? view, int jsonBytes)
    {
        View = view;
        var json = view is null ? 0 : jsonBytes;
        _renderAllowance = view is null ? 0 : RenderBase + RenderPerJsonByte * json;
        Bytes = Overhead + BytesPerJsonByte * json + _renderAllowance;
    }

    public ProvenanceView? View { get; }

    /// <summary>The most this entry holds: what the cache's byte budget counts for it.</summary>
    public long Bytes { get; }

    public RenderedAnswer Rendered(string variant, Func<ProvenanceView, byte[]> render)
    {
        if (_rendered.TryGetValue(variant, out var answer)) return answer;
        answer = RenderedAnswer.Of(render(View!));
        var size = answer.Body.Length + 2L * variant.Length + 200;
        if (Interlocked.Add(ref _renderedBytes, size) > _renderAllowance || !_rendered.TryAdd(variant, answer))
            Interlocked.Add(ref _renderedBytes, -size);
        return answer;
    }
}
