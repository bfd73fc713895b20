namespace Traceability.Lookup.Api.Verification;

internal static class VerifyApi
{
    public static IEndpointRouteBuilder MapVerify(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/verify", Verify).AllowAnonymous().WithTags("Verification").WithName("Verify")
            .WithSummary("Verdict for a scanned code (Digital Link on any host, GS1 element string or GTIN). Reasons in Vietnamese, or English with Accept-Language: en. Inspectors get scan history and producer contact.")
            .Accepts<VerifyRequest>("application/json").Produces<VerifyResponse>();
        return routes;
    }

    private static async Task<IResult> Verify(HttpContext http, ClaimsPrincipal user, VerifyService service, ClientPseudonym pseudonym,
        PublicOrigin origin, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Vary = "Accept-Language";
        var (body, problem) = await JsonBody.ReadAsync<VerifyRequest>(http.Request, 16 * 1024);
        if (problem is not null) return problem;
        var scanner = user.IsInRole("inspector") ? new Scanner(ScanSources.Inspector, null, null)
            : user.IsInRole("admin") ? new Scanner(ScanSources.Staff, null, null)
            : user.IsInRole("producer") ? new Scanner(ScanSources.Producer, user.ProducerId(), null)
            : Scanner.Anonymous with { Client = await pseudonym.OfAsync(http, ct) };
        var outcome = await service.VerifyAsync(body!, scanner, origin.Of(http), Negotiation.Language(http.Request), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }
}
