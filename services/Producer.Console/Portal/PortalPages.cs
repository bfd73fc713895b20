namespace Traceability.ProducerConsole.Portal;

/// <summary>
/// A lot's way to the national portal (its product, the lot, each of its events) and the producer's
/// own retry of a refused row: the producer learns of a refusal and sends again without the admin.
/// </summary>
internal static class PortalPages
{
    public static void MapPortalPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/lots/{gtin}/{lot}/portal", LotAsync);
        console.MapPost("/portal/retry", RetryAsync);
    }

    internal static string LotUrl(string gtin14, string lot) => $"/console/lots/{gtin14}/{Uri.EscapeDataString(lot)}/portal";

    private static async Task<IResult> LotAsync(HttpContext ctx, string gtin, string lot, ICatalogStore catalog, IEventStore events, IOutboxStore outbox)
    {
        var owned = await LotPage.OwnLotAsync(ctx, catalog, gtin, lot);
        if (owned is not var (found, product)) return Pages.NotFound("NotYourLot");
        var lotEvents = await LotPage.EventsAsync(ctx, events, found);
        return PageResult.Of<LotPortal>(new { Lot = found, Rows = await RowsAsync(ctx, outbox, found, product, lotEvents, _ => null) });
    }

    /// <summary>
    /// The rows of <see cref="PortalTable"/>: the lot's product, the lot and each of its events with their portal states.
    /// <paramref name="place"/> describes where an event happened, or null.
    /// </summary>
    internal static async Task<IReadOnlyList<PortalRow>> RowsAsync(HttpContext ctx, IOutboxStore outbox, Lot found, Product product,
        IReadOnlyList<StoredEvent> lotEvents, Func<StoredEvent, string?> place)
    {
        var texts = ctx.RequestServices.GetRequiredService<IStringLocalizer<ConsoleTexts>>();
        var states = new PortalStates(outbox, ctx.RequestAborted);
        var name = product.Name.For(ConsoleCulture.Lang);
        var eventStates = await states.OfEventsAsync([.. lotEvents.Select(e => e.EventId)]);
        var rows = new List<PortalRow>
        {
            new("Product", name, await states.OfAsync(OutboxKind.Product, found.Gtin), texts["Portal_ProductPrefix"] + name),
            new("Lot", found.LotNumber, await states.OfAsync(OutboxKind.Lot, found.Key), texts["Portal_LotPrefix"] + found.LotNumber),
        };
        foreach (var e in lotEvents)
        {
            var when = e.EventTime.ToOffset(VietnamTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
            var step = StepName(e, ConsoleCulture.Lang);
            var where = place(e);
            rows.Add(new("Event", where is null ? $"{step} · {when}" : $"{step} · {when} · {where}", eventStates[e.EventId], $"{step} {when}"));
        }
        return rows;
    }

    internal static string StepName(StoredEvent e, string lang) =>
        Step.All.FirstOrDefault(s => s.BizStep == e.BizStep && s.IsTransformation == (e.EventType == "TransformationEvent"))?.Label(lang)
        ?? e.BizStep ?? e.EventType;

    /// <summary>POST kind, key, back: a refused row of the producer's own goes back to the queue, due now.</summary>
    private static async Task<IResult> RetryAsync(HttpContext ctx, ICatalogStore catalog, IEventStore events, IOutboxStore outbox, TimeProvider time)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var key = form.Get("key") ?? "";
        var kind = Enum.TryParse<OutboxKind>(form.Get("kind"), ignoreCase: true, out var k) ? k : (OutboxKind?)null;
        var ct = ctx.RequestAborted;
        var owner = kind switch
        {
            OutboxKind.Product => (await catalog.GetProductAsync(key, ct))?.ProducerId,
            OutboxKind.Lot when key.Length > 21 && key.StartsWith("01/", StringComparison.Ordinal) =>
                (await catalog.GetLotAsync(LotKey.GtinOf(key), LotKey.LotOf(key), ct))?.ProducerId,
            OutboxKind.Event => (await events.GetEventAsync(key, ct))?.ProducerId,
            _ => null,
        };
        if (owner is null || owner != ctx.User.ProducerId()) return Pages.NotFound("NotYourItem");
        // The open rows only: an event row has no key index, the open ones are found through their state.
        var row = (await outbox.GetOpenRowsAsync(kind!.Value, [key], ct)).FirstOrDefault();
        if (row is { State: OutboxState.Failed }) await outbox.RetryFailedAsync(row.Id, time.GetUtcNow(), ct);
        var back = form.Get("back");
        return Results.Redirect(back is not null && back.StartsWith("/console/", StringComparison.Ordinal) && !back.Contains("//", StringComparison.Ordinal)
            ? back : "/console/lots");
    }
}

/// <summary>One row of <see cref="PortalTable"/>: its kind (a text key), what it is, its state, and its name for the retry button.</summary>
public sealed record PortalRow(string KindKey, string What, PortalState State, string Named);
