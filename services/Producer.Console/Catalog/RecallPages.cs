using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Lookup.Api.Recalls;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// "Thu hồi lô": the producer recalls one of its own lots. The form only collects the reason and the
/// severity; validation, ownership and the portal announcement are <see cref="RecallService.IssueAsync"/>'s.
/// </summary>
internal static class RecallPages
{
    private static readonly string[] Shown = ["reason", "severity"];

    public static void MapRecallPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/lots/{gtin}/{lot}/recall", (HttpContext ctx, string gtin, string lot) =>
            Form(Page.For(ctx), gtin, lot, null, "high", new FieldErrors()));
        console.MapPost("/lots/{gtin}/{lot}/recall", IssueAsync);
    }

    internal static string Url(string gtin14, string lot) => $"/console/lots/{gtin14}/{Uri.EscapeDataString(lot)}/recall";

    private static IResult Form(Page page, string gtin, string lot, string? reason, string? severity, FieldErrors errors,
        int status = StatusCodes.Status200OK)
    {
        var severities = new[]
        {
            ("high", page.T("Cao — nguy hại sức khỏe", "High — health hazard")),
            ("medium", page.T("Trung bình", "Medium")),
            ("low", page.T("Thấp", "Low")),
        };
        return page.Render(page.T("Thu hồi lô", "Recall lot"), H($"""
            {page.Summary(errors, Shown)}
            <p><strong>GTIN</strong> {gtin} · <strong>{page.T("Số lô", "Lot")}</strong> {lot}</p>
            <p class="hint">{page.T("Người tiêu dùng sẽ thấy lô này là \"đã thu hồi\" cùng lý do; Cổng truy xuất quốc gia được thông báo.",
                "Consumers will see this lot as \"recalled\" with the reason; the national portal is notified.")}</p>
            <form method="post" action="{Url(gtin, lot)}" class="card">{page.Csrf()}
            {page.TextArea("reason", page.T("Lý do thu hồi", "Reason for the recall"), reason, errors)}
            {page.Select("severity", page.T("Mức độ", "Severity"), severities, severity, errors, required: true)}
            <button type="submit">{page.T("Thu hồi lô", "Recall lot")}</button>
            </form>
            """), status);
    }

    private static async Task<IResult> IssueAsync(HttpContext ctx, string gtin, string lot, RecallService recalls)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var reason = form.Get("reason");
        var severity = form.Get("severity");
        var issuer = new RecallIssuer(false, page.ProducerId, ctx.User.UserName() ?? page.ProducerId);
        var outcome = await recalls.IssueAsync(issuer, new RecallRequest(gtin, [lot], reason, severity), ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect("/console/lots")
            : Form(page, gtin, lot, reason, severity, ProductPages.ErrorsOf(outcome, "lots"), ProductPages.Status(outcome));
    }

    /// <summary>True when an active recall names the lot (the list shows it as recalled and offers no second recall).</summary>
    internal static async Task<bool> IsRecalledAsync(IRecallStore recalls, Lot lot, CancellationToken ct) =>
        (await recalls.GetActiveRecallsForLotAsync(lot.Gtin, lot.LotNumber, ct)).Count > 0;
}
