namespace Traceability.ProducerConsole.Events;

/// <summary>Record an event in a few taps: lot, step, place, quantity, time (default now, Vietnam), note.</summary>
internal static class EventPages
{
    internal static readonly string[] Fields = ["lot", "step", "location", "destination", "partnerGln", "quantity", "uom", "time", "note"];

    public static void MapEventPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/events/new", async (HttpContext ctx, ICatalogStore catalog, TimeProvider time) =>
        {
            var q = ctx.Request.Query;
            var values = new Dictionary<string, string?>
            {
                ["lot"] = q["lot"], ["step"] = q["step"].ToString() is { Length: > 0 } step ? step : NextStep(q["done"]),
                ["location"] = q["location"], ["time"] = EventForm.Now(time),
            };
            return await FormAsync(ctx, catalog, values, new FieldErrors(), q["done"]);
        });
        console.MapPost("/events/new", RecordAsync);
    }

    /// <summary>After one step the form offers the usual next one: a harvest is packed next, then shipped…</summary>
    internal static string? NextStep(string? done) => done switch
    {
        "harvest" or "processing" => "packing",
        "packing" => "shipping",
        "shipping" => "receiving",
        "receiving" => "storing",
        "storing" => "retail",
        _ => null,
    };

    private static async Task<IResult> FormAsync(HttpContext ctx, ICatalogStore catalog, IReadOnlyDictionary<string, string?> v, FieldErrors errors,
        string? done = null, int status = StatusCodes.Status200OK)
    {
        var producerId = ctx.User.ProducerId()!;
        var lots = await LotPages.LotOptionsAsync(producerId, catalog, ctx.RequestAborted);
        var locations = await LotPages.LocationOptionsAsync(producerId, catalog, ctx.RequestAborted);
        return PageResult.Of<EventRecord>(new { Values = v, Lots = lots, Locations = locations, Errors = errors, Done = done }, status);
    }

    private static async Task<IResult> RecordAsync(HttpContext ctx, ICatalogStore catalog, CaptureService capture, TimeProvider time,
        IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var v = Fields.ToDictionary(f => f, f => form.Get(f));
        var errors = new FieldErrors();
        if (!LotPages.TryParsePicker(v["lot"], out var gtin, out var lot))
            errors.Add("lot", texts["Event_ChooseLotError"]);
        var step = Step.Find(v["step"]);
        if (step is null) errors.Add("step", texts["Event_ChooseStep"]);
        var quantity = EventForm.ParseQuantity(v["quantity"], "quantity", errors, texts);
        var at = EventForm.ParseTime(v["time"], errors, texts, time);
        var location = await EventForm.LocationIdAsync(ctx, texts, catalog, v["location"], errors);
        var (destination, partnerPlace) = await EventForm.WhereAsync(ctx, texts, catalog, step, v["destination"], v["partnerGln"], v["location"] is not null, errors);
        if (v["note"] is { Length: > 500 }) errors.Add("note", texts["Event_NoteTooLong"]);
        if (errors.Count == 0)
        {
            var output = new LotRef(gtin, lot, quantity, quantity is null ? null : v["uom"]);
            // Processing a single lot in place (washing, sorting): the lot is both input and output.
            IReadOnlyList<LotRef> inputs = step!.IsTransformation ? [new LotRef(gtin, lot)] : [];
            errors = await EventForm.CaptureAsync(ctx, capture, time,
                new EventDraft(output, step, at!.Value, partnerPlace ?? location, inputs, v["note"], destination));
            // Shipped to one of the producer's own places: that place is where the next step (receiving) happens.
            var next = step.IsShipping && destination is { IsLocation: true } ? v["destination"] : v["location"];
            if (errors.Count == 0)
                return Results.Redirect($"/console/events/new?lot={Uri.EscapeDataString(v["lot"]!)}&location={Uri.EscapeDataString(next ?? "")}&done={step.Key}");
        }
        return await FormAsync(ctx, catalog, v, errors, status: StatusCodes.Status400BadRequest);
    }
}
