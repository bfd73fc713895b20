using System.Security.Claims;
using System.Security.Cryptography;
using Traceability.Storage;

namespace Traceability.Authority.Api;

/// <summary>
/// How a staff write is recorded in the audit log (<see cref="IAuditStore"/>): who (the signed-in
/// account or the key's id), when, what (an action such as <c>report.triage</c>), on which target
/// (<c>report:{id}</c>) and why. One place, so every feature names actors and ids the same way.
/// </summary>
public static class StaffAudit
{
    /// <summary>Who did it, as the audit log names them: the signed-in account or the key's id.</summary>
    public static string Actor(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Name) ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";

    public static AuditEntry Entry(ClaimsPrincipal user, DateTimeOffset at, string action, string target, string? reason, string? details) =>
        new("au_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), at, Actor(user), action, target, reason, details);
}
