namespace Traceability.Lookup.Api.Recalls;

/// <summary>
/// What the public is warned about, newest first: active recalls and the inspection outcomes staff
/// published. One list for the JSON/Atom feed (<c>GET /api/v1/warnings</c>) and the page
/// <c>/canh-bao</c>, so they cannot disagree. Links are paths; the feed prefixes its base URL.
/// </summary>
public sealed class PublicWarnings(IRecallStore recalls, IInspectionStore inspections, ICatalogStore catalog)
{
    public const string RecallKind = "recall";
    public const string InspectionKind = "inspection";

    public async Task<IReadOnlyList<Warning>> ListAsync(string baseUrl, CancellationToken ct)
    {
        var warnings = new List<Warning>();
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        async Task<string?> NameAsync(string gtin)
        {
            if (!names.TryGetValue(gtin, out var name))
                names[gtin] = name = (await catalog.GetProductAsync(gtin, ct))?.Name.Vi;
            return name;
        }
        foreach (var r in await recalls.ListActiveRecallsAsync(500, ct))
            warnings.Add(new Warning(r.Id, RecallKind, r.Gtin, await NameAsync(r.Gtin),
                [.. r.Lots.Select(l => new WarningLot(l, baseUrl + ProvenanceBuilder.LotPath(r.Gtin, l)))], r.Reason, r.Severity, r.IssuedAt));
        foreach (var i in await inspections.QueryInspectionsAsync(new InspectionQuery(PublishedOnly: true, Max: 500), ct))
        {
            // Publishing requires a code that names a product (InspectionService), so this holds.
            if (!ScannedCode.TryParse(i.Code, out var code, out _)) continue;
            var gtin = code.Gtin.Value;
            WarningLot[] lots = code.Lot is null ? [] : [new WarningLot(code.Lot, baseUrl + ProvenanceBuilder.LotPath(gtin, code.Lot))];
            warnings.Add(new Warning(i.Id, InspectionKind, gtin, await NameAsync(gtin), lots, InspectionResults.Name(i.Result).Vi, null,
                i.PublishedAt!.Value, i.Result, i.Latitude is { } lat && i.Longitude is { } lon ? Provinces.Nearest(lat, lon).Name : null,
                i.InspectedAt));
        }
        return [.. warnings.OrderByDescending(w => w.IssuedAt)];
    }
}
