namespace Traceability.ProducerConsole.Catalog;

/// <summary>Lots: create, and the list with each lot's status and its sync state with the national portal.</summary>
internal static class LotPages
{
    public static void MapLotPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/lots", ListAsync);
        console.MapGet("/lots/new", async (HttpContext ctx, ICatalogStore catalog) =>
            await FormAsync(ctx, catalog, new Dictionary<string, string?> { ["gtin"] = ctx.Request.Query["gtin"] }, new FieldErrors()));
        console.MapPost("/lots/new", CreateAsync);
    }

    /// <summary>Today in Vietnam (UTC+7 all year, no daylight saving).</summary>
    internal static DateOnly Today(TimeProvider time) => VietnamTime.Today(time.GetUtcNow());

    /// <summary>A lot's value in pickers: the 14-digit GTIN, a colon, the lot number.</summary>
    internal static string PickerValue(Lot l) => l.Gtin + ":" + l.LotNumber;

    internal static bool TryParsePicker(string? value, out string gtin14, out string lot)
    {
        gtin14 = lot = "";
        if (value is null || value.Length < 16 || value[14] != ':') return false;
        gtin14 = value[..14];
        lot = value[15..];
        return true;
    }

    internal static async Task<IReadOnlyList<(string Value, string Text)>> LotOptionsAsync(string producerId, ICatalogStore catalog, CancellationToken ct)
    {
        var lots = await catalog.ListLotsAsync(producerId, 500, ct);
        var products = (await catalog.ListProductsAsync(producerId, ct)).ToDictionary(p => p.Gtin);
        return lots.OrderByDescending(l => l.CreatedAt)
            .Select(l => (PickerValue(l), $"{l.LotNumber} · {(products.TryGetValue(l.Gtin, out var p) ? p.Name.For(ConsoleCulture.Lang) : l.Gtin)}"))
            .ToList();
    }

    internal static async Task<IReadOnlyList<(string Value, string Text)>> LocationOptionsAsync(string producerId, ICatalogStore catalog, CancellationToken ct) =>
        (await catalog.ListLocationsAsync(producerId, ct)).OrderBy(l => l.Name).Select(l => (l.Code, $"{l.Name} ({l.Code})")).ToList();

    private static async Task<IResult> ListAsync(HttpContext ctx, ICatalogStore catalog, IOutboxStore outbox, IRecallStore recalls, TimeProvider time)
    {
        var producerId = ctx.User.ProducerId()!;
        var portal = new PortalStates(outbox, ctx.RequestAborted);
        var lots = await catalog.ListLotsAsync(producerId, 500, ctx.RequestAborted);
        var products = (await catalog.ListProductsAsync(producerId, ctx.RequestAborted)).ToDictionary(p => p.Gtin);
        var today = Today(time);
        var rows = new List<(Lot, string, PortalState)>();
        foreach (var l in lots.OrderByDescending(l => l.CreatedAt))
            rows.Add((l, await StatusAsync(recalls, l, today, ctx.RequestAborted), await portal.OfAsync(OutboxKind.Lot, l.Key)));
        return PageResult.Of<LotList>(new { Rows = rows, Products = products });
    }

    /// <summary>The status classes (<c>status-…</c> in console.css): a recall outranks expiry, as on the public page.</summary>
    internal const string Recalled = "recalled", Expired = "expired", Active = "active";

    /// <summary>The lot's status class; its name is the text LotStatus_{class}.</summary>
    internal static async Task<string> StatusAsync(IRecallStore recalls, Lot l, DateOnly today, CancellationToken ct) =>
        await RecallPages.IsRecalledAsync(recalls, l, ct) ? Recalled
        : l.ExpiryDate is { } e && e < today ? Expired
        : Active;

    /// <summary>The create form's fields, in the API's names.</summary>
    internal static readonly string[] Fields = ["gtin", "lot", "productionDate", "expiryDate", "quantity", "uom", "originLocation"];

    private static async Task<IResult> FormAsync(HttpContext ctx, ICatalogStore catalog, IReadOnlyDictionary<string, string?> v, FieldErrors errors,
        int status = StatusCodes.Status200OK)
    {
        var producerId = ctx.User.ProducerId()!;
        var products = (await catalog.ListProductsAsync(producerId, ctx.RequestAborted)).OrderBy(p => p.Name.Vi)
            .Select(p => (p.Gtin, $"{p.Name.For(ConsoleCulture.Lang)} ({p.Gtin})")).ToList();
        var locations = await LocationOptionsAsync(producerId, catalog, ctx.RequestAborted);
        return PageResult.Of<LotForm>(new { Values = v, Products = products, Locations = locations, Errors = errors }, status);
    }

    private static async Task<IResult> CreateAsync(HttpContext ctx, CatalogService service, ICatalogStore catalog, IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var v = Fields.ToDictionary(k => k, k => form.Get(k));
        var errors = new FieldErrors();
        var made = DateField(v["productionDate"], "productionDate", errors, texts);
        var expires = DateField(v["expiryDate"], "expiryDate", errors, texts);
        decimal? quantity = null;
        if (v["quantity"] is { } q)
        {
            if (decimal.TryParse(q.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) quantity = d;
            else errors.Add("quantity", texts["Lots_NotNumber"]);
        }
        if (errors.Count > 0) return await FormAsync(ctx, catalog, v, errors, StatusCodes.Status400BadRequest);
        var outcome = await service.AddLotAsync(ctx.User.ProducerId()!, new LotRequest(v["gtin"], v["lot"], made, expires, quantity, v["uom"], v["originLocation"]),
            ctx.RequestAborted);
        if (outcome.IsOk) return Results.Redirect("/console/lots");
        var field = outcome.Kind == Traceability.ServiceDefaults.Problems.OutcomeKind.Conflict ? "lot" : "gtin";
        return await FormAsync(ctx, catalog, v, ProductPages.ErrorsOf(outcome, field), ProductPages.Status(outcome));
    }

    private static DateOnly? DateField(string? text, string field, FieldErrors errors, IStringLocalizer<ConsoleTexts> texts)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        errors.Add(field, texts["Lots_BadDate"]);
        return null;
    }
}
