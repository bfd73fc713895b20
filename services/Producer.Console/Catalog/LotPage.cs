using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Domain.DigitalLinks;
using Traceability.Domain.Epcis;
using Traceability.Domain.Gs1;
using Traceability.Ingestion.Api.Catalog;
using Traceability.Lookup.Api.Provenance;
using Traceability.ProducerConsole.Dashboard;
using Traceability.ProducerConsole.Portal;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// Everything about one lot on one page (<c>/console/lots/{gtin14}/{lot}</c>): its facts and status,
/// the QR code, the signed labels issued, consumer scans (counts), the recall, and each event with
/// its national-portal state. Only the owning producer sees it; any other lot is a 404.
/// </summary>
internal static class LotPage
{
    public static void MapLotPage(this IEndpointRouteBuilder console) => console.MapGet("/lots/{gtin}/{lot}", ShowAsync);

    internal static string Url(string gtin14, string lot) => $"/console/lots/{gtin14}/{Uri.EscapeDataString(lot)}";

    /// <summary>The lot and its product when the signed-in producer owns the lot; null otherwise (unknown, malformed or another's).</summary>
    internal static async Task<(Lot Lot, Product Product)?> OwnLotAsync(Page page, ICatalogStore catalog, string gtin, string lot)
    {
        var ct = page.Context.RequestAborted;
        if (!Gtin.TryParse(gtin, out var g, out _)) return null;
        var found = await catalog.GetLotAsync(g.Value, lot, ct);
        if (found is null || found.ProducerId != page.ProducerId) return null;
        return await catalog.GetProductAsync(found.Gtin, ct) is { } product ? (found, product) : null;
    }

    internal static IResult NotYours(Page page) =>
        page.Render(page.T("Không tìm thấy", "Not found"), H($"<p class=\"alert\">{page.T("Không có lô này trong số lô của bạn.", "No such lot among yours.")}</p>"),
            StatusCodes.Status404NotFound);

    /// <summary>The producer's own events about the lot, oldest first (another business's receiving is not this producer's to send).</summary>
    internal static async Task<IReadOnlyList<StoredEvent>> EventsAsync(Page page, IEventStore events, Lot lot) =>
        (await events.GetEventsForLotAsync(lot.Key, page.Context.RequestAborted)).Where(e => e.ProducerId == page.ProducerId).ToList();

    private static async Task<IResult> ShowAsync(HttpContext ctx, string gtin, string lot, ICatalogStore catalog, IEventStore events,
        IOutboxStore outbox, IRecallStore recalls, ISerialStore serials, IScanStore scans, TimeProvider time)
    {
        var page = Page.For(ctx);
        var ct = ctx.RequestAborted;
        var owned = await OwnLotAsync(page, catalog, gtin, lot);
        if (owned is not var (found, product)) return NotYours(page);
        var now = time.GetUtcNow();
        var status = await LotPages.StatusAsync(page, recalls, found, LotPages.Today(time), ct);
        var places = (await catalog.ListLocationsAsync(page.ProducerId, ct)).ToDictionary(LocationIdentifier.Of, l => l.Name, StringComparer.Ordinal);
        var origin = found.OriginLocation is { } code ? (await catalog.GetLocationAsync(page.ProducerId, code, ct))?.Name ?? code : null;
        var lotEvents = await EventsAsync(page, events, found);
        var issued = await serials.CountSerialsAsync(found.Gtin, found.LotNumber, ct);
        var week = await ConsumerScans.CountAsync(scans, found.Key, now.AddDays(-7), ct);
        var month = await ConsumerScans.CountAsync(scans, found.Key, now.AddDays(-30), ct);
        var link = new DigitalLink(Gtin.Parse(found.Gtin), Lot: found.LotNumber).Path;
        var picker = Uri.EscapeDataString(LotPages.PickerValue(found));
        var table = await PortalPages.TableAsync(page, outbox, found, product, lotEvents, Url(found.Gtin, found.LotNumber), e => Where(page, e, places));

        return page.Render(page.T($"Lô {found.LotNumber}", $"Lot {found.LotNumber}"), H($"""
            <dl class="card">
            <dt>{page.T("Sản phẩm", "Product")}</dt><dd>{product.Name.For(page.Ui.Lang)} ({found.Gtin})</dd>
            <dt>{page.T("Trạng thái", "Status")}</dt><dd class="status-{status.Class}">{status.Text}</dd>
            <dt>{page.T("Ngày sản xuất", "Production date")}</dt><dd>{LotPages.Date(found.ProductionDate)}</dd>
            <dt>{page.T("Hạn sử dụng", "Expiry date")}</dt><dd>{LotPages.Date(found.ExpiryDate)}</dd>
            <dt>{page.T("Số lượng", "Quantity")}</dt><dd>{found.Quantity?.ToString(CultureInfo.InvariantCulture)} {found.Uom}</dd>
            <dt>{page.T("Nơi sản xuất", "Origin")}</dt><dd>{origin}</dd>
            </dl>
            <p class="actions"><a class="button" href="/console/events/new?lot={picker}">{page.T("Ghi sự kiện", "Record an event")}</a>
            <a class="button" href="/console/labels?lot={picker}">{page.T("In tem", "Print labels")}</a></p>

            <section aria-labelledby="qr"><h2 id="qr">{page.T("Mã QR", "QR code")}</h2>
            <p><img class="lot-qr" src="/qr{link}?format=svg" alt="{page.T("Mã QR của lô", "The lot's QR code")} {found.LotNumber}" width="160" height="160"></p>
            <p><a href="/qr{link}?format=png" download>{page.T("Tải mã QR (PNG)", "Download the QR code (PNG)")}</a> ·
            <a href="/qr{link}?format=svg" download>SVG</a> · <a href="{link}">{page.T("Trang công khai của lô", "The lot's public page")}</a></p></section>

            <section aria-labelledby="labels"><h2 id="labels">{page.T("Tem", "Labels")}</h2>
            <p>{page.T($"Đã phát hành {issued:N0} tem có số sê-ri và chữ ký số.", $"{issued:N0} signed serialised labels issued.")}
            <a href="/console/labels?lot={picker}">{page.T("In tem", "Print labels")}</a></p></section>

            <section aria-labelledby="scans"><h2 id="scans">{page.T("Lượt quét của người tiêu dùng", "Consumer scans")}</h2>
            <p>{page.T($"7 ngày qua: {week:N0} · 30 ngày qua: {month:N0}", $"Last 7 days: {week:N0} · last 30 days: {month:N0}")}</p></section>

            <section aria-labelledby="recall"><h2 id="recall">{page.T("Thu hồi", "Recall")}</h2>
            <p>{(status.Class == LotPages.Recalled
                ? H($"<strong class=\"status-recalled\">{page.T("Lô đang bị thu hồi.", "The lot is recalled.")}</strong> <a href=\"{RecallPages.Url(found.Gtin, found.LotNumber)}\">{page.T("Xem thu hồi", "View the recall")}</a>")
                : H($"{page.T("Không bị thu hồi.", "Not recalled.")} <a href=\"{RecallPages.Url(found.Gtin, found.LotNumber)}\">{page.T("Thu hồi lô", "Recall the lot")}</a>"))}</p></section>

            <section aria-labelledby="events"><h2 id="events">{page.T("Sự kiện và Cổng quốc gia", "Events and the national portal")}</h2>
            {When(lotEvents.Count == 0, H($"<p>{page.T("Chưa có sự kiện nào.", "No events yet.")}</p>"))}
            {table}
            <p><a href="/console/lots/{found.Gtin}/{Uri.EscapeDataString(found.LotNumber)}/export.csv">{page.T("Tải các sự kiện (CSV)", "Download the events (CSV)")}</a></p></section>
            """));
    }

    /// <summary>Where an event happened and, for a shipment, where it went: own locations by name, other places by GLN.</summary>
    private static string? Where(Page page, StoredEvent e, IReadOnlyDictionary<string, string> places)
    {
        string? Name(string? id) => id is null ? null
            : places.TryGetValue(id, out var name) ? name
            : EpcIdentifier.GlnOf(id) is { } gln ? "GLN " + gln
            : null;
        var at = Name(e.BizLocation ?? e.ReadPoint);
        var to = e.BizStep == "shipping"
            ? ProvenanceBuilder.Destinations(e.Json).Select(d => Name(EpcIdentifier.ToLocationKey(d))).FirstOrDefault(n => n is not null)
            : null;
        return (at, to) switch
        {
            (null, null) => null,
            (_, null) => at,
            (null, _) => page.T("đến ", "to ") + to,
            _ => $"{at} → {to}",
        };
    }
}
