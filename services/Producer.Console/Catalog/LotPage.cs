using Traceability.Lookup.Api.Provenance;
using Traceability.ProducerConsole.Dashboard;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// Everything about one lot on one page (<c>/console/lots/{gtin14}/{lot}</c>): its facts and status,
/// the QR code, the signed labels issued, consumer scans (counts), the recall, and each event with
/// its national-portal state. Only the owning producer sees it; any other lot is a 404.
/// </summary>
internal static class LotPage
{
    public static void MapLotPage(this IEndpointRouteBuilder console) => console.MapGet("/lots/{gtin}/{lot}", ShowAsync);

    internal static string Url(string gtin14, string lot) => $"/console/lots/{gtin14}/{Uri.EscapeDataString(lot)}";

    /// <summary>The lot and its product when the signed-in producer owns the lot; null otherwise (unknown, malformed or another's).</summary>
    internal static async Task<(Lot Lot, Product Product)?> OwnLotAsync(HttpContext ctx, ICatalogStore catalog, string gtin, string lot)
    {
        var ct = ctx.RequestAborted;
        if (!Gtin.TryParse(gtin, out var g, out _)) return null;
        var found = await catalog.GetLotAsync(g.Value, lot, ct);
        if (found is null || found.ProducerId != ctx.User.ProducerId()) return null;
        return await catalog.GetProductAsync(found.Gtin, ct) is { } product ? (found, product) : null;
    }

    /// <summary>The producer's own events about the lot, oldest first (another business's receiving is not this producer's to send).</summary>
    internal static async Task<IReadOnlyList<StoredEvent>> EventsAsync(HttpContext ctx, IEventStore events, Lot lot) =>
        (await events.GetEventsForLotAsync(lot.Key, ctx.RequestAborted)).Where(e => e.ProducerId == ctx.User.ProducerId()).ToList();

    private static async Task<IResult> ShowAsync(HttpContext ctx, string gtin, string lot, ICatalogStore catalog, IEventStore events,
        IOutboxStore outbox, IRecallStore recalls, ISerialStore serials, IScanStore scans, TimeProvider time, IStringLocalizer<ConsoleTexts> texts)
    {
        var ct = ctx.RequestAborted;
        var producerId = ctx.User.ProducerId()!;
        var owned = await OwnLotAsync(ctx, catalog, gtin, lot);
        if (owned is not var (found, product)) return Pages.NotFound("NotYourLot");
        var now = time.GetUtcNow();
        var places = (await catalog.ListLocationsAsync(producerId, ct)).ToDictionary(LocationIdentifier.Of, l => l.Name, StringComparer.Ordinal);
        var lotEvents = await EventsAsync(ctx, events, found);
        return PageResult.Of<LotView>(new
        {
            Lot = found,
            Product = product,
            Status = await LotPages.StatusAsync(recalls, found, LotPages.Today(time), ct),
            Origin = found.OriginLocation is { } code ? (await catalog.GetLocationAsync(producerId, code, ct))?.Name ?? code : null,
            Issued = await serials.CountSerialsAsync(found.Gtin, found.LotNumber, ct),
            Week = await ConsumerScans.CountAsync(scans, found.Key, now.AddDays(-7), ct),
            Month = await ConsumerScans.CountAsync(scans, found.Key, now.AddDays(-30), ct),
            EventCount = lotEvents.Count,
            Rows = await PortalPages.RowsAsync(ctx, outbox, found, product, lotEvents, e => Where(texts, e, places)),
            Link = new DigitalLink(Gtin.Parse(found.Gtin), Lot: found.LotNumber).Path,
        });
    }

    /// <summary>Where an event happened and, for a shipment, where it went: own locations by name, other places by GLN.</summary>
    private static string? Where(IStringLocalizer<ConsoleTexts> texts, StoredEvent e, IReadOnlyDictionary<string, string> places)
    {
        string? Name(string? id) => id is null ? null
            : places.TryGetValue(id, out var name) ? name
            : EpcIdentifier.GlnOf(id) is { } gln ? "GLN " + gln
            : null;
        var at = Name(e.BizLocation ?? e.ReadPoint);
        var to = e.BizStep == "shipping"
            ? ProvenanceBuilder.Destinations(e.Json).Select(d => Name(EpcIdentifier.ToLocationKey(d))).FirstOrDefault(n => n is not null)
            : null;
        return (at, to) switch
        {
            (null, null) => null,
            (_, null) => at,
            (null, _) => texts["Lot_To"] + to,
            _ => $"{at} → {to}",
        };
    }
}
