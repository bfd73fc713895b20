using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Lookup.Api.Recalls;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// "Thu hồi lô": the producer recalls one of its own lots, in two steps — the form (reason, severity),
/// then a confirmation that says what will happen — and sees it done on the same page, where a
/// recall it issued can be ended with a reason. A recall the authority issued is shown but only the
/// authority ends it. Validation, ownership, the portal announcement and the audit log are
/// <see cref="RecallService"/>'s; its English messages are shown in Vietnamese (<see cref="Ui.Error"/>).
/// </summary>
internal static class RecallPages
{
    private static readonly string[] Shown = ["reason", "severity"];

    public static void MapRecallPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/lots/{gtin}/{lot}/recall", ShowAsync);
        console.MapPost("/lots/{gtin}/{lot}/recall", IssueAsync);
        console.MapPost("/lots/{gtin}/{lot}/recall/end", EndAsync);
    }

    internal static string Url(string gtin14, string lot) => $"/console/lots/{gtin14}/{Uri.EscapeDataString(lot)}/recall";

    private static (string Value, string Text)[] Severities(Page page) =>
    [
        ("high", page.T("Cao — nguy hại sức khỏe", "High — health hazard")),
        ("medium", page.T("Trung bình", "Medium")),
        ("low", page.T("Thấp", "Low")),
    ];

    /// <summary>The lot's recall if one is active (with the end form when this producer issued it), else the recall form.</summary>
    private static async Task<IResult> ShowAsync(HttpContext ctx, string gtin, string lot, IRecallStore recalls)
    {
        var page = Page.For(ctx);
        var active = await recalls.GetActiveRecallsForLotAsync(gtin, lot, ctx.RequestAborted);
        var done = ctx.Request.Query["done"].ToString();
        return active.Count > 0
            ? Active(page, gtin, lot, active[0], done, null, new FieldErrors())
            : Form(page, gtin, lot, null, "high", new FieldErrors(), done);
    }

    private static Html Done(Page page, string? done) => done switch
    {
        "issued" => H($"<p class=\"ok\" role=\"status\">{page.T("Đã thu hồi lô: người tiêu dùng thấy lô là \"đã thu hồi\" ngay; Cổng truy xuất quốc gia sẽ được thông báo.", "The lot is recalled: consumers see it as \"recalled\" at once; the national portal will be notified.")}</p>"),
        "ended" => H($"<p class=\"ok\" role=\"status\">{page.T("Đã kết thúc thu hồi: lô trở lại trạng thái trước đó.", "The recall has ended: the lot is back to its other status.")}</p>"),
        _ => Empty,
    };

    private static IResult Form(Page page, string gtin, string lot, string? reason, string? severity, FieldErrors errors,
        string? done = null, int status = StatusCodes.Status200OK) =>
        page.Render(page.T("Thu hồi lô", "Recall lot"), H($"""
            {Done(page, done)}
            {page.Summary(errors, Shown)}
            <p><strong>GTIN</strong> {gtin} · <strong>{page.T("Số lô", "Lot")}</strong> {lot}</p>
            <p class="hint">{page.T("Người tiêu dùng sẽ thấy lô này là \"đã thu hồi\" cùng lý do; Cổng truy xuất quốc gia được thông báo. Bạn sẽ xác nhận ở bước sau.",
                "Consumers will see this lot as \"recalled\" with the reason; the national portal is notified. You confirm on the next step.")}</p>
            <form method="post" action="{Url(gtin, lot)}" class="card">{page.Csrf()}
            {page.TextArea("reason", page.T("Lý do thu hồi", "Reason for the recall"), reason, errors)}
            {page.Select("severity", page.T("Mức độ", "Severity"), Severities(page), severity, errors, required: true)}
            <button type="submit">{page.T("Tiếp tục", "Continue")}</button>
            </form>
            """), status);

    /// <summary>The confirmation step: what will happen, the reason and severity as they will be shown, and the button that does it.</summary>
    private static IResult Confirm(Page page, string gtin, string lot, string reason, string severity) =>
        page.Render(page.T("Xác nhận thu hồi lô", "Confirm the recall"), H($"""
            <p class="alert" role="alert">{page.T("Sau khi xác nhận, lô này hiện \"đã thu hồi\" ngay trên trang tra cứu và kết quả xác thực của người tiêu dùng, trên trang cảnh báo công khai, và được báo lên Cổng truy xuất quốc gia.",
                "Once confirmed, this lot shows \"recalled\" at once on the consumers' lookup and verification, on the public warnings page, and is reported to the national portal.")}</p>
            <dl class="card">
            <dt>GTIN</dt><dd>{gtin}</dd>
            <dt>{page.T("Số lô", "Lot")}</dt><dd>{lot}</dd>
            <dt>{page.T("Mức độ", "Severity")}</dt><dd>{Severities(page).First(s => s.Value == severity).Text}</dd>
            <dt>{page.T("Lý do thu hồi", "Reason for the recall")}</dt><dd>{reason}</dd>
            </dl>
            <form method="post" action="{Url(gtin, lot)}">{page.Csrf()}
            <input type="hidden" name="reason" value="{reason}">
            <input type="hidden" name="severity" value="{severity}">
            <input type="hidden" name="confirm" value="yes">
            <button type="submit" class="danger">{page.T("Xác nhận thu hồi", "Confirm the recall")}</button>
            <a href="{Url(gtin, lot)}">{page.T("Quay lại", "Go back")}</a>
            </form>
            """));

    private static IResult Active(Page page, string gtin, string lot, Recall recall, string? done, string? reason, FieldErrors errors,
        int status = StatusCodes.Status200OK)
    {
        var own = recall.ProducerId == page.ProducerId;
        return page.Render(page.T("Lô đang bị thu hồi", "Lot under recall"), H($"""
            {Done(page, done)}
            {page.Summary(errors, "reason")}
            <dl class="card">
            <dt>GTIN</dt><dd>{gtin}</dd>
            <dt>{page.T("Số lô", "Lot")}</dt><dd>{lot}</dd>
            <dt>{page.T("Mức độ", "Severity")}</dt><dd>{Severities(page).FirstOrDefault(s => s.Value == recall.Severity).Text ?? recall.Severity}</dd>
            <dt>{page.T("Lý do thu hồi", "Reason for the recall")}</dt><dd>{recall.Reason}</dd>
            <dt>{page.T("Ngày thu hồi", "Recalled on")}</dt><dd>{recall.IssuedAt.ToOffset(Traceability.Domain.VietnamTime.Offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} (UTC+7)</dd>
            </dl>
            {(own ? H($"""
                <form method="post" action="{Url(gtin, lot)}/end" class="card">{page.Csrf()}
                <h2>{page.T("Kết thúc thu hồi", "End the recall")}</h2>
                <p class="hint">{page.T("Khi đã xử lý xong (đã thu gom, tiêu hủy hoặc xác định lô an toàn), kết thúc thu hồi: lô trở lại trạng thái trước đó.", "Once handled (collected, destroyed or found safe), end the recall: the lot returns to its other status.")}</p>
                {page.TextArea("reason", page.T("Lý do kết thúc", "Reason for ending"), reason, errors)}
                <button type="submit">{page.T("Kết thúc thu hồi", "End the recall")}</button>
                </form>
                """) : H($"<p class=\"hint\">{page.T("Đợt thu hồi này do cơ quan quản lý ra quyết định; chỉ cơ quan quản lý được kết thúc.", "The authority issued this recall; only the authority can end it.")}</p>"))}
            <p><a href="/console/lots">{page.T("Về danh sách lô", "Back to lots")}</a></p>
            """), status);
    }

    private static async Task<IResult> IssueAsync(HttpContext ctx, string gtin, string lot, RecallService recalls)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var reason = form.Get("reason");
        var severity = form.Get("severity");
        var request = new RecallRequest(gtin, [lot], reason, severity);
        if (form.Get("confirm") != "yes")
        {
            // The form's own checks first, so the confirmation never shows what would be refused.
            var check = RecallService.Check(request);
            return check.Count == 0
                ? Confirm(page, gtin, lot, reason!.Trim(), severity!)
                : Form(page, gtin, lot, reason, severity, new FieldErrors(check), status: StatusCodes.Status400BadRequest);
        }
        var issuer = new RecallIssuer(false, page.ProducerId, ctx.User.UserName() ?? page.ProducerId);
        var outcome = await recalls.IssueAsync(issuer, request, ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect(Url(gtin, lot) + "?done=issued")
            : Form(page, gtin, lot, reason, severity, ProductPages.ErrorsOf(outcome, "lots"), status: ProductPages.Status(outcome));
    }

    private static async Task<IResult> EndAsync(HttpContext ctx, string gtin, string lot, RecallService service, IRecallStore recalls)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var reason = (await ctx.Request.ReadFormAsync()).Get("reason");
        var active = await recalls.GetActiveRecallsForLotAsync(gtin, lot, ctx.RequestAborted);
        // The producer's own recall of this lot; an authority's recall is ended by the authority.
        var recall = active.FirstOrDefault(r => r.ProducerId == page.ProducerId) ?? active.FirstOrDefault();
        if (recall is null) return Results.Redirect(Url(gtin, lot));
        var issuer = new RecallIssuer(false, page.ProducerId, ctx.User.UserName() ?? page.ProducerId);
        var outcome = await service.EndAsync(issuer, recall.Id, reason, ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect(Url(gtin, lot) + "?done=ended")
            : Active(page, gtin, lot, recall, null, reason, ProductPages.ErrorsOf(outcome, "reason"), ProductPages.Status(outcome));
    }

    /// <summary>True when an active recall names the lot (the list shows it as recalled and offers no second recall).</summary>
    internal static async Task<bool> IsRecalledAsync(IRecallStore recalls, Lot lot, CancellationToken ct) =>
        (await recalls.GetActiveRecallsForLotAsync(lot.Gtin, lot.LotNumber, ct)).Count > 0;
}
