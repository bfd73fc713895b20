namespace Traceability.Authority.FunctionalTests;

/// <summary>The authority host with a way to act as a named staff member of a role (viewer, officer, admin).</summary>
public sealed class StaffRoleApp : AuthorityApp
{
    /// <summary>A client with the key of a new staff account of <paramref name="role"/>.</summary>
    public async Task<HttpClient> AsAsync(string role) => ClientWithKey((await CreateStaffAsync(role, "Cán bộ " + role)).ApiKey);
}
