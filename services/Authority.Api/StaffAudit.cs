namespace Traceability.Authority.Api;

/// <summary>
/// How a staff write is recorded in the audit log (<see cref="IAuditStore"/>): who (the signed-in
/// account or the key's id: <see cref="TraceClaims.Actor"/>), when, what (an action
/// such as <c>report.triage</c>), on which target (<c>report:{id}</c>) and why; ids from <see cref="AuditEntry.New"/>.
/// </summary>
public static class StaffAudit
{
    public static string Actor(ClaimsPrincipal user) => user.Actor();

    public static AuditEntry Entry(ClaimsPrincipal user, DateTimeOffset at, string action, string target, string? reason, string? details) =>
        AuditEntry.New(at, user.Actor(), action, target, reason, details);
}
