using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Authority.Api.Producers;

public sealed record SuspensionRequest(string? Reason);

public sealed record SuspensionResponse(string Id, string Status);

/// <summary>
/// The authority's producer directory: list with filters and paging, one producer with its
/// products, lots, recent events, portal sync state and recalls, its products and lots page by page
/// (every staff role reads), and suspension (admins and officers). Registration stays
/// <c>POST /api/v1/producers</c> (Ingestion.Api).
/// </summary>
internal static class ProducersApi
{
    public static IEndpointRouteBuilder MapProducersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/producers").WithTags("Accounts").RequireAuthorization(Policies.Staff);
        group.MapGet("", List).WithName("ListProducers")
            .WithSummary("Producers (staff), by name: ?province=&status=active|suspended&q=, paged with perPage (≤ 200) and nextPageToken or page.")
            ;
        group.MapGet("/{id}", Get).WithName("GetProducer")
            .WithSummary("One producer (staff) with its products, lots, recent events, portal sync state and active recalls.")
            ;
        group.MapGet("/{id}/products", (string id, HttpRequest request, ProducerDirectory directory, CancellationToken ct) =>
                PageAsync(request, "products", (offset, perPage) => directory.ProductsAsync(id, offset, perPage, ct), id))
            .WithName("ListProducerProducts")
            .WithSummary("A producer's products (staff) by GTIN with their portal sync state, paged with perPage (≤ 200) and nextPageToken or page.")
            ;
        group.MapGet("/{id}/lots", (string id, HttpRequest request, ProducerDirectory directory, CancellationToken ct) =>
                PageAsync(request, "lots", (offset, perPage) => directory.LotsAsync(id, offset, perPage, ct), id))
            .WithName("ListProducerLots")
            .WithSummary("A producer's lots (staff), newest first, with their portal sync state, paged with perPage (≤ 200) and nextPageToken or page.")
            ;
        // Reading is for every staff role; changing a producer's state for admins and officers.
        var writers = group.MapGroup("").RequireAuthorization(Policies.StaffWriter);
        writers.MapPost("/{id}/suspend", (string id, HttpRequest request, ClaimsPrincipal user, ProducerAdmin admin, CancellationToken ct) =>
                ChangeAsync(id, request, (reason) => admin.SuspendAsync(user, id, reason, ct)))
            .WithName("SuspendProducer").Accepts<SuspensionRequest>("application/json")
            .WithSummary("Suspend a producer (admin or officer) with a reason: its lots show `suspended` on lookup and verify at once. Audited.");
        writers.MapPost("/{id}/reinstate", (string id, HttpRequest request, ClaimsPrincipal user, ProducerAdmin admin, CancellationToken ct) =>
                ChangeAsync(id, request, (reason) => admin.ReinstateAsync(user, id, reason, ct)))
            .WithName("ReinstateProducer").Accepts<SuspensionRequest>("application/json")
            .WithSummary("Lift a producer's suspension (admin or officer) with a reason. Audited.");
        return routes;
    }

    private static async Task<Results<Ok<ProducerPage>, AnyProblem>> List(HttpRequest request, ProducerDirectory directory, CancellationToken ct)
    {
        var q = request.Query;
        var parsed = ProducerDirectory.Parse(q["province"], q["status"], q["q"], q["perPage"], q["page"], q["nextPageToken"]);
        if (!parsed.IsOk) return parsed.ToProblem();
        var (filter, offset, perPage) = parsed.Value;
        var page = await directory.ListAsync(filter, offset, perPage, ct);
        // The same continuation header as the EPCIS query interface.
        if (page.NextPageToken is { } next) request.HttpContext.Response.Headers["GS1-Next-Page-Token"] = next;
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<Paged<T>>, AnyProblem>> PageAsync<T>(HttpRequest request, string scope, Func<int, int, Task<Paged<T>?>> read, string id)
    {
        var q = request.Query;
        var parsed = ProducerDirectory.ParsePage(scope, q["perPage"], q["page"], q["nextPageToken"]);
        if (!parsed.IsOk) return parsed.ToProblem();
        var page = await read(parsed.Value.Offset, parsed.Value.PerPage);
        if (page is null) return (AnyProblem)Problem.NotFound($"There is no producer '{id}'.");
        if (page.NextPageToken is { } next) request.HttpContext.Response.Headers["GS1-Next-Page-Token"] = next;
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<ProducerDetails>, ProblemHttpResult>> Get(string id, ProducerDirectory directory, CancellationToken ct) =>
        await directory.GetAsync(id, ct) is { } details ? TypedResults.Ok(details) : Problem.NotFound($"There is no producer '{id}'.");

    private static async Task<Results<Ok<SuspensionResponse>, AnyProblem>> ChangeAsync(string id, HttpRequest request, Func<string?, Task<Outcome<string>>> change)
    {
        var (body, problem) = await JsonBody.ReadAsync<SuspensionRequest>(request);
        if (problem is not null) return problem;
        var outcome = await change(body!.Reason);
        return outcome.IsOk ? TypedResults.Ok(new SuspensionResponse(id, outcome.Value!)) : outcome.ToProblem();
    }
}
