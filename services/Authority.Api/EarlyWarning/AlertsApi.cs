namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>
/// <c>GET /api/v1/alerts</c> (every staff role), <c>PATCH /api/v1/alerts/{id}</c> (admins and
/// officers; audited) and <c>GET /api/v1/producers/me/alerts</c> (a producer: its own products only).
/// </summary>
internal static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/alerts").WithTags("Early warning").RequireAuthorization(Policies.Staff);
        group.MapGet("", async Task<IResult> (HttpRequest request, AlertDesk desk, CancellationToken ct) =>
            {
                var q = request.Query;
                var parsed = AlertDesk.Parse(q["status"], q["kind"], q["province"], q["producer"], q["perPage"], q["page"]);
                return parsed.IsOk ? TypedResults.Ok(await desk.ListAsync(parsed.Value!, ct)) : parsed.ToProblem();
            })
            .WithName("ListAlerts")
            .WithSummary("Early-warning alerts (staff), ranked by score: ?status=open|acknowledged|closed&kind=&province=&producer=, paged with perPage (≤ 200) and page.")
            .Produces<AlertPage<AlertView>>();
        group.MapGet("/{id}", async Task<IResult> (string id, AlertDesk desk, CancellationToken ct) =>
                await desk.GetAsync(id, ct) is { } alert ? TypedResults.Ok(alert) : Problem.NotFound($"There is no alert '{id}'."))
            .WithName("GetAlert").WithSummary("One early-warning alert (staff).").Produces<AlertView>();
        group.MapPatch("/{id}", async Task<IResult> (string id, HttpRequest request, ClaimsPrincipal user, AlertDesk desk, CancellationToken ct) =>
            {
                var (change, problem) = await JsonBody.ReadAsync<AlertChange>(request);
                if (problem is not null) return problem;
                var changed = await desk.ChangeAsync(user, id, change!, ct);
                return changed.IsOk ? TypedResults.Ok(changed.Value) : changed.ToProblem();
            })
            .RequireAuthorization(Policies.StaffWriter).WithName("ChangeAlert").Accepts<AlertChange>("application/json")
            .WithSummary("Acknowledge an alert, or close it with an outcome (confirmed_counterfeit | false_alarm | recalled | referred_to_inspection); admins and officers; audited.")
            .Produces<AlertView>();

        routes.MapGet("/api/v1/producers/me/alerts", async Task<IResult> (HttpRequest request, ClaimsPrincipal user, AlertDesk desk, CancellationToken ct) =>
            {
                var q = request.Query;
                var parsed = AlertDesk.Parse(q["status"], q["kind"], q["province"], null, q["perPage"], q["page"]);
                return parsed.IsOk ? TypedResults.Ok(await desk.ListForProducerAsync(user.ProducerId()!, parsed.Value!, ct)) : parsed.ToProblem();
            })
            .RequireAuthorization(Policies.Producer).WithTags("Early warning").WithName("ListMyAlerts")
            .WithSummary("The early-warning alerts about the calling producer's own products (no consumer data, no staff names), ranked by score.")
            .Produces<AlertPage<ProducerAlertView>>();
        return routes;
    }
}
