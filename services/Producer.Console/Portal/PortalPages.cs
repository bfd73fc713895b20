using Traceability.Domain;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Events;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Portal;

/// <summary>
/// A lot's way to the national portal (its product, the lot, each of its events) and the producer's
/// own retry of a refused row: the producer learns of a refusal and sends again without the admin.
/// </summary>
internal static class PortalPages
{
    public static void MapPortalPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/lots/{gtin}/{lot}/portal", LotAsync);
        console.MapPost("/portal/retry", RetryAsync);
    }

    internal static string LotUrl(string gtin14, string lot) => $"/console/lots/{gtin14}/{Uri.EscapeDataString(lot)}/portal";

    private static async Task<IResult> LotAsync(HttpContext ctx, string gtin, string lot, ICatalogStore catalog, IEventStore events, IOutboxStore outbox)
    {
        var page = Page.For(ctx);
        var owned = await LotPage.OwnLotAsync(page, catalog, gtin, lot);
        if (owned is not var (found, product)) return LotPage.NotYours(page);
        var lotEvents = await LotPage.EventsAsync(page, events, found);
        var table = await TableAsync(page, outbox, found, product, lotEvents, LotUrl(found.Gtin, found.LotNumber), _ => null);
        return page.Render(page.T($"Gửi Cổng quốc gia: lô {found.LotNumber}", $"National portal: lot {found.LotNumber}"), H($"""
            <p>{page.T("Mỗi dòng được gửi sau dòng phía trên nó: sự kiện sau lô, lô sau sản phẩm.", "Each row is sent after the one it belongs to: events after the lot, the lot after the product.")}</p>
            {table}
            <p><a href="{LotPage.Url(found.Gtin, found.LotNumber)}">{page.T("Về trang lô", "Back to the lot")}</a> · <a href="/console/lots">{page.T("Về danh sách lô", "Back to the lots")}</a></p>
            """));
    }

    /// <summary>
    /// The lot's product, the lot and each of its events with their portal states (the lot's portal page
    /// and its lot page show the same table). <paramref name="place"/> describes where an event happened, or null.
    /// </summary>
    internal static async Task<Html> TableAsync(Page page, IOutboxStore outbox, Lot found, Product product, IReadOnlyList<StoredEvent> lotEvents,
        string back, Func<StoredEvent, string?> place)
    {
        var states = new PortalStates(outbox, page.Context.RequestAborted);
        var name = product.Name.For(page.Ui.Lang);
        var eventStates = await states.OfEventsAsync([.. lotEvents.Select(e => e.EventId)]);
        var rows = new List<Html>
        {
            Row(page.T("Sản phẩm", "Product"), name, PortalCell.Render(page, await states.OfAsync(OutboxKind.Product, found.Gtin), page.T("sản phẩm ", "product ") + name, back)),
            Row(page.T("Lô", "Lot"), found.LotNumber, PortalCell.Render(page, await states.OfAsync(OutboxKind.Lot, found.Key), page.T("lô ", "lot ") + found.LotNumber, back)),
        };
        foreach (var e in lotEvents)
        {
            var when = e.EventTime.ToOffset(VietnamTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
            var step = StepName(page, e);
            var where = place(e);
            rows.Add(Row(page.T("Sự kiện", "Event"), where is null ? $"{step} · {when}" : $"{step} · {when} · {where}",
                PortalCell.Render(page, eventStates[e.EventId], $"{step} {when}", back)));
        }
        return H($"""
            <div class="table"><table><caption class="visually-hidden">{page.T("Trạng thái gửi", "Sending state")}</caption>
            <thead><tr><th scope="col">{page.T("Loại", "Kind")}</th><th scope="col">{page.T("Nội dung", "What")}</th>
            <th scope="col">{page.T("Cổng quốc gia", "National portal")}</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """);

        static Html Row(string kind, string what, Html state) => H($"<tr><td>{kind}</td><td>{what}</td><td>{state}</td></tr>");
    }

    internal static string StepName(Page page, StoredEvent e) =>
        Step.All.FirstOrDefault(s => s.BizStep == e.BizStep && s.IsTransformation == (e.EventType == "TransformationEvent"))?.Label(page.Ui.Lang)
        ?? e.BizStep ?? e.EventType;

    /// <summary>POST kind, key, back: a refused row of the producer's own goes back to the queue, due now.</summary>
    private static async Task<IResult> RetryAsync(HttpContext ctx, ICatalogStore catalog, IEventStore events, IOutboxStore outbox, TimeProvider time)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var key = form.Get("key") ?? "";
        var kind = Enum.TryParse<OutboxKind>(form.Get("kind"), ignoreCase: true, out var k) ? k : (OutboxKind?)null;
        var ct = ctx.RequestAborted;
        var owner = kind switch
        {
            OutboxKind.Product => (await catalog.GetProductAsync(key, ct))?.ProducerId,
            OutboxKind.Lot when key.Length > 21 && key.StartsWith("01/", StringComparison.Ordinal) =>
                (await catalog.GetLotAsync(LotKey.GtinOf(key), LotKey.LotOf(key), ct))?.ProducerId,
            OutboxKind.Event => (await events.GetEventAsync(key, ct))?.ProducerId,
            _ => null,
        };
        if (owner is null || owner != page.ProducerId)
            return page.Render(page.T("Không tìm thấy", "Not found"), H($"<p class=\"alert\">{page.T("Không có mục này trong dữ liệu của bạn.", "No such item in your data.")}</p>"),
                StatusCodes.Status404NotFound);
        // The open rows only: an event row has no key index, the open ones are found through their state.
        var row = (await outbox.GetOpenRowsAsync(kind!.Value, [key], ct)).FirstOrDefault();
        if (row is { State: OutboxState.Failed }) await outbox.RetryFailedAsync(row.Id, time.GetUtcNow(), ct);
        var back = form.Get("back");
        return Results.Redirect(back is not null && back.StartsWith("/console/", StringComparison.Ordinal) && !back.Contains("//", StringComparison.Ordinal)
            ? back : "/console/lots");
    }
}
