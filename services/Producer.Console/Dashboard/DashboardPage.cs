namespace Traceability.ProducerConsole.Dashboard;

/// <summary>
/// The console's home (<c>/console</c>): this month's lots and events, the national portal's state of
/// the producer's data, consumer scans this week, complaints (counts by state only) and the lots that
/// expire within 30 days, then the usual tasks (<see cref="Dashboard"/>). Each number links to where it is acted on.
/// </summary>
internal static class DashboardPage
{
    public static async Task<IResult> ShowAsync(HttpContext ctx, ICatalogStore catalog, IEventStore events, IOutboxStore outbox,
        IScanStore scans, IReportStore reports, IEarlyWarningStore alerts, TimeProvider time)
    {
        var producerId = ctx.User.ProducerId()!;
        var (_, openAlerts) = await alerts.ListEarlyAlertsAsync(
            new EarlyAlertQuery(Status: Traceability.Domain.EarlyWarning.AlertStatuses.Open, ProducerId: producerId, Limit: 1), ctx.RequestAborted);
        var figures = await ProducerFigures.ReadAsync(producerId, catalog, events, outbox, scans, reports, time.GetUtcNow(), ctx.RequestAborted);
        var products = (await catalog.ListProductsAsync(producerId, ctx.RequestAborted)).ToDictionary(p => p.Gtin);
        return PageResult.Of<Dashboard>(new { F = figures, OpenAlerts = openAlerts, Products = products, UserName = ctx.User.UserName() });
    }
}
