namespace Traceability.Storage;

// What used to live beside one host (files in the data directory, in-process cache invalidation) and
// now lives in the store, so that several hosts can serve one store (issue 17, "stateless hosts").

/// <summary>One element of the ASP.NET Core Data Protection key ring (a key or a revocation), as XML text.</summary>
public sealed record KeyRingElement(string Name, string Xml, DateTimeOffset CreatedAt);

/// <summary>
/// The Data Protection key ring (it protects label-signing keys and complainants' contacts). Every
/// host reads the same ring, so what one host protected another can read.
/// </summary>
public interface IKeyRingStore
{
    /// <summary>Every element, oldest first.</summary>
    Task<IReadOnlyList<KeyRingElement>> ListKeyRingAsync(CancellationToken ct = default);

    /// <summary>Adds the element unless one of that name exists (elements are never rewritten); true when added.</summary>
    Task<bool> AddKeyRingElementAsync(KeyRingElement element, CancellationToken ct = default);
}

/// <summary>
/// A product image: its bytes, kind (<c>jpg</c>, <c>png</c> or <c>webp</c>), when it was stored and a
/// strong ETag over the bytes (computed once, at upload).
/// </summary>
public sealed record ProductImage(string Gtin, string Ext, byte[] Bytes, string ETag, DateTimeOffset UpdatedAt);

public interface IImageStore
{
    /// <summary>Stores the product's image, replacing any earlier one (of whatever kind).</summary>
    Task PutImageAsync(ProductImage image, CancellationToken ct = default);

    /// <summary>Adds the image only if the product has none yet (importing old files); true when added.</summary>
    Task<bool> AddImageIfAbsentAsync(ProductImage image, CancellationToken ct = default);

    Task<ProductImage?> GetImageAsync(string gtin14, CancellationToken ct = default);
}

/// <summary>
/// One change that public answers show: a lookup cache key (<c>01/{gtin14}</c>, a lot key, or
/// <see cref="ChangeKeys.All"/>), written by the host <paramref name="Origin"/>.
/// </summary>
public sealed record StoreChange(long Sequence, string Key, string Origin, DateTimeOffset At);

public static class ChangeKeys
{
    /// <summary>Everything changed (e.g. a producer was suspended): every cached answer goes.</summary>
    public const string All = "*";

    /// <summary>The GTIN of a product key (<c>01/{gtin14}</c>: the product and all its lots), else null.</summary>
    public static string? ProductGtin(string key) =>
        key.Length == 17 && key.StartsWith("01/", StringComparison.Ordinal) ? key[3..] : null;

    /// <summary>The product key of a lot or product key's GTIN.</summary>
    public static string Product(string gtin14) => "01/" + gtin14;
}

/// <summary>
/// The change feed: an append-only list, in sequence order, that every host polls to evict the
/// lookup cache entries another host's writes made stale.
/// </summary>
public interface IChangeFeedStore
{
    Task AppendChangesAsync(IReadOnlyList<string> keys, string origin, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Changes with a sequence above <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<StoreChange>> ReadChangesAsync(long after, int max, CancellationToken ct = default);

    /// <summary>The newest sequence (0 when the feed is empty): a host starting up reads on from there.</summary>
    Task<long> LatestChangeAsync(CancellationToken ct = default);

    /// <summary>Deletes changes older than <paramref name="before"/> (every host has read them long ago).</summary>
    Task PruneChangesAsync(DateTimeOffset before, CancellationToken ct = default);

    /// <summary>
    /// How many sequences below the newest one read a poller should read again. 0 when sequences
    /// become visible in order (SQLite: assigned under the write lock); a provider whose writers may
    /// commit a lower sequence after a higher one (MongoDB: a counter, then an insert) names a window.
    /// </summary>
    int ReorderWindow => 0;
}
