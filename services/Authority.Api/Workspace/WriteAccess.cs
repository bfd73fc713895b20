using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// Whether the signed-in staff member may write (<see cref="StaffRoles.WritePolicy"/>), as the
/// pages ask it: to hide the write forms from viewers and to refuse their posts (403). The policy
/// itself decides, so the pages and the API cannot disagree.
/// </summary>
public static class WriteAccess
{
    public static async Task<bool> CanWriteAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, StaffRoles.WritePolicy)).Succeeded;
}
