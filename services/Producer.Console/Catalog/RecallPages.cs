using Traceability.Lookup.Api.Recalls;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// "Thu hồi lô": the producer recalls one of its own lots, in two steps — the form (reason, severity),
/// then a confirmation that says what will happen — and sees it done on the same page, where a
/// recall it issued can be ended with a reason. A recall the authority issued is shown but only the
/// authority ends it. Validation, ownership, the portal announcement and the audit log are
/// <see cref="RecallService"/>'s; its English messages are shown in Vietnamese (<see cref="ServiceMessages"/>).
/// </summary>
internal static class RecallPages
{
    internal static readonly string[] Shown = ["reason", "severity"];

    public static void MapRecallPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/lots/{gtin}/{lot}/recall", ShowAsync);
        console.MapPost("/lots/{gtin}/{lot}/recall", IssueAsync);
        console.MapPost("/lots/{gtin}/{lot}/recall/end", EndAsync);
    }

    internal static string Url(string gtin14, string lot) => $"/console/lots/{gtin14}/{Uri.EscapeDataString(lot)}/recall";

    /// <summary>The lot's recall if one is active (with the end form when this producer issued it), else the recall form.</summary>
    private static async Task<IResult> ShowAsync(HttpContext ctx, string gtin, string lot, IRecallStore recalls)
    {
        var active = await recalls.GetActiveRecallsForLotAsync(gtin, lot, ctx.RequestAborted);
        var done = ctx.Request.Query["done"].ToString();
        return active.Count > 0
            ? Active(ctx, gtin, lot, active[0], done, null, new FieldErrors())
            : View(new { Gtin = gtin, Lot = lot, Severity = "high", Done = done });
    }

    private static IResult View(object parameters, int status = StatusCodes.Status200OK) => PageResult.Of<RecallView>(parameters, status);

    private static IResult Active(HttpContext ctx, string gtin, string lot, Recall recall, string? done, string? reason, FieldErrors errors,
        int status = StatusCodes.Status200OK) =>
        View(new { Gtin = gtin, Lot = lot, Recall = recall, Own = recall.ProducerId == ctx.User.ProducerId(), Done = done, Reason = reason, Errors = errors }, status);

    private static async Task<IResult> IssueAsync(HttpContext ctx, string gtin, string lot, RecallService recalls)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var producerId = ctx.User.ProducerId()!;
        var reason = form.Get("reason");
        var severity = form.Get("severity");
        var request = new RecallRequest(gtin, [lot], reason, severity);
        if (form.Get("confirm") != "yes")
        {
            // The form's own checks first, so the confirmation never shows what would be refused.
            var check = RecallService.Check(request);
            return check.Count == 0
                ? View(new { Gtin = gtin, Lot = lot, Confirming = true, Reason = reason!.Trim(), Severity = severity })
                : View(new { Gtin = gtin, Lot = lot, Reason = reason, Severity = severity, Errors = new FieldErrors(check) }, StatusCodes.Status400BadRequest);
        }
        var issuer = new RecallIssuer(false, producerId, ctx.User.UserName() ?? producerId);
        var outcome = await recalls.IssueAsync(issuer, request, ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect(Url(gtin, lot) + "?done=issued")
            : View(new { Gtin = gtin, Lot = lot, Reason = reason, Severity = severity, Errors = ProductPages.ErrorsOf(outcome, "lots") }, ProductPages.Status(outcome));
    }

    private static async Task<IResult> EndAsync(HttpContext ctx, string gtin, string lot, RecallService service, IRecallStore recalls)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var producerId = ctx.User.ProducerId()!;
        var reason = form.Get("reason");
        var active = await recalls.GetActiveRecallsForLotAsync(gtin, lot, ctx.RequestAborted);
        // The producer's own recall of this lot; an authority's recall is ended by the authority.
        var recall = active.FirstOrDefault(r => r.ProducerId == producerId) ?? active.FirstOrDefault();
        if (recall is null) return Results.Redirect(Url(gtin, lot));
        var issuer = new RecallIssuer(false, producerId, ctx.User.UserName() ?? producerId);
        var outcome = await service.EndAsync(issuer, recall.Id, reason, ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect(Url(gtin, lot) + "?done=ended")
            : Active(ctx, gtin, lot, recall, null, reason, ProductPages.ErrorsOf(outcome, "reason"), ProductPages.Status(outcome));
    }

    /// <summary>True when an active recall names the lot (the list shows it as recalled and offers no second recall).</summary>
    internal static async Task<bool> IsRecalledAsync(IRecallStore recalls, Lot lot, CancellationToken ct) =>
        (await recalls.GetActiveRecallsForLotAsync(lot.Gtin, lot.LotNumber, ct)).Count > 0;
}
