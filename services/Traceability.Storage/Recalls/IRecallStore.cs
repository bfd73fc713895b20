namespace Traceability.Storage;

/// <summary>
/// A recall of one or more lots of one product, issued by an authority or the owning producer.
/// Severity is `high`, `medium` or `low`. Lots hold lot numbers (not keys). LiftedAt is set when
/// the recall ends (<c>POST /api/v1/recalls/{id}/end</c>), with who ended it (EndedBy) and why (EndReason).
/// </summary>
public sealed record Recall(
    string Id, string Gtin, IReadOnlyList<string> Lots, string Reason, string Severity,
    string IssuedBy, string? ProducerId, DateTimeOffset IssuedAt, DateTimeOffset? LiftedAt = null,
    string? EndedBy = null, string? EndReason = null)
{
    public bool IsActive => LiftedAt is null;
}

/// <summary>
/// An alert for authorities as the warnings feed's <c>?scope=alerts</c> shows it: an early-warning
/// <c>unknown_codes</c> alert (codes never issued scanned in one area), Code the product key <c>01/{gtin14}</c>.
/// </summary>
public sealed record VerificationAlert(
    string Id, string Kind, string Code, string? Province, int Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

public static class RecallKeys
{
    /// <summary>
    /// The outbox key of a recall's row for one lot: `{recallId}/{lotKey}` (one row per lot, parent
    /// = the lot's row, whose portal id is the `idLoHang` the portal needs). Recall ids never contain '/'.
    /// </summary>
    public static string OutboxKey(string recallId, string lotKey) => $"{recallId}/{lotKey}";

    public static bool TryParseOutboxKey(string key, out string recallId, out string lotKey)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        recallId = slash > 0 ? key[..slash] : "";
        lotKey = slash > 0 ? key[(slash + 1)..] : "";
        return slash > 0 && lotKey.StartsWith("01/", StringComparison.Ordinal);
    }
}

public interface IRecallStore
{
    /// <summary>Stores the recall and its outbox rows (one per lot) in one transaction.</summary>
    /// <exception cref="DuplicateKeyException">a recall with that id exists.</exception>
    Task AddRecallAsync(Recall recall, IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default);
    Task<Recall?> GetRecallAsync(string id, CancellationToken ct = default);
    /// <summary>Active recalls naming the lot, newest first.</summary>
    Task<IReadOnlyList<Recall>> GetActiveRecallsForLotAsync(string gtin14, string lot, CancellationToken ct = default);
    /// <summary>Active recalls, newest first.</summary>
    Task<IReadOnlyList<Recall>> ListActiveRecallsAsync(int max = 500, CancellationToken ct = default);
    /// <summary>Every recall, active and ended (the history), newest first.</summary>
    Task<IReadOnlyList<Recall>> ListRecallsAsync(int max = 500, CancellationToken ct = default);
    /// <summary>
    /// Ends an active recall: sets LiftedAt, EndedBy and EndReason, and records <paramref name="entry"/>
    /// (when given) in the same transaction. False when there is no such recall or it has already ended.
    /// </summary>
    Task<bool> EndRecallAsync(string id, DateTimeOffset at, string endedBy, string reason, AuditEntry? entry,
        CancellationToken ct = default);
}
