namespace Traceability.Storage;

/// <summary>
/// One write by the authority's staff: who (Actor: the signed-in account, or the admin key's id),
/// when, what (Action such as <c>producer.register</c>, on Target such as <c>producer:p_…</c>) and
/// why (Reason, required for suspensions). Details is free text (e.g. the registered name).
/// Entries are only ever added: the log is the record of what staff did.
/// </summary>
public sealed record AuditEntry(
    string Id, DateTimeOffset At, string Actor, string Action, string Target, string? Reason, string? Details)
{
    /// <summary>A new entry with a fresh random id (<c>au_…</c>), the one way features make entries.</summary>
    public static AuditEntry New(DateTimeOffset at, string actor, string action, string target, string? reason = null, string? details = null) =>
        new("au_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)), at, actor, action, target, reason, details);
}

public interface IAuditStore
{
    Task AddAuditAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Newest first; target null = every target.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? target, int max, CancellationToken ct = default);

    /// <summary>Entries matching every filter of <paramref name="query"/> (From inclusive, To exclusive), newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, int max, CancellationToken ct = default);

    /// <summary>
    /// Sets the producer's Suspended flag and records <paramref name="entry"/> in one transaction, so
    /// a suspension is never in force without its audit record. False when there is no such producer.
    /// </summary>
    Task<bool> SetProducerSuspendedAsync(string producerId, bool suspended, AuditEntry entry, CancellationToken ct = default);
}
