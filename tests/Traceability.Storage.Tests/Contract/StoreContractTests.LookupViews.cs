namespace Traceability.Storage.Tests.Contract;

/// <summary>
/// The lookup read model's store (issue 22): rows are read by key; appending a change deletes the rows
/// it names (a lot, a product and its lots, everything); a row built before a change naming its key,
/// product or everything is refused; rows of another version are deleted; the sweep lists lots
/// without a current row. Runs on every provider (MongoDB only with TRACE_MONGO_URL).
/// </summary>
public abstract partial class StoreContractTests
{
    private static ILookupViewStore Views(TraceStoreHandle store) => store.Get<ILookupViewStore>();

    private static LookupView View(string gtin, string? lot, long builtAt, int version = 1, DateTimeOffset? validUntil = null) =>
        new(lot is null ? "01/" + gtin : LotKey.Of(gtin, lot), gtin, lot, version, $"{{\"lot\":\"{lot}\",\"at\":{builtAt}}}", validUntil, builtAt);

    [Fact]
    public async Task Appending_a_change_deletes_the_lookup_views_it_names_lot_product_or_everything()
    {
        var store = await OpenAsync();
        var views = Views(store);
        LookupView[] all = [View(Gtin(1), null, 0), View(Gtin(1), "A/1", 0), View(Gtin(1), "B", 0), View(Gtin(2), "A/1", 0), View(Gtin(3), "C", 0)];
        Assert.Equal(5, await views.PutLookupViewsAsync(all, Ct));
        var read = await views.GetLookupViewAsync(LotKey.Of(Gtin(1), "A/1"), Ct);
        Assert.Equal(all[1], read);

        await Feed(store).AppendChangesAsync([LotKey.Of(Gtin(1), "A/1")], "host", T0, Ct);
        Assert.Null(await views.GetLookupViewAsync(LotKey.Of(Gtin(1), "A/1"), Ct));
        Assert.NotNull(await views.GetLookupViewAsync(LotKey.Of(Gtin(2), "A/1"), Ct));

        await Feed(store).AppendChangesAsync(["01/" + Gtin(1)], "host", T0, Ct);
        Assert.Null(await views.GetLookupViewAsync("01/" + Gtin(1), Ct));
        Assert.Null(await views.GetLookupViewAsync(LotKey.Of(Gtin(1), "B"), Ct));
        Assert.NotNull(await views.GetLookupViewAsync(LotKey.Of(Gtin(3), "C"), Ct));

        await Feed(store).AppendChangesAsync([ChangeKeys.All], "host", T0, Ct);
        Assert.Null(await views.GetLookupViewAsync(LotKey.Of(Gtin(2), "A/1"), Ct));
        Assert.Null(await views.GetLookupViewAsync(LotKey.Of(Gtin(3), "C"), Ct));
    }

    [Fact]
    public async Task A_view_built_before_a_change_to_its_lot_product_or_everything_is_not_stored()
    {
        var store = await OpenAsync();
        var views = Views(store);
        var feed = Feed(store);
        await feed.AppendChangesAsync([LotKey.Of(Gtin(9), "X")], "host", T0, Ct);
        var before = await feed.LatestChangeAsync(Ct); // what a builder reads before it starts

        // Changes arrive while the builds run (after the builders read the feed's position).
        await feed.AppendChangesAsync([LotKey.Of(Gtin(1), "A")], "host", T0, Ct);
        await feed.AppendChangesAsync(["01/" + Gtin(2)], "host", T0, Ct);
        Assert.Equal(1, await views.PutLookupViewsAsync(
            [View(Gtin(1), "A", before), View(Gtin(2), "B", before), View(Gtin(2), null, before), View(Gtin(3), "C", before)], Ct));
        Assert.Null(await views.GetLookupViewAsync(LotKey.Of(Gtin(1), "A"), Ct));
        Assert.Null(await views.GetLookupViewAsync(LotKey.Of(Gtin(2), "B"), Ct));
        Assert.Null(await views.GetLookupViewAsync("01/" + Gtin(2), Ct));
        Assert.NotNull(await views.GetLookupViewAsync(LotKey.Of(Gtin(3), "C"), Ct));

        // Built after the changes: stored; an older build never replaces a newer row.
        var after = await feed.LatestChangeAsync(Ct);
        Assert.Equal(1, await views.PutLookupViewsAsync([View(Gtin(1), "A", after)], Ct));
        Assert.Equal(0, await views.PutLookupViewsAsync([View(Gtin(3), "C", before - 1) with { Json = "{}" }], Ct));
        Assert.NotEqual("{}", (await views.GetLookupViewAsync(LotKey.Of(Gtin(3), "C"), Ct))!.Json);

        // Everything changed: nothing built before it is stored.
        await feed.AppendChangesAsync([ChangeKeys.All], "host", T0, Ct);
        Assert.Equal(0, await views.PutLookupViewsAsync([View(Gtin(4), "D", after)], Ct));
    }

    [Fact]
    public async Task Views_of_another_version_are_deleted_and_the_sweep_lists_lots_without_a_current_view()
    {
        var store = await OpenSeededAsync();
        var views = Views(store);
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);
        foreach (var lot in new[] { "L1", "L2", "L3", "L4" })
            await store.Catalog.AddLotAsync(NewLot(Gtin(1), lot), LotMessage(Gtin(1), lot), Ct);
        await views.PutLookupViewsAsync([View(Gtin(1), "L1", 0), View(Gtin(1), "L2", 0, version: 0),
            View(Gtin(1), "L3", 0, validUntil: T0.AddHours(1))], Ct);

        // Every lot, paged.
        var first = await views.ListLotsForLookupAsync(null, 3, null, T0, Ct);
        Assert.Equal(3, first.Lots.Count);
        Assert.NotNull(first.Next);
        var rest = await views.ListLotsForLookupAsync(first.Next, 3, null, T0, Ct);
        Assert.Equal(["L1", "L2", "L3", "L4"], first.Lots.Concat(rest.Lots).Select(l => l.Lot).Order());
        Assert.Null(rest.Next);

        // Without a current row: L2 (another version), L4 (none); L3 once past its valid-until.
        Assert.Equal(["L2", "L4"], (await views.ListLotsForLookupAsync(null, 10, 1, T0, Ct)).Lots.Select(l => l.Lot).Order());
        Assert.Equal(["L2", "L3", "L4"], (await views.ListLotsForLookupAsync(null, 10, 1, T0.AddHours(2), Ct)).Lots.Select(l => l.Lot).Order());

        Assert.Equal(1, await views.DeleteLookupViewsExceptAsync(1, Ct));
        Assert.Null(await views.GetLookupViewAsync(LotKey.Of(Gtin(1), "L2"), Ct));
        Assert.NotNull(await views.GetLookupViewAsync(LotKey.Of(Gtin(1), "L1"), Ct));
    }
}
