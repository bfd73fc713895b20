namespace Traceability.Lookup.Api.Signing;

/// <summary>Signed serialised labels and the published keys (DESIGN §4.5).</summary>
internal static class SigningApi
{
    public static IEndpointRouteBuilder MapSigning(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/lots/{gtin}/{lot}/serials", IssueSerials).RequireAuthorization(Policies.Producer)
            .WithTags("Verification").WithName("IssueSerials")
            .WithSummary("Issue N signed serialised Digital Links for one of your lots (verifiable offline).")
            .Accepts<SerialsRequest>("application/json").Produces<SerialsResponse>(StatusCodes.Status201Created);
        routes.MapGet("/.well-known/traceability-keys", PublishedKeys).AllowAnonymous()
            .WithTags("Verification").WithName("TraceabilityKeys")
            .WithSummary("The public keys that verify signed labels (JWKS-like; active and retired keys).");
        routes.MapPost("/api/v1/keys/rotate", Rotate).RequireAuthorization(Policies.Admin)
            .WithTags("Verification").WithName("RotateLabelKey")
            .WithSummary("Start signing new labels with a new key; the old one stays published.");
        return routes;
    }

    private static async Task<IResult> IssueSerials(string gtin, string lot, HttpContext http, ClaimsPrincipal user,
        SerialService service, PublicOrigin origin, IOptions<VerifyOptions> verify, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<SerialsRequest>(http.Request);
        if (problem is not null) return problem;
        var outcome = await service.IssueAsync(user.ProducerId()!, gtin, lot, body!, verify.Value.MaxSerialsPerRequest,
            origin.Of(http), ct);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/lots/{Uri.EscapeDataString(gtin)}/{Uri.EscapeDataString(lot)}/serials", outcome.Value)
            : outcome.ToProblem();
    }

    private static async Task<IResult> PublishedKeys(HttpContext http, LabelKeyRing keys, CancellationToken ct)
    {
        http.Response.Headers.AccessControlAllowOrigin = "*";
        // Short: a rotation must reach offline verifiers the next time they are online.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(await keys.PublishedAsync(ct));
    }

    private static async Task<IResult> Rotate(LabelKeyRing keys, CancellationToken ct) =>
        TypedResults.Ok(new { keyId = await keys.RotateAsync(ct) });
}
