using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Authority.Api.StaffAccounts;

/// <summary>The authority's staff accounts (admin only): list, create (the key shown once), revoke.</summary>
internal static class StaffApi
{
    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        group.MapGet("", async (StaffService staff, CancellationToken ct) => TypedResults.Ok(await staff.ListAsync(ct)))
            .WithName("ListStaff").WithSummary("The authority's staff accounts (admin), active and revoked; never their keys.")
            ;
        group.MapPost("", Create).WithName("CreateStaff").Accepts<CreateStaffRequest>("application/json")
            .WithSummary("Create a named staff account (admin) `{name, unit, role: admin|officer|viewer}` → 201 with its key, shown once. Audited.")
            ;
        group.MapPost("/{id}/revoke", Revoke).WithName("RevokeStaff").Accepts<StaffRevokeRequest>("application/json")
            .WithSummary("Revoke a staff account and all its keys (admin) with a reason; its workspace sessions end at once. Audited.")
            ;
        return routes;
    }

    private static async Task<Results<Created<StaffCreated>, AnyProblem>> Create(HttpRequest request, ClaimsPrincipal user, StaffService staff, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateStaffRequest>(request);
        if (problem is not null) return problem;
        var outcome = await staff.CreateAsync(user, body!, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/staff/{outcome.Value!.Staff.Id}", outcome.Value);
    }

    private static async Task<Results<Ok<StaffView>, AnyProblem>> Revoke(string id, HttpRequest request, ClaimsPrincipal user, StaffService staff, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<StaffRevokeRequest>(request);
        if (problem is not null) return problem;
        var outcome = await staff.RevokeAsync(user, id, body!.Reason, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
