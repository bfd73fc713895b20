using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Domain.EarlyWarning;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

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
        var page = Page.For(ctx);
        var (items, total) = await store.ListEarlyAlertsAsync(new EarlyAlertQuery(ProducerId: page.ProducerId, Limit: Shown), ctx.RequestAborted);
        var title = page.T("Cảnh báo sớm về sản phẩm của bạn", "Early warnings about your products");
        if (items.Count == 0)
            return page.Render(title, H($"<p>{page.T("Chưa có cảnh báo nào.", "No alerts so far.")}</p>"));
        var rows = Join(items.Select(a => H($"""
            <tr><td>{AlertTexts.KindName(a.Kind).For(page.Ui.Lang)}<br><small>{page.T("Điểm", "Score")} {a.Score.ToString("0.0", CultureInfo.InvariantCulture)}</small></td>
            <td>{a.Gtin}{When(a.Lot.Length > 0, H($"<br><small>{page.T("Lô", "Lot")} {a.Lot}</small>"))}</td>
            <td>{(a.Province.Length == 0 ? page.T("Không rõ", "Unknown") : a.Province)}<br><small>{a.Day.ToString(page.Ui.En ? "yyyy-MM-dd" : "dd/MM/yyyy", CultureInfo.InvariantCulture)}</small></td>
            <td>{(page.Ui.En ? a.ReasonEn : a.ReasonVi)}</td>
            <td>{AlertTexts.Status(a.Status).For(page.Ui.Lang)}{When(a.Outcome is not null, H($"<br><small>{AlertTexts.Outcome(a.Outcome ?? "").For(page.Ui.Lang)}</small>"))}</td></tr>
            """)));
        return page.Render(title, H($"""
            <p>{page.T("Cơ quan quản lý được cảnh báo khi việc tra cứu, phản ánh hoặc kiểm tra sản phẩm của bạn bất thường so với lịch sử của chính nó (ví dụ: mã không tồn tại, lô bị tra cứu nơi không giao hàng, tem bị sao chép).",
                "The authority is alerted when lookups, complaints or inspections of your products are unusual against their own history (e.g. codes never issued, a lot looked up where it was never shipped, copied labels).")}</p>
            <p>{page.T($"{total} cảnh báo, điểm cao nhất trước.", $"{total} alerts, highest score first.")}</p>
            <div class="table"><table><caption class="visually-hidden">{title}</caption>
            <thead><tr><th scope="col">{page.T("Loại", "Kind")}</th><th scope="col">{page.T("Sản phẩm", "Product")}</th>
            <th scope="col">{page.T("Nơi, ngày", "Where, when")}</th><th scope="col">{page.T("Lý do", "Reason")}</th>
            <th scope="col">{page.T("Xử lý", "Handling")}</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """));
    }
}
