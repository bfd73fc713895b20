namespace Traceability.Storage;

/// <summary>
/// One lookup or verify of a lot or serial: no IP, no identifier of the person. Province is a
/// coarse region: claimed by an anonymous client, or <paramref name="Attested"/> when an inspector's
/// or producer's authenticated verify gave it (its GPS or chosen province). UserAgentClass is e.g.
/// mobile/desktop/bot. Client is a pseudonym that changes every day (see IScanStore.GetDailySaltAsync);
/// Source says who scanned (<see cref="ScanSources"/>): only consumers' scans count as consumer scans.
/// <paramref name="Unknown"/> marks a scan of a code that is not registered (kept only for the
/// periodic report's count of unknown-code scans: never in a lot's scan history); its LotKey is
/// the lot's key, or <see cref="ProductKey"/> for a code without a lot.
/// </summary>
public sealed record ScanRecord(
    DateTimeOffset Time, string LotKey, string? Serial, string? Province, string UserAgentClass,
    string? Client = null, string Source = ScanSources.Consumer, bool Attested = false, bool Unknown = false)
{
    /// <summary>The key an unknown scan of a code without a lot is kept under (`01/{gtin14}`: never a lot's key).</summary>
    public static string ProductKey(string gtin14) => $"01/{gtin14}";

    /// <summary>The serial's key (`01/{gtin14}/10/{lot}/21/{serial}`, percent-encoded like LotKey), or null for a lot-level scan.</summary>
    public string? SerialKey => Serial is null ? null : $"{LotKey}/21/{Uri.EscapeDataString(Serial)}";
}

/// <summary>Who made a scan.</summary>
public static class ScanSources
{
    public const string Consumer = "consumer";
    public const string Inspector = "inspector";
    public const string Producer = "producer";
    public const string Staff = "staff";
}

public interface IScanStore
{
    /// <summary>
    /// The salt of <paramref name="day"/> for client pseudonyms, shared by every host: the stored
    /// one, or <paramref name="proposal"/> when the day has none yet. Salts of earlier days are
    /// deleted, so yesterday's pseudonyms can no longer be linked to a network.
    /// </summary>
    Task<byte[]> GetDailySaltAsync(DateOnly day, byte[] proposal, CancellationToken ct = default);

    /// <summary>Appends a batch of scans (written by a background writer, never on the request path).</summary>
    Task AddScansAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct = default);

    /// <summary>
    /// Scans of a lot (key <see cref="Storage.LotKey.Of"/>: every scan of the lot, serialised or not) or of
    /// one serial (key <see cref="ScanRecord.SerialKey"/>), at or after <paramref name="since"/>, oldest first.
    /// </summary>
    Task<IReadOnlyList<ScanRecord>> GetScansAsync(string key, DateTimeOffset since, CancellationToken ct = default);
}
