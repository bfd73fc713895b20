using Microsoft.AspNetCore.Http;
using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Dashboard;

/// <summary>
/// The console's home (<c>/console</c>): this month's lots and events, the national portal's state of
/// the producer's data, consumer scans this week, complaints (counts by state only) and the lots that
/// expire within 30 days, then the usual tasks. Each number links to where it is acted on.
/// </summary>
internal static class DashboardPage
{
    public static async Task<IResult> ShowAsync(HttpContext ctx, ICatalogStore catalog, IEventStore events, IOutboxStore outbox,
        IScanStore scans, IReportStore reports, IEarlyWarningStore alerts, TimeProvider time)
    {
        var page = Page.For(ctx);
        var (_, openAlerts) = await alerts.ListEarlyAlertsAsync(
            new EarlyAlertQuery(Status: Traceability.Domain.EarlyWarning.AlertStatuses.Open, ProducerId: page.ProducerId, Limit: 1), ctx.RequestAborted);
        var f = await ProducerFigures.ReadAsync(page.ProducerId, catalog, events, outbox, scans, reports, time.GetUtcNow(), ctx.RequestAborted);
        var products = (await catalog.ListProductsAsync(page.ProducerId, ctx.RequestAborted)).ToDictionary(p => p.Gtin);
        var expiring = f.Expiring.Select(l => H($"""
            <li><a href="{LotPage.Url(l.Gtin, l.LotNumber)}">{l.LotNumber}</a> · {(products.TryGetValue(l.Gtin, out var p) ? p.Name.For(page.Ui.Lang) : l.Gtin)}
            · {page.T("HSD", "expires")} {LotPages.Date(l.ExpiryDate)}</li>
            """));
        return page.Render(page.T("Xin chào", "Welcome") + ", " + ctx.User.UserName(), H($"""
            <section aria-labelledby="figures"><h2 id="figures">{page.T("Tổng quan", "Overview")}</h2>
            <dl class="stats">
            {Stat("lots-month", page.T("Lô hàng tạo trong tháng", "Lots created this month"), f.LotsThisMonth.ToString("N0"), "/console/lots")}
            {Stat("events-month", page.T("Sự kiện trong tháng", "Events this month"), f.EventsThisMonth.ToString("N0") + (f.EventsCapped ? "+" : ""), "/console/lots")}
            {Stat("scans-week", page.T("Lượt quét của người tiêu dùng (7 ngày qua)", "Consumer scans (last 7 days)"), f.ScansThisWeek.ToString("N0"), "/console/lots")}
            {Stat("expiring", page.T($"Lô hết hạn trong {ProducerFigures.ExpiringDays} ngày tới", $"Lots expiring within {ProducerFigures.ExpiringDays} days"), f.Expiring.Count.ToString("N0"), "#expiring-list")}
            </dl></section>

            <section aria-labelledby="sync"><h2 id="sync">{page.T("Gửi Cổng quốc gia", "National portal")}</h2>
            <p class="hint">{page.T("Sản phẩm, lô hàng và sự kiện trong tháng.", "Products, lots and this month's events.")}</p>
            <dl class="stats">
            {Stat("sync-sent", page.T("Đã gửi", "Sent"), f.Sync.Sent.ToString("N0"), "/console/lots", "portal-sent")}
            {Stat("sync-waiting", page.T("Chờ gửi", "Waiting"), f.Sync.Waiting.ToString("N0"), "/console/lots", "portal-waiting")}
            {Stat("sync-refused", page.T("Bị từ chối", "Refused"), f.Sync.Refused.ToString("N0"), "/console/lots", "portal-refused")}
            {Stat("sync-blocked", page.T("Bị chặn", "Blocked"), f.Sync.Blocked.ToString("N0"), "/console/lots", "portal-blocked")}
            </dl>
            {When(f.Sync.Refused + f.Sync.Blocked > 0, H($"<p class=\"alert\">{page.T("Có dữ liệu bị Cổng quốc gia từ chối: mở trang lô để xem lý do và gửi lại.", "The national portal refused some data: open the lot's page for the reason and to send again.")}</p>"))}
            </section>

            <section aria-labelledby="complaints"><h2 id="complaints">{page.T("Phản ánh của người tiêu dùng", "Consumer complaints")}</h2>
            <p class="hint">{page.T("Về sản phẩm của bạn; cơ quan quản lý xử lý nội dung và thông tin liên hệ.", "About your products; the authority handles their contents and contacts.")}</p>
            <dl class="stats">
            {Stat("complaints-new", page.T("Mới", "New"), f.Complaints.New.ToString("N0"))}
            {Stat("complaints-review", page.T("Đang xem xét", "In review"), f.Complaints.InReview.ToString("N0"))}
            {Stat("complaints-resolved", page.T("Đã giải quyết", "Resolved"), f.Complaints.Resolved.ToString("N0"))}
            {Stat("complaints-rejected", page.T("Không chấp nhận", "Rejected"), f.Complaints.Rejected.ToString("N0"))}
            {Stat("alerts-open", page.T("Cảnh báo sớm đang mở", "Open early warnings"), openAlerts.ToString("N0"), "/console/alerts")}
            </dl></section>

            <section aria-labelledby="expiring-list"><h2 id="expiring-list">{page.T($"Sắp hết hạn ({ProducerFigures.ExpiringDays} ngày tới)", $"Expiring (next {ProducerFigures.ExpiringDays} days)")}</h2>
            {(f.Expiring.Count == 0 ? H($"<p>{page.T("Không có lô nào.", "None.")}</p>") : H($"<ul class=\"expiring\">{expiring}</ul>"))}
            </section>

            <h2>{page.T("Công việc", "Tasks")}</h2>
            <div class="grid">
            <a class="button" href="/console/events/new">{page.T("Ghi sự kiện (thu hoạch, đóng gói, vận chuyển…)", "Record an event (harvest, packing, shipping…)")}</a>
            <a class="button" href="/console/lots/new">{page.T("Tạo lô hàng mới", "Create a lot")}</a>
            <a class="button" href="/console/transform">{page.T("Chế biến: gộp lô", "Processing: combine lots")}</a>
            <a class="button" href="/console/labels">{page.T("In tem QR", "Print QR labels")}</a>
            <a class="button" href="/console/import">{page.T("Nhập từ bảng tính", "Import a spreadsheet")}</a>
            <a class="button" href="/console/products">{page.T("Sản phẩm", "Products")}</a>
            <a class="button" href="/console/locations">{page.T("Địa điểm", "Locations")}</a>
            </div>
            """));
    }

    /// <summary>One figure: its label, and its number (linked to where it is acted on, when there is such a page).</summary>
    private static Html Stat(string id, string label, string value, string? href = null, string? valueClass = null) => H($"""
        <div><dt id="{id}-label">{label}</dt><dd id="{id}"{When(valueClass is not null, H($" class=\"portal {valueClass}\""))}>{(href is null ? H($"{value}") : H($"<a href=\"{href}\" aria-describedby=\"{id}-label\">{value}</a>"))}</dd></div>
        """);
}
