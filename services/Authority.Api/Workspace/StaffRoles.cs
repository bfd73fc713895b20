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
}

/// <summary>A staff member as other features show and pick them (e.g. a complaint's assignee).</summary>
public sealed record StaffMember(string Id, string Name, string Unit, string Role);

/// <summary>
/// The staff members one can assign work to. The staff-accounts feature replaces the default,
/// which knows only the bootstrap admin.
/// </summary>
public interface IStaffDirectory
{
    Task<IReadOnlyList<StaffMember>> ListActiveAsync(CancellationToken ct);
}

internal sealed class BootstrapOnlyStaffDirectory : IStaffDirectory
{
    public Task<IReadOnlyList<StaffMember>> ListActiveAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<StaffMember>>([new StaffMember("admin-configured", "Quản trị", "", StaffRoles.Admin)]);
}
