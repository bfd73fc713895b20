using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Ingestion.Api.Accounts;

public sealed record CreateProducerRequest(
    string? Name, string? TaxCode, string? Address, string? Province, string? Gln,
    IReadOnlyList<string>? CompanyPrefixes, string? Phone, string? Email);

/// <summary>
/// The contact the producer publishes for shoppers; each field replaces the stored one (null or empty
/// clears it). The phone and e-mail registered with the authority stay private.
/// </summary>
public sealed record ProducerContactRequest(string? Phone, string? Website);

public sealed record ProducerContact(string? Phone, string? Website);

public sealed record ProducerCreated(
    string Id, string ApiKey, string Name, string TaxCode, string Address, string Province, string? Gln,
    IReadOnlyList<string> CompanyPrefixes);

public sealed record CreateInspectorRequest(string? Name, string? Agency);

public sealed record InspectorCreated(string Id, string ApiKey, string Name, string Agency);

/// <summary>The authority registers producers and inspectors; each gets a key shown once.</summary>
public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        group.MapPost("/producers", CreateProducer).WithName("CreateProducer")
            .WithSummary("Register a producer (admin); the response carries its API key, shown once.")
            .Accepts<CreateProducerRequest>("application/json");
        group.MapPost("/inspectors", CreateInspector).WithName("CreateInspector")
            .WithSummary("Register a market inspector (admin); the response carries its API key, shown once.")
            .Accepts<CreateInspectorRequest>("application/json");
        var producer = routes.MapGroup("/api/v1/producers/me").WithTags("Accounts").RequireAuthorization(Policies.Producer);
        producer.MapPut("/contact", SetContact).WithName("SetProducerContact")
            .WithSummary("The contact the producer publishes (phone, website), shown on its products' consumer pages (producer).")
            .Accepts<ProducerContactRequest>("application/json");
        return group;
    }

    private static async Task<Results<Ok<ProducerContact>, AnyProblem>> SetContact(HttpRequest request, ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProducerContactRequest>(request);
        if (problem is not null) return problem;
        var outcome = await accounts.SetContactAsync(user.ProducerId()!, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Created<ProducerCreated>, AnyProblem>> CreateProducer(HttpRequest request, AccountService accounts, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateProducerRequest>(request);
        if (problem is not null) return problem;
        var outcome = await accounts.CreateProducerAsync(body!, ct);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/producers/{outcome.Value!.Id}", outcome.Value)
            : outcome.ToProblem();
    }

    private static async Task<Results<Created<InspectorCreated>, AnyProblem>> CreateInspector(HttpRequest request, AccountService accounts, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateInspectorRequest>(request);
        if (problem is not null) return problem;
        var outcome = await accounts.CreateInspectorAsync(body!, ct);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/inspectors/{outcome.Value!.Id}", outcome.Value)
            : outcome.ToProblem();
    }
}
