using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Traceability.Lookup.Api.Resolver;
using Traceability.ServiceDefaults.Http;

namespace Traceability.Lookup.Api.Verification;

internal static class VerifyApi
{
    public static IEndpointRouteBuilder MapVerify(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/verify", Verify).AllowAnonymous().WithTags("Verification").WithName("Verify")
            .WithSummary("Verdict for a scanned code (Digital Link on any host, GS1 element string or GTIN). Inspectors get scan history and producer contact.")
            .Accepts<VerifyRequest>("application/json").Produces<VerifyResponse>();
        return routes;
    }

    private static async Task<IResult> Verify(HttpContext http, ClaimsPrincipal user, VerifyService service,
        IOptions<LookupOptions> options, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var (body, problem) = await JsonBody.ReadAsync<VerifyRequest>(http.Request, 16 * 1024);
        if (problem is not null) return problem;
        var inspector = user.IsInRole("inspector") || user.IsInRole("admin");
        var outcome = await service.VerifyAsync(body!, inspector, ResolverApi.BaseUrl(http, options.Value), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }
}
