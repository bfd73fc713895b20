namespace Traceability.Storage;

/// <summary>
/// A person of a producer who signs in to the console with their own login (issue 21 point 8):
/// Login is a normalised e-mail address or phone number, unique across all producers; Role is
/// <c>admin</c> (manages the producer's users) or <c>staff</c>. Only a password hash is kept.
/// MustChangePassword is set by a reset (a one-time temporary password); PasswordChangedAt ends
/// the sessions opened with an older password.
/// </summary>
public sealed record ProducerUser(
    string Id, string ProducerId, string Login, string Name, string Role, string PasswordHash, bool MustChangePassword,
    DateTimeOffset PasswordChangedAt, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DisabledAt = null)
{
    public bool IsActive => DisabledAt is null;
}

public interface IProducerUserStore
{
    /// <summary>Stores the user and the audit entry in one transaction.</summary>
    /// <exception cref="DuplicateKeyException">a user with that id or login exists.</exception>
    Task AddProducerUserAsync(ProducerUser user, AuditEntry entry, CancellationToken ct = default);

    Task<ProducerUser?> GetProducerUserAsync(string id, CancellationToken ct = default);

    /// <summary>The user (active or disabled) with that normalised login, or null.</summary>
    Task<ProducerUser?> FindProducerUserByLoginAsync(string login, CancellationToken ct = default);

    /// <summary>A producer's users, active and disabled, oldest first.</summary>
    Task<IReadOnlyList<ProducerUser>> ListProducerUsersAsync(string producerId, CancellationToken ct = default);

    /// <summary>
    /// Replaces an active user's password hash (and its must-change flag and change time) and records
    /// <paramref name="entry"/> when given, in one transaction. False when there is no such active user.
    /// </summary>
    Task<bool> SetProducerUserPasswordAsync(string id, string passwordHash, bool mustChange, DateTimeOffset at, AuditEntry? entry,
        CancellationToken ct = default);

    /// <summary>Disables the user and records <paramref name="entry"/> in one transaction; false when there is no such active user.</summary>
    Task<bool> DisableProducerUserAsync(string id, DateTimeOffset at, AuditEntry entry, CancellationToken ct = default);
}
