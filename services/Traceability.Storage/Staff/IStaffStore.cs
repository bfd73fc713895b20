namespace Traceability.Storage;

/// <summary>
/// A named member of the authority's staff (issue 18): name, unit (e.g. "Sở KH&amp;CN Lào Cai") and
/// role (<c>admin</c> | <c>officer</c> | <c>viewer</c>, the workspace's vocabulary). Their keys are API
/// keys carrying <see cref="ApiKeyRecord.StaffId"/>; revoking the account revokes its keys.
/// </summary>
public sealed record StaffAccount(
    string Id, string Name, string Unit, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt = null)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>Filters of the audit log; null means any. Action matches as a prefix ("recall." finds recall.issue and recall.end).</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, string? Target = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null);

public interface IStaffStore
{
    /// <summary>Stores the account, its first key and the audit entry in one transaction.</summary>
    /// <exception cref="DuplicateKeyException">an account or key with that id exists.</exception>
    Task AddStaffAsync(StaffAccount staff, ApiKeyRecord key, AuditEntry entry, CancellationToken ct = default);
    Task<StaffAccount?> GetStaffAsync(string id, CancellationToken ct = default);
    /// <summary>Every account, active or revoked, oldest first.</summary>
    Task<IReadOnlyList<StaffAccount>> ListStaffAsync(CancellationToken ct = default);
    /// <summary>
    /// Revokes the account and every key of it, and records <paramref name="entry"/>, in one
    /// transaction. False when there is no such account or it was already revoked.
    /// </summary>
    Task<bool> RevokeStaffAsync(string id, DateTimeOffset at, AuditEntry entry, CancellationToken ct = default);
}
