using System.ComponentModel.DataAnnotations;

namespace Traceability.Lookup.Api;

/// <summary>Configuration section "Lookup".</summary>
public sealed class LookupOptions
{
    public const string Section = "Lookup";

    /// <summary>
    /// The public base URL printed in QR codes and returned as `digitalLink` (e.g. https://truyxuat.example.vn).
    /// Unset: the request's own scheme and host when <see cref="PublicHosts"/> allows it
    /// (<see cref="Resolver.PublicOrigin"/>).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Host names (any port) whose own Host header public links may carry when PublicBaseUrl is
    /// unset; links for any other Host use the first. Empty: the addresses this host listens on.
    /// </summary>
    public string[] PublicHosts { get; set; } = [];

    /// <summary>How long a provenance projection stays cached. Writers also invalidate it (ILookupCache).</summary>
    [Range(0, 86_400)]
    public int CacheSeconds { get; set; } = 60;

    /// <summary>
    /// The provenance cache's budget in MB: lots and products with their rendered answers (≈ 30–60 KB
    /// each as counted, see CachedProvenance). Past it, new entries are not kept and the least
    /// recently used are compacted away; 64 MB holds ≈ 1,000–2,000 hot lots, which is what repeat
    /// scans need — a first scan is served by the store.
    /// </summary>
    [Range(1, 65_536)]
    public int CacheMegabytes { get; set; } = 64;

    /// <summary>
    /// Max-age sent to browsers and CDNs for lookup answers. Short (with an ETag, so a revalidation is a
    /// 304): a recall must show on the next open of the page, on whichever host answers.
    /// </summary>
    [Range(0, 86_400)]
    public int ClientCacheSeconds { get; set; } = 30;

    /// <summary>
    /// Render a sample lot every way a lookup answers once the host has started (LookupWarmUp), so the first
    /// consumers after a restart do not wait for the JIT and the pages' first render. Touches no data.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>Scans waiting to be written; beyond this they are dropped and counted.</summary>
    [Range(1, 10_000_000)]
    public int ScanQueueCapacity { get; set; } = 10_000;

    [Range(1, 100_000)]
    public int ScanBatchSize { get; set; } = 500;

    /// <summary>How long the scan writer waits after the first queued scan before it writes a batch.</summary>
    public TimeSpan ScanFlushDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(64, 4096)]
    public int DefaultQrSize { get; set; } = 512;

    [Range(64, 4096)]
    public int MaxQrSize { get; set; } = 2048;

    /// <summary>Upload limit of POST /api/v1/qr/decode (DESIGN §4.5: 10 MB).</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxDecodeBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>
    /// Most pixels (width × height, read from the image header before any pixel is decoded) that
    /// POST /api/v1/qr/decode decodes; more → 413. 40 Mpx passes a full-size photo of today's
    /// phones (12–24 Mpx, 48–50 Mpx only in "high resolution" mode) and keeps one decode ≲ 200 MB.
    /// </summary>
    [Range(10_000, 250_000_000)]
    public long MaxDecodePixels { get; set; } = 40_000_000;

    /// <summary>
    /// Decodes running at once (CPU-bound, ≲ 200 MB each); the rest wait in a queue of
    /// <see cref="DecodeQueueLength"/>, and beyond it are answered 503 with Retry-After.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrentDecodes { get; set; } = 2;

    /// <summary>Uploads (each up to MaxDecodeBytes, held in memory) waiting for a decode slot; 0: none wait.</summary>
    [Range(0, 1000)]
    public int DecodeQueueLength { get; set; } = 8;

    /// <summary>Longest side a photo is reduced to before decoding.</summary>
    [Range(256, 8192)]
    public int DecodeMaxSide { get; set; } = 1600;

    internal static bool IsValidBaseUrl(string? value) =>
        value is null || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                          && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment));
}
