namespace Traceability.ProducerConsole.Alerts;

/// <summary>
/// The early-warning alerts about the producer's own products (the same ones as
/// <c>GET /api/v1/producers/me/alerts</c>), highest score first: what was seen, where, the reason with
/// its numbers, and how the authority handled it. Never another producer's, never who of the staff
/// handled it, and alerts hold no consumer data.
/// </summary>
internal static class AlertPages
{
    private const int Shown = 100;

    public static void MapAlertPages(this IEndpointRouteBuilder console) => console.MapGet("/alerts", ListAsync);

    private static async Task<IResult> ListAsync(HttpContext ctx, IEarlyWarningStore store)
    {
        var query = new EarlyAlertQuery(ProducerId: ctx.User.ProducerId()!, Limit: Shown);
        var (items, total) = await store.ListEarlyAlertsAsync(query, ctx.RequestAborted);
        return PageResult.Of<AlertList>(new { Items = items, Total = total });
    }
}
