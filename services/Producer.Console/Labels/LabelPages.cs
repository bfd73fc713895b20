using Microsoft.AspNetCore.Builder;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Domain.Gs1;
using Traceability.Lookup.Api.Signing;
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
        console.MapPost("/labels/sheet", SignedSheetAsync);
    }

    /// <summary>The two kinds of label: signed serialised (the default: the only kind an inspector can verify offline) and lot.</summary>
    private const string Signed = "signed", LotKind = "lot";

    private static async Task<IResult> FormAsync(HttpContext ctx, ICatalogStore catalog)
    {
        var page = Page.For(ctx);
        var lots = await LotPages.LotOptionsAsync(page, catalog, ctx.RequestAborted);
        return Form(page, lots, ctx.Request.Query["lot"], ctx.Request.Query["count"].ToString() is { Length: > 0 } c ? c : "18",
            ctx.Request.Query["kind"] == LotKind ? LotKind : Signed, new FieldErrors());
    }

    private static IResult Form(Page page, IReadOnlyList<(string Value, string Text)> lots, string? lot, string? count, string kind,
        FieldErrors errors, int status = StatusCodes.Status200OK)
    {
        var kinds = new[]
        {
            (Signed, page.T("Tem có số sê-ri và chữ ký số (mỗi tem một mã, cán bộ kiểm tra xác thực được cả khi không có mạng)",
                "Signed serialised labels (one code per label, verifiable offline by inspectors)")),
            (LotKind, page.T("Tem lô (một mã QR cho cả lô; mã lô có thể bị sao chép)", "Lot labels (one QR code for the whole lot; a lot code can be copied)")),
        };
        // One form, posted: a signed sheet issues new serials (a write); a lot sheet is then shown by GET.
        return page.Render(page.T("In tem QR", "Print QR labels"), H($"""
            <form method="post" action="/console/labels/sheet" class="card">{page.Csrf()}
            {page.Summary(errors, "lot", "count", "kind")}
            {page.Select("lot", page.T("Lô hàng", "Lot"), lots, lot, errors, required: true, placeholder: page.T("— chọn lô —", "— choose a lot —"))}
            {page.Select("kind", page.T("Loại tem", "Kind of label"), kinds, kind, errors, required: true)}
            {page.Input("count", page.T("Số tem", "Number of labels"), count, errors, "number", required: true,
                hint: page.T($"1 đến {LabelSheet.MaxCount}; 18 tem mỗi tờ A4.", $"1 to {LabelSheet.MaxCount}; 18 labels per A4 sheet."), attributes: Raw($"min=\"1\" max=\"{LabelSheet.MaxCount}\""))}
            <button type="submit">{page.T("Tạo tờ tem", "Make the sheet")}</button>
            </form>
            """), status);
    }

    /// <summary>POST /console/labels/sheet: a signed sheet (new serials, each signed), or a redirect to the lot sheet.</summary>
    private static async Task<IResult> SignedSheetAsync(HttpContext ctx, ICatalogStore catalog, LabelSheet sheet, SerialService serials)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var (lotValue, countText, kind) = (form.Get("lot"), form.Get("count"), form.Get("kind") == LotKind ? LotKind : Signed);
        var errors = new FieldErrors();
        if (!int.TryParse(countText, out var count) || count is < 1 or > LabelSheet.MaxCount)
            errors.Add("count", page.T($"Số tem phải từ 1 đến {LabelSheet.MaxCount}.", $"The number of labels must be 1 to {LabelSheet.MaxCount}."));
        var (product, lot) = await OwnLotAsync(page, catalog, lotValue);
        if (lot is null) errors.Add("lot", page.T("Hãy chọn một lô của bạn.", "Choose one of your lots."));
        if (errors.Count > 0)
            return Form(page, await LotPages.LotOptionsAsync(page, catalog, ctx.RequestAborted), lotValue, countText, kind, errors,
                StatusCodes.Status400BadRequest);
        if (kind == LotKind)
            return Results.Redirect($"/console/labels/sheet?lot={Uri.EscapeDataString(lotValue!)}&count={count}&lang={page.Ui.Lang}");
        var issued = await serials.IssueAsync(page.ProducerId, lot!.Gtin, lot.LotNumber, new SerialsRequest(count), LabelSheet.MaxCount,
            PublicUrls.BaseUrl(ctx), ctx.RequestAborted);
        if (!issued.IsOk)
            return Form(page, await LotPages.LotOptionsAsync(page, catalog, ctx.RequestAborted), lotValue, countText, kind,
                ProductPages.ErrorsOf(issued, "lot"), ProductPages.Status(issued));
        // The answer is the sheet itself (no redirect): these serials exist only in this answer until printed.
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Content(sheet.Render(product!, lot, issued.Value!.Links, page.Ui.Lang), "text/html; charset=utf-8");
    }

    /// <summary>The lot chosen in the picker ("{gtin14}:{lot}") when it is one of this producer's.</summary>
    private static async Task<(Product? Product, Lot? Lot)> OwnLotAsync(Page page, ICatalogStore catalog, string? value) =>
        LotPages.TryParsePicker(value, out var gtin, out var lotNumber) && await LotPage.OwnLotAsync(page.Context, catalog, gtin, lotNumber) is var (lot, product)
            ? (product, lot)
            : (null, null);

    private static async Task<IResult> SheetAsync(HttpContext ctx, ICatalogStore catalog, LabelSheet sheet)
    {
        var page = Page.For(ctx);
        var errors = new FieldErrors();
        var lotValue = ctx.Request.Query["lot"].ToString();
        if (!int.TryParse(ctx.Request.Query["count"], out var count) || count is < 1 or > LabelSheet.MaxCount)
            errors.Add("count", page.T($"Số tem phải từ 1 đến {LabelSheet.MaxCount}.", $"The number of labels must be 1 to {LabelSheet.MaxCount}."));
        var (product, lot) = await OwnLotAsync(page, catalog, lotValue);
        if (lot is null) errors.Add("lot", page.T("Hãy chọn một lô của bạn.", "Choose one of your lots."));
        if (errors.Count > 0)
            return Form(page, await LotPages.LotOptionsAsync(page, catalog, ctx.RequestAborted), lotValue, ctx.Request.Query["count"], LotKind, errors,
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
