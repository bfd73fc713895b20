namespace Traceability.Storage;

/// <summary>
/// One anonymous lookup of a lot or serial: no IP, no identifier of the person. Province is
/// what the client chose to send (coarse region); UserAgentClass is e.g. mobile/desktop/bot.
/// </summary>
public sealed record ScanRecord(
    DateTimeOffset Time, string LotKey, string? Serial, string? Province, string UserAgentClass)
{
    /// <summary>The serial's key (`01/{gtin14}/10/{lot}/21/{serial}`, percent-encoded like LotKey), or null for a lot-level scan.</summary>
    public string? SerialKey => Serial is null ? null : $"{LotKey}/21/{Uri.EscapeDataString(Serial)}";
}

public interface IScanStore
{
    /// <summary>Appends a batch of scans (written by a background writer, never on the request path).</summary>
    Task AddScansAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct = default);

    /// <summary>
    /// Scans of a lot (key <see cref="Storage.LotKey.Of"/>: every scan of the lot, serialised or not) or of
    /// one serial (key <see cref="ScanRecord.SerialKey"/>), at or after <paramref name="since"/>, oldest first.
    /// </summary>
    Task<IReadOnlyList<ScanRecord>> GetScansAsync(string key, DateTimeOffset since, CancellationToken ct = default);
}
