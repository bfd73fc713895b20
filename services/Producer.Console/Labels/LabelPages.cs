using Traceability.Lookup.Api.Signing;

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

    /// <summary>The kinds in the form's order; each one's name is the text LabelKind_{kind}.</summary>
    internal static readonly string[] Kinds = [Signed, LotKind];

    private static async Task<IResult> FormAsync(HttpContext ctx, ICatalogStore catalog) =>
        await Form(ctx, catalog, ctx.Request.Query["lot"], ctx.Request.Query["count"].ToString() is { Length: > 0 } c ? c : "18",
            ctx.Request.Query["kind"] == LotKind ? LotKind : Signed, new FieldErrors());

    private static async Task<IResult> Form(HttpContext ctx, ICatalogStore catalog, string? lot, string? count, string kind,
        FieldErrors errors, int status = StatusCodes.Status200OK) =>
        PageResult.Of<LabelForm>(new
        {
            Lots = await LotPages.LotOptionsAsync(ctx.User.ProducerId()!, catalog, ctx.RequestAborted),
            Lot = lot, Count = count, Kind = kind, Errors = errors,
        }, status);

    /// <summary>POST /console/labels/sheet: a signed sheet (new serials, each signed), or a redirect to the lot sheet.</summary>
    private static async Task<IResult> SignedSheetAsync(HttpContext ctx, ICatalogStore catalog, LabelSheet sheet, SerialService serials,
        IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var (lotValue, countText, kind) = (form.Get("lot"), form.Get("count"), form.Get("kind") == LotKind ? LotKind : Signed);
        var (count, product, lot, errors) = await ChosenAsync(ctx, catalog, lotValue, countText, texts);
        if (errors.Count > 0) return await Form(ctx, catalog, lotValue, countText, kind, errors, StatusCodes.Status400BadRequest);
        if (kind == LotKind)
            return Results.Redirect($"/console/labels/sheet?lot={Uri.EscapeDataString(lotValue!)}&count={count}&lang={ConsoleCulture.Lang}");
        var issued = await serials.IssueAsync(ctx.User.ProducerId()!, lot!.Gtin, lot.LotNumber, new SerialsRequest(count), LabelSheet.MaxCount,
            PublicUrls.BaseUrl(ctx), ctx.RequestAborted);
        if (!issued.IsOk)
            return await Form(ctx, catalog, lotValue, countText, kind, ProductPages.ErrorsOf(issued, "lot"), ProductPages.Status(issued));
        // The answer is the sheet itself (no redirect, never cached): these serials exist only in this answer until printed.
        return sheet.Render(product!, lot, issued.Value!.Links, ConsoleCulture.Lang);
    }

    /// <summary>The count and the lot chosen in the picker ("{gtin14}:{lot}") when it is one of this producer's; errors by field otherwise.</summary>
    private static async Task<(int Count, Product? Product, Lot? Lot, FieldErrors Errors)> ChosenAsync(HttpContext ctx, ICatalogStore catalog,
        string? lotValue, string? countText, IStringLocalizer<ConsoleTexts> texts)
    {
        var errors = new FieldErrors();
        if (!int.TryParse(countText, out var count) || count is < 1 or > LabelSheet.MaxCount)
            errors.Add("count", texts.Format("Labels_BadCount", LabelSheet.MaxCount));
        var owned = LotPages.TryParsePicker(lotValue, out var gtin, out var lotNumber) ? await LotPage.OwnLotAsync(ctx, catalog, gtin, lotNumber) : null;
        if (owned is null) errors.Add("lot", texts["Labels_ChooseLot"]);
        return (count, owned?.Product, owned?.Lot, errors);
    }

    private static async Task<IResult> SheetAsync(HttpContext ctx, ICatalogStore catalog, LabelSheet sheet, IStringLocalizer<ConsoleTexts> texts)
    {
        var lotValue = ctx.Request.Query["lot"].ToString();
        var (count, product, lot, errors) = await ChosenAsync(ctx, catalog, lotValue, ctx.Request.Query["count"], texts);
        if (errors.Count > 0) return await Form(ctx, catalog, lotValue, ctx.Request.Query["count"], LotKind, errors, StatusCodes.Status400BadRequest);
        return sheet.Render(product!, lot!, count, PublicUrls.BaseUrl(ctx), ConsoleCulture.Lang);
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
        return sheet.Render(product!, found, count, PublicUrls.BaseUrl(ctx), lang);
    }
}
