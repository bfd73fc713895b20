using Traceability.Authority.Api.Trace;

namespace Traceability.Authority.Api.Recalls;

/// <summary>A recall with the names staff read it by.</summary>
public sealed record RecallListItem(Recall Recall, string? ProductName, string? ProducerId, string? ProducerName);

/// <summary>A lot a recall would reach: one of the recalled lots (<c>recalled</c>) or a lot made from one (<c>downstream</c>).</summary>
public sealed record ReachedLot(string Relation, string Gtin, string Lot, string? ProductName, string? Producer, string Link);

/// <summary>
/// The workspace's read side of recalls: the list and history with product and producer names, and
/// the preview before issuing one — the chosen lots and the lots one step downstream of them in the
/// trace graph (<see cref="TraceBuilder"/>: outputs of transformations that consumed them), which the
/// recall does not name but staff should know it reaches. Issuing and ending are <c>RecallService</c>'s.
/// </summary>
public sealed class RecallDesk(IRecallStore recalls, ICatalogStore catalog, IAccountStore accounts, TraceBuilder trace)
{
    public const int MaxListed = 500;

    public async Task<IReadOnlyList<RecallListItem>> ListAsync(CancellationToken ct)
    {
        var names = new Dictionary<string, (string?, string?, string?)>(StringComparer.Ordinal);
        var items = new List<RecallListItem>();
        foreach (var recall in await recalls.ListRecallsAsync(MaxListed, ct))
        {
            if (!names.TryGetValue(recall.Gtin, out var n)) names[recall.Gtin] = n = await NamesAsync(recall.Gtin, ct);
            items.Add(new RecallListItem(recall, n.Item1, n.Item2, n.Item3));
        }
        return items;
    }

    public async Task<RecallListItem?> GetAsync(string id, CancellationToken ct)
    {
        if (await recalls.GetRecallAsync(id, ct) is not { } recall) return null;
        var (product, producerId, producer) = await NamesAsync(recall.Gtin, ct);
        return new RecallListItem(recall, product, producerId, producer);
    }

    public async Task<IReadOnlyList<ReachedLot>> PreviewAsync(string gtin14, IReadOnlyList<string> lots, CancellationToken ct)
    {
        var (product, _, producer) = await NamesAsync(gtin14, ct);
        var reached = lots.Select(l => new ReachedLot("recalled", gtin14, l, product, producer, ProvenanceBuilder.LotPath(gtin14, l))).ToList();
        var seen = reached.Select(r => LotKey.Of(r.Gtin, r.Lot)).ToHashSet(StringComparer.Ordinal);
        foreach (var lot in lots)
        {
            if (await trace.BuildAsync(gtin14, lot, ct) is not { } report) continue;
            foreach (var d in report.Downstream.Where(d => seen.Add(LotKey.Of(d.Gtin, d.Lot))))
                reached.Add(new ReachedLot("downstream", d.Gtin, d.Lot, d.ProductName, d.Producer, ProvenanceBuilder.LotPath(d.Gtin, d.Lot)));
        }
        return reached;
    }

    private async Task<(string? Product, string? ProducerId, string? Producer)> NamesAsync(string gtin14, CancellationToken ct)
    {
        var product = await catalog.GetProductAsync(gtin14, ct);
        var producer = product is null ? null : await accounts.GetProducerAsync(product.ProducerId, ct);
        return (product?.Name.Vi, product?.ProducerId, producer?.Name);
    }
}
