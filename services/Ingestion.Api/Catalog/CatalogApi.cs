using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Ingestion.Api.Catalog;

/// <summary>Master data a producer registers: products, locations, lots (DESIGN §4.3).</summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this IEndpointRouteBuilder routes)
    {
        // Writes and lists are the producer's own; reading one product or lot is open to the admin too.
        var own = routes.MapGroup("/api/v1").WithTags("Master data").RequireAuthorization(Policies.Producer);
        var shared = routes.MapGroup("/api/v1").WithTags("Master data").RequireAuthorization(Policies.AdminOrProducer);

        own.MapPost("/products", CreateProduct).WithName("CreateProduct")
            .WithSummary("Register a product (GTIN under one of your company prefixes).")
            .Accepts<ProductRequest>("application/json");
        own.MapPut("/products/{gtin}", UpdateProduct).WithName("UpdateProduct")
            .WithSummary("Replace a product's descriptive data (the GTIN stays).")
            .Accepts<ProductRequest>("application/json");
        shared.MapGet("/products/{gtin}", GetProduct).WithName("GetProduct")
            .WithSummary("One of your products (admins: any).");
        own.MapGet("/products", ListProducts).WithName("ListProducts")
            .WithSummary("Your products.");

        own.MapPost("/locations", CreateLocation).WithName("CreateLocation")
            .WithSummary("Register a farm, growing area, processing site, warehouse or store.")
            .Accepts<LocationRequest>("application/json");
        own.MapGet("/locations", ListLocations).WithName("ListLocations")
            .WithSummary("Your locations, with the identifier to use in events' bizLocation/readPoint.");
        own.MapGet("/locations/{code}", GetLocation).WithName("GetLocation")
            .WithSummary("One of your locations.");

        own.MapPost("/lots", CreateLot).WithName("CreateLot")
            .WithSummary("Register a lot (batch) of one of your products.")
            .Accepts<LotRequest>("application/json");
        shared.MapGet("/lots/{gtin}/{lot}", GetLot).WithName("GetLot")
            .WithSummary("One of your lots (admins: any).");
        own.MapGet("/lots", ListLots).WithName("ListLots")
            .WithSummary("Your lots, newest first.");
        return own;
    }

    private static async Task<Results<Created<ProductResponse>, AnyProblem>> CreateProduct(HttpRequest request, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProductRequest>(request);
        if (problem is not null) return problem;
        var outcome = await catalog.AddProductAsync(user.ProducerId()!, body!, ct);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/products/{outcome.Value!.Gtin}", ProductResponse.From(outcome.Value))
            : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ProductResponse>, AnyProblem>> UpdateProduct(string gtin, HttpRequest request, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProductRequest>(request);
        if (problem is not null) return problem;
        var outcome = await catalog.UpdateProductAsync(user.ProducerId()!, gtin, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(ProductResponse.From(outcome.Value!)) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ProductResponse>, AnyProblem>> GetProduct(string gtin, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct)
    {
        var outcome = await catalog.GetOwnProductAsync(user.IsAdmin() ? null : user.ProducerId(), gtin, ct);
        return outcome.IsOk ? TypedResults.Ok(ProductResponse.From(outcome.Value!)) : outcome.ToProblem();
    }

    private static async Task<Ok<IEnumerable<ProductResponse>>> ListProducts(ClaimsPrincipal user, ICatalogStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListProductsAsync(user.ProducerId()!, ct)).Select(ProductResponse.From));

    private static async Task<Results<Created<LocationResponse>, AnyProblem>> CreateLocation(HttpRequest request, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<LocationRequest>(request);
        if (problem is not null) return problem;
        var outcome = await catalog.AddLocationAsync(user.ProducerId()!, body!, ct);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/locations/{Uri.EscapeDataString(outcome.Value!.Code)}", LocationResponse.From(outcome.Value))
            : outcome.ToProblem();
    }

    private static async Task<Ok<IEnumerable<LocationResponse>>> ListLocations(ClaimsPrincipal user, ICatalogStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListLocationsAsync(user.ProducerId()!, ct)).Select(LocationResponse.From));

    private static async Task<Results<Ok<LocationResponse>, ProblemHttpResult>> GetLocation(string code, ClaimsPrincipal user, ICatalogStore store, CancellationToken ct) =>
        await store.GetLocationAsync(user.ProducerId()!, code, ct) is { } location
            ? TypedResults.Ok(LocationResponse.From(location))
            : Problem.NotFound($"You have no location with code '{code}'.");

    private static async Task<Results<Created<LotResponse>, AnyProblem>> CreateLot(HttpRequest request, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<LotRequest>(request);
        if (problem is not null) return problem;
        var outcome = await catalog.AddLotAsync(user.ProducerId()!, body!, ct);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/lots/{outcome.Value!.Gtin}/{Uri.EscapeDataString(outcome.Value.LotNumber)}",
                LotResponse.From(outcome.Value))
            : outcome.ToProblem();
    }

    private static async Task<Results<Ok<LotResponse>, ValidationProblem, ProblemHttpResult>> GetLot(string gtin, string lot, ClaimsPrincipal user, ICatalogStore store, CancellationToken ct)
    {
        if (!Gtin.TryParse(gtin, out var g, out var error)) return Problem.Validation("gtin", error!);
        var found = await store.GetLotAsync(g.Value, lot, ct);
        if (found is null) return Problem.NotFound($"Lot {lot} of GTIN {g.Value} is not registered.");
        if (!user.IsAdmin() && found.ProducerId != user.ProducerId())
            return Problem.Forbidden("This lot belongs to another producer.");
        return TypedResults.Ok(LotResponse.From(found));
    }

    private static async Task<Ok<IEnumerable<LotResponse>>> ListLots(ClaimsPrincipal user, ICatalogStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListLotsAsync(user.ProducerId()!, 500, ct)).Select(LotResponse.From));
}
