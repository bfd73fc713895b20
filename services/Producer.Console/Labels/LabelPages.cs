using Microsoft.AspNetCore.Builder;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Domain.Gs1;
using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Web;
using Traceability.ServiceDefaults.Auth;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Labels;

internal static class LabelPages
{
    public static void MapLabelPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/labels", FormAsync);
        console.MapGet("/labels/sheet", SheetAsync);
    }

    private static async Task<IResult> FormAsync(HttpContext ctx, ICatalogStore catalog)
    {
        var page = Page.For(ctx);
        var lots = await LotPages.LotOptionsAsync(page, catalog, ctx.RequestAborted);
        return Form(page, lots, ctx.Request.Query["lot"], ctx.Request.Query["count"].ToString() is { Length: > 0 } c ? c : "18", new FieldErrors());
    }

    private static IResult Form(Page page, IReadOnlyList<(string Value, string Text)> lots, string? lot, string? count, FieldErrors errors,
        int status = StatusCodes.Status200OK) =>
        page.Render(page.T("In tem QR", "Print QR labels"), H($"""
            <form method="get" action="/console/labels/sheet" class="card">
            {page.Select("lot", page.T("Lô hàng", "Lot"), lots, lot, errors, required: true, placeholder: page.T("— chọn lô —", "— choose a lot —"))}
            {page.Input("count", page.T("Số tem", "Number of labels"), count, errors, "number", required: true,
                hint: page.T($"1 đến {LabelSheet.MaxCount}; 18 tem mỗi tờ A4.", $"1 to {LabelSheet.MaxCount}; 18 labels per A4 sheet."), attributes: Raw($"min=\"1\" max=\"{LabelSheet.MaxCount}\""))}
            <p class="hint">{page.T("Tem thường: một mã QR cho cả lô. Tem có số sê-ri và chữ ký số là chức năng riêng.", "Plain labels: one QR code for the whole lot. Signed serialised labels are a separate feature.")}</p>
            <button type="submit">{page.T("Tạo tờ tem", "Make the sheet")}</button>
            </form>
            """), status);

    private static async Task<IResult> SheetAsync(HttpContext ctx, ICatalogStore catalog, LabelSheet sheet)
    {
        var page = Page.For(ctx);
        var errors = new FieldErrors();
        var lotValue = ctx.Request.Query["lot"].ToString();
        if (!int.TryParse(ctx.Request.Query["count"], out var count) || count is < 1 or > LabelSheet.MaxCount)
            errors.Add("count", page.T($"Số tem phải từ 1 đến {LabelSheet.MaxCount}.", $"The number of labels must be 1 to {LabelSheet.MaxCount}."));
        Lot? lot = null;
        Product? product = null;
        if (LotPages.TryParsePicker(lotValue, out var gtin, out var lotNumber))
        {
            lot = await catalog.GetLotAsync(gtin, lotNumber, ctx.RequestAborted);
            product = lot is null ? null : await catalog.GetProductAsync(gtin, ctx.RequestAborted);
        }
        if (lot is null || product is null || lot.ProducerId != page.ProducerId)
            errors.Add("lot", page.T("Hãy chọn một lô của bạn.", "Choose one of your lots."));
        if (errors.Count > 0)
            return Form(page, await LotPages.LotOptionsAsync(page, catalog, ctx.RequestAborted), lotValue, ctx.Request.Query["count"], errors,
                StatusCodes.Status400BadRequest);
        return Results.Content(sheet.Render(product!, lot!, count, PublicUrls.BaseUrl(ctx), page.Ui.Lang), "text/html; charset=utf-8");
    }

    /// <summary>GET /api/v1/lots/{gtin}/{lot}/labels?count=N (DESIGN §4.8): the same sheet for API-key callers.</summary>
    public static async Task<IResult> ApiSheetAsync(HttpContext ctx, string gtin, string lot, ICatalogStore catalog, LabelSheet sheet,
        ClaimsPrincipal user)
    {
        var count = 18;
        if (ctx.Request.Query.ContainsKey("count") && (!int.TryParse(ctx.Request.Query["count"], out count) || count is < 1 or > LabelSheet.MaxCount))
            return Problem.Validation(new Dictionary<string, string[]> { ["count"] = [$"count must be between 1 and {LabelSheet.MaxCount}."] });
        if (!Gtin.TryParse(gtin, out var g, out var gtinError))
            return Problem.Validation(new Dictionary<string, string[]> { ["gtin"] = [gtinError!] });
        var found = await catalog.GetLotAsync(g.Value, lot, ctx.RequestAborted);
        if (found is null) return Problem.NotFound($"Lot {lot} of GTIN {g.Value} is not registered.");
        if (found.ProducerId != user.ProducerId()) return Problem.Forbidden("The lot belongs to another producer.");
        var product = await catalog.GetProductAsync(g.Value, ctx.RequestAborted);
        var lang = ctx.Request.Query["lang"] == "en" ? "en" : "vi";
        return Results.Content(sheet.Render(product!, found, count, PublicUrls.BaseUrl(ctx), lang), "text/html; charset=utf-8");
    }
}
