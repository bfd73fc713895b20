using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Ingestion.Api.Accounts;

/// <summary>
/// A producer's personal console accounts (DESIGN §4.9): managed by the producer itself with its key
/// (<c>/producers/me/users</c>) and by the authority's admins (<c>/producers/{id}/users</c>).
/// Temporary passwords are in the response once and never stored in clear.
/// </summary>
internal static class ProducerUsersApi
{
    public static IEndpointRouteBuilder MapProducerUsersApi(this IEndpointRouteBuilder routes)
    {
        var own = routes.MapGroup("/api/v1/producers/me/users").WithTags("Accounts").RequireAuthorization(Policies.Producer);
        Map(own, "Own", user => user.ProducerId()!, "(producer)");
        var authority = routes.MapGroup("/api/v1/producers/{id}/users").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        Map(authority, "", user => null, "(authority admin)");
        return routes;
    }

    /// <summary>
    /// The four routes of one group; <paramref name="own"/> gives the caller's producer, or null when
    /// the route names it (<c>{id}</c>).
    /// </summary>
    private static void Map(RouteGroupBuilder group, string suffix, Func<ClaimsPrincipal, string?> own, string who)
    {
        string Producer(HttpContext ctx) => own(ctx.User) ?? (string)ctx.GetRouteValue("id")!;

        group.MapGet("", async Task<Results<Ok<IReadOnlyList<ProducerUserView>>, AnyProblem>> (HttpContext ctx, ProducerUserService users, CancellationToken ct) =>
            {
                var outcome = await users.ListAsync(Producer(ctx), ct);
                return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
            })
            .WithName("ListProducerUsers" + suffix).WithSummary($"The producer's console accounts, active and disabled {who}; never a password.");
        group.MapPost("", async Task<Results<Created<ProducerUserPassword>, AnyProblem>> (HttpContext ctx, ProducerUserService users, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<CreateProducerUserRequest>(ctx.Request);
                if (problem is not null) return problem;
                var outcome = await users.CreateAsync(ctx.User, Producer(ctx), body!, ct);
                if (!outcome.IsOk) return outcome.ToProblem();
                ctx.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"{ctx.Request.Path}/{outcome.Value!.User.Id}", outcome.Value);
            })
            .WithName("CreateProducerUser" + suffix).Accepts<CreateProducerUserRequest>("application/json")
            .WithSummary($"Create a console account `{{login: e-mail or phone, name, role: admin|staff}}` {who} → 201 with a temporary password, shown once, to change at the first sign-in. Audited.");
        group.MapPost("/{userId}/reset", async Task<Results<Ok<ProducerUserPassword>, AnyProblem>> (string userId, HttpContext ctx, ProducerUserService users, CancellationToken ct) =>
            {
                var outcome = await users.ResetAsync(ctx.User, Producer(ctx), userId, ct);
                if (!outcome.IsOk) return outcome.ToProblem();
                ctx.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(outcome.Value!);
            })
            .WithName("ResetProducerUser" + suffix)
            .WithSummary($"Reset a console account's password {who} → a new temporary password, shown once; the account's sessions end. Audited.");
        group.MapDelete("/{userId}", async Task<Results<Ok<ProducerUserView>, AnyProblem>> (string userId, HttpContext ctx, ProducerUserService users, CancellationToken ct) =>
            {
                var outcome = await users.DisableAsync(ctx.User, Producer(ctx), userId, ct);
                return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
            })
            .WithName("DisableProducerUser" + suffix)
            .WithSummary($"Disable a console account {who}: it can no longer sign in and its sessions end; kept for the audit log. Audited.");
    }
}
