namespace Traceability.Storage.Tests.Contract;

/// <summary>
/// What several hosts over one store share (issue 17): the Data Protection key ring, product images
/// and the change feed. Runs on every provider (MongoDB only with TRACE_MONGO_URL).
/// </summary>
public abstract partial class StoreContractTests
{
    private static IKeyRingStore KeyRing(TraceStoreHandle store) => store.Get<IKeyRingStore>();

    private static IImageStore Images(TraceStoreHandle store) => store.Get<IImageStore>();

    private static IChangeFeedStore Feed(TraceStoreHandle store) => store.Get<IChangeFeedStore>();

    [Fact]
    public async Task Key_ring_elements_are_added_once_by_name_and_listed_oldest_first()
    {
        var store = await OpenAsync();
        Assert.True(await KeyRing(store).AddKeyRingElementAsync(new("key-b", "<key id=\"b\"/>", T0.AddMinutes(1)), Ct));
        Assert.True(await KeyRing(store).AddKeyRingElementAsync(new("key-a", "<key id=\"a\"/>", T0), Ct));
        Assert.False(await KeyRing(store).AddKeyRingElementAsync(new("key-a", "<key id=\"other\"/>", T0), Ct));

        var ring = await KeyRing(store).ListKeyRingAsync(Ct);
        Assert.Equal(["key-a", "key-b"], ring.Select(e => e.Name));
        Assert.Equal("<key id=\"a\"/>", ring[0].Xml);
        Assert.Equal(T0, ring[0].CreatedAt);
    }

    [Fact]
    public async Task A_product_image_is_replaced_whole_and_an_import_never_overwrites_it()
    {
        var store = await OpenAsync();
        Assert.Null(await Images(store).GetImageAsync(Gtin(1), Ct));
        await Images(store).PutImageAsync(new(Gtin(1), "png", [1, 2, 3], "\"p\"", T0), Ct);
        await Images(store).PutImageAsync(new(Gtin(1), "jpg", [4, 5], "\"j\"", T0.AddHours(1)), Ct);
        Assert.False(await Images(store).AddImageIfAbsentAsync(new(Gtin(1), "webp", [9], "\"w\"", T0), Ct));
        Assert.True(await Images(store).AddImageIfAbsentAsync(new(Gtin(2), "webp", [9], "\"w\"", T0), Ct));

        var image = await Images(store).GetImageAsync(Gtin(1), Ct);
        Assert.NotNull(image);
        Assert.Equal(("jpg", "\"j\"", T0.AddHours(1)), (image.Ext, image.ETag, image.UpdatedAt));
        Assert.Equal([4, 5], image.Bytes);
        Assert.Equal("webp", (await Images(store).GetImageAsync(Gtin(2), Ct))!.Ext);
    }

    [Fact]
    public async Task The_change_feed_reads_on_from_a_position_in_order_and_pruning_keeps_the_sequence()
    {
        var store = await OpenAsync();
        var feed = Feed(store);
        Assert.Equal(0, await feed.LatestChangeAsync(Ct));
        await feed.AppendChangesAsync(["01/" + Gtin(1), LotKey.Of(Gtin(1), "A")], "host-a", T0, Ct);
        await feed.AppendChangesAsync([ChangeKeys.All], "host-b", T0.AddMinutes(5), Ct);

        var all = await feed.ReadChangesAsync(0, 100, Ct);
        Assert.Equal(["01/" + Gtin(1), LotKey.Of(Gtin(1), "A"), ChangeKeys.All], all.Select(c => c.Key));
        Assert.Equal(["host-a", "host-a", "host-b"], all.Select(c => c.Origin));
        Assert.True(all[0].Sequence < all[1].Sequence && all[1].Sequence < all[2].Sequence);
        Assert.Equal(all[2].Sequence, await feed.LatestChangeAsync(Ct));
        Assert.Equal([ChangeKeys.All], (await feed.ReadChangesAsync(all[1].Sequence, 100, Ct)).Select(c => c.Key));
        Assert.Single(await feed.ReadChangesAsync(0, 1, Ct));

        // Pruned rows are gone, but a sequence is never given again.
        await feed.PruneChangesAsync(T0.AddMinutes(1), Ct);
        Assert.Equal([all[2].Sequence], (await feed.ReadChangesAsync(0, 100, Ct)).Select(c => c.Sequence));
        await feed.AppendChangesAsync(["01/" + Gtin(2)], "host-a", T0.AddMinutes(6), Ct);
        Assert.True((await feed.LatestChangeAsync(Ct)) > all[2].Sequence);
    }
}
