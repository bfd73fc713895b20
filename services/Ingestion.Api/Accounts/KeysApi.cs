using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Ingestion.Api.Accounts;

/// <summary>Key rotation and revocation; new keys are shown once, like at registration.</summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder routes)
    {
        // Any key may replace itself; revoking a producer's key is the admin's.
        var anyKey = routes.MapGroup("/api/v1").WithTags("Accounts").RequireAuthorization();
        var admin = routes.MapGroup("/api/v1").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        anyKey.MapPost("/api-keys/rotate", Rotate).WithName("RotateApiKey")
            .WithSummary("Replace the caller's own key with a new one; the old key stops working at once.")
            ;
        admin.MapPost("/producers/{id}/keys/revoke", Revoke).WithName("RevokeProducerKey")
            .WithSummary("Revoke one of a producer's keys (admin), optionally issuing a new one.")
            .Accepts<RevokeKeyRequest>("application/json");
        return routes;
    }

    private static async Task<Results<Ok<KeyIssued>, AnyProblem>> Rotate(ClaimsPrincipal user, KeyService keys, CancellationToken ct)
    {
        var outcome = await keys.RotateAsync(user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<KeyRevoked>, AnyProblem>> Revoke(string id, HttpRequest request, KeyService keys, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RevokeKeyRequest>(request);
        if (problem is not null) return problem;
        var outcome = await keys.RevokeProducerKeyAsync(id, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
