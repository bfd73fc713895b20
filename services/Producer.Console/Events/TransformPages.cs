namespace Traceability.ProducerConsole.Events;

/// <summary>
/// Processing that combines lots: a TransformationEvent with the chosen input lots (own lots, or
/// one supplier lot typed by GTIN and lot number) and one output lot of this producer.
/// </summary>
internal static class TransformPages
{
    internal static readonly string[] Fields = ["inputs", "otherGtin", "otherLot", "lot", "location", "quantity", "uom", "time", "note"];

    public static void MapTransformPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/transform", async (HttpContext ctx, ICatalogStore catalog, TimeProvider time) =>
            await FormAsync(ctx, catalog, new Dictionary<string, string?> { ["time"] = EventForm.Now(time) }, [], new FieldErrors(),
                ctx.Request.Query["done"]));
        console.MapPost("/transform", RecordAsync);
    }

    private static async Task<IResult> FormAsync(HttpContext ctx, ICatalogStore catalog, IReadOnlyDictionary<string, string?> v, IReadOnlyList<string> checkedInputs,
        FieldErrors errors, string? done = null, int status = StatusCodes.Status200OK)
    {
        var producerId = ctx.User.ProducerId()!;
        var lots = await LotPages.LotOptionsAsync(producerId, catalog, ctx.RequestAborted);
        var locations = await LotPages.LocationOptionsAsync(producerId, catalog, ctx.RequestAborted);
        return PageResult.Of<TransformForm>(new { Values = v, Lots = lots, Locations = locations, Checked = checkedInputs, Errors = errors, Done = done }, status);
    }

    private static async Task<IResult> RecordAsync(HttpContext ctx, ICatalogStore catalog, CaptureService capture, TimeProvider time,
        IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var v = Fields.ToDictionary(f => f, f => form.Get(f));
        var checkedInputs = form["inputs"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        var errors = new FieldErrors();
        var inputs = new List<LotRef>();
        foreach (var value in checkedInputs)
            if (LotPages.TryParsePicker(value, out var g, out var l)) inputs.Add(new LotRef(g, l));
        if (v["otherGtin"] is not null || v["otherLot"] is not null)
        {
            if (!Gtin.TryParse(v["otherGtin"], out var otherGtin, out var gtinError)) errors.Add("otherGtin", gtinError!);
            if (!Gs1Syntax.IsValidLot(v["otherLot"], out var lotError)) errors.Add("otherLot", lotError!);
            if (errors.Count == 0) inputs.Add(new LotRef(otherGtin.Value, v["otherLot"]!));
        }
        if (inputs.Count == 0 && errors.Count == 0) errors.Add("inputs", texts["Transform_NoInputs"]);
        if (!LotPages.TryParsePicker(v["lot"], out var gtin, out var lot)) errors.Add("lot", texts["Transform_ChooseOutput"]);
        var quantity = EventForm.ParseQuantity(v["quantity"], "quantity", errors, texts);
        var at = EventForm.ParseTime(v["time"], errors, texts, time);
        var location = await EventForm.LocationIdAsync(ctx, texts, catalog, v["location"], errors);
        if (errors.Count == 0)
        {
            var output = new LotRef(gtin, lot, quantity, quantity is null ? null : v["uom"]);
            errors = await EventForm.CaptureAsync(ctx, capture, time, new EventDraft(output, Step.Processing, at!.Value, location, inputs, v["note"]));
            if (errors.Count == 0) return Results.Redirect("/console/transform?done=processing");
        }
        return await FormAsync(ctx, catalog, v, checkedInputs, errors, status: StatusCodes.Status400BadRequest);
    }
}
