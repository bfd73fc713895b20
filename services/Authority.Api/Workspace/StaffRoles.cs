namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// The authority's staff roles (issue 18) and the workspace policies built on them: every staff
/// member reads; officers and admins write (producers, recalls, complaints, inspections); only
/// admins manage staff. The bootstrap admin key signs in as <see cref="Admin"/>.
/// </summary>
public static class StaffRoles
{
    public const string Admin = "admin";
    public const string Officer = "officer";
    public const string Viewer = "viewer";

    /// <summary>Pages and reads: any staff role.</summary>
    public const string ReadPolicy = WorkspaceAuth.Policy;
    /// <summary>Write actions (register/suspend, recalls, complaints, publishing inspections).</summary>
    public const string WritePolicy = "authority-write";
    /// <summary>Creating and revoking staff accounts.</summary>
    public const string ManageStaffPolicy = "authority-manage-staff";

    public static readonly string[] All = [Admin, Officer, Viewer];
    public static readonly string[] Writers = [Admin, Officer];

    /// <summary>The API-key role a staff role signs in with (the same key opens the staff APIs and the workspace).</summary>
    public static Traceability.Storage.Role KeyRole(string role) => role switch
    {
        Admin => Traceability.Storage.Role.Admin,
        Officer => Traceability.Storage.Role.Officer,
        Viewer => Traceability.Storage.Role.Viewer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a staff role"),
    };

    /// <summary>The staff role of an API key's role, or null for producer and inspector keys.</summary>
    public static string? Of(Traceability.Storage.Role role) => role switch
    {
        Traceability.Storage.Role.Admin => Admin,
        Traceability.Storage.Role.Officer => Officer,
        Traceability.Storage.Role.Viewer => Viewer,
        _ => null,
    };

    public static bool CanWrite(System.Security.Claims.ClaimsPrincipal user) => Writers.Any(user.IsInRole);
}

/// <summary>A staff member as other features show and pick them (e.g. a complaint's assignee).</summary>
public sealed record StaffMember(string Id, string Name, string Unit, string Role)
{
    /// <summary>The bootstrap admin key's holder, who is always staff.</summary>
    public static readonly StaffMember Bootstrap = new("admin-configured", "Quản trị", "", StaffRoles.Admin);
}

/// <summary>
/// The staff members one can assign work to: the bootstrap admin and every active named account
/// (implemented by <see cref="StaffAccounts.StaffService"/>).
/// </summary>
public interface IStaffDirectory
{
    Task<IReadOnlyList<StaffMember>> ListActiveAsync(CancellationToken ct);
}
