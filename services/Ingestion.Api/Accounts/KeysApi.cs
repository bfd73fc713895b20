using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.ServiceDefaults.Auth;
using Traceability.ServiceDefaults.Http;

namespace Traceability.Ingestion.Api.Accounts;

/// <summary>Key rotation and revocation; new keys are shown once, like at registration.</summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Accounts");
        group.MapPost("/api-keys/rotate", Rotate).RequireAuthorization().WithName("RotateApiKey")
            .WithSummary("Replace the caller's own key with a new one; the old key stops working at once.")
            .Produces<KeyIssued>();
        group.MapPost("/producers/{id}/keys/revoke", Revoke).RequireAuthorization(Policies.Admin).WithName("RevokeProducerKey")
            .WithSummary("Revoke one of a producer's keys (admin), optionally issuing a new one.")
            .Accepts<RevokeKeyRequest>("application/json").Produces<KeyRevoked>();
        return routes;
    }

    private static async Task<IResult> Rotate(ClaimsPrincipal user, KeyService keys, CancellationToken ct)
    {
        var outcome = await keys.RotateAsync(user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    private static async Task<IResult> Revoke(string id, HttpRequest request, KeyService keys, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RevokeKeyRequest>(request);
        if (problem is not null) return problem;
        var outcome = await keys.RevokeProducerKeyAsync(id, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }
}
