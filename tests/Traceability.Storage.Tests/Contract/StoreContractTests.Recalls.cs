namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static IRecallStore Recalls(TraceStoreHandle store) => store.Get<IRecallStore>();

    private static ISerialStore Serials(TraceStoreHandle store) => store.Get<ISerialStore>();

    private static async Task<TraceStoreHandle> OpenWithLotsAsync(TraceStoreHandle store, params string[] lots)
    {
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);
        foreach (var lot in lots) await store.Catalog.AddLotAsync(NewLot(Gtin(1), lot), LotMessage(Gtin(1), lot), Ct);
        return store;
    }

    private static (Recall Recall, IReadOnlyList<OutboxMessage> Announce) NewRecall(string id, DateTimeOffset at, params string[] lots)
    {
        var recall = new Recall(id, Gtin(1), lots, "Nấm mốc", "high", "admin", null, at);
        return (recall, lots.Select(l => LotKey.Of(Gtin(1), l))
            .Select(k => new OutboxMessage(OutboxKind.Recall, RecallKeys.OutboxKey(id, k), OutboxKind.Lot, k, null)).ToList());
    }

    [Fact]
    public async Task Recall_round_trips_with_one_outbox_row_per_lot_after_the_lot()
    {
        var store = await OpenWithLotsAsync(await OpenSeededAsync(), "A/1", "B");
        var (recall, announce) = NewRecall("rc-1", T0, "A/1", "B");
        await Recalls(store).AddRecallAsync(recall, announce, Ct);

        var read = await Recalls(store).GetRecallAsync("rc-1", Ct);
        Assert.NotNull(read);
        Assert.Equal(["A/1", "B"], read.Lots);
        Assert.Equal((recall.Reason, recall.Severity, recall.IssuedBy, recall.IssuedAt), (read.Reason, read.Severity, read.IssuedBy, read.IssuedAt));
        Assert.Equal(["rc-1"], (await Recalls(store).GetActiveRecallsForLotAsync(Gtin(1), "A/1", Ct)).Select(r => r.Id));
        Assert.Empty(await Recalls(store).GetActiveRecallsForLotAsync(Gtin(1), "C", Ct));
        var lotKey = LotKey.Of(Gtin(1), "A/1");
        var row = await store.Outbox.GetOutboxRowAsync(OutboxKind.Recall, RecallKeys.OutboxKey("rc-1", lotKey), Ct);
        Assert.NotNull(row);
        Assert.Equal((OutboxKind.Lot, lotKey), (row.DependsOnKind, row.DependsOnKey));
        // Only the lots are leasable until a lot is synced.
        Assert.All(await store.Outbox.LeaseAsync("w", 10, T0, TimeSpan.FromMinutes(1), Ct), r => Assert.NotEqual(OutboxKind.Recall, r.Kind));
    }

    [Fact]
    public async Task Active_recalls_are_listed_newest_first_and_a_recall_id_is_unique()
    {
        var store = await OpenWithLotsAsync(await OpenSeededAsync(), "A");
        var (first, a1) = NewRecall("rc-1", T0, "A");
        var (second, a2) = NewRecall("rc-2", T0.AddHours(1), "A");
        await Recalls(store).AddRecallAsync(first, a1, Ct);
        await Recalls(store).AddRecallAsync(second, a2, Ct);
        Assert.Equal(["rc-2", "rc-1"], (await Recalls(store).ListActiveRecallsAsync(10, Ct)).Select(r => r.Id));
        Assert.Equal(["rc-2", "rc-1"], (await Recalls(store).GetActiveRecallsForLotAsync(Gtin(1), "A", Ct)).Select(r => r.Id));
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Recalls(store).AddRecallAsync(first, a1, Ct));
    }

    [Fact]
    public async Task Serials_are_recorded_all_or_nothing()
    {
        var store = await OpenWithLotsAsync(await OpenSeededAsync(), "A");
        await Serials(store).AddSerialsAsync([new(Gtin(1), "A", "S1", "k1", T0), new(Gtin(1), "A", "S2", "k1", T0)], Ct);
        Assert.Equal("k1", (await Serials(store).GetSerialAsync(Gtin(1), "A", "S2", Ct))?.KeyId);
        Assert.Null(await Serials(store).GetSerialAsync(Gtin(1), "A", "S3", Ct));
        await Assert.ThrowsAsync<DuplicateKeyException>(() =>
            Serials(store).AddSerialsAsync([new(Gtin(1), "A", "S3", "k1", T0), new(Gtin(1), "A", "S1", "k1", T0)], Ct));
        Assert.Null(await Serials(store).GetSerialAsync(Gtin(1), "A", "S3", Ct));
        Assert.Equal(2, await Serials(store).CountSerialsAsync(Gtin(1), "A", Ct));
    }

    [Fact]
    public async Task Signing_keys_round_trip_and_retire_once()
    {
        var store = await OpenSeededAsync();
        await Serials(store).AddSigningKeyAsync(new SigningKeyRecord("k1", "ES256", [1, 2], [3, 4], T0), Ct);
        await Serials(store).AddSigningKeyAsync(new SigningKeyRecord("k2", "ES256", [5], [6], T0.AddDays(1)), Ct);
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Serials(store).AddSigningKeyAsync(new SigningKeyRecord("k1", "ES256", [1], [1], T0), Ct));
        Assert.True(await Serials(store).RetireSigningKeyAsync("k1", T0.AddDays(1), Ct));
        Assert.False(await Serials(store).RetireSigningKeyAsync("k1", T0.AddDays(2), Ct));
        var keys = await Serials(store).ListSigningKeysAsync(Ct);
        Assert.Equal(["k1", "k2"], keys.Select(k => k.KeyId));
        Assert.Equal(T0.AddDays(1), keys[0].RetiredAt);
        Assert.Equal([3, 4], keys[0].ProtectedPrivateKey);
        Assert.Null(keys[1].RetiredAt);
    }
}
