namespace Traceability.Sync.Tests;

/// <summary>A recall row reaches the simulator as ToChuc_ThuHoi with the lot's portal id (SQLite store).</summary>
public sealed class RecallSyncTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "recall-sync-" + Guid.NewGuid().ToString("N"));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recall_reaches_the_portal_after_its_lot_within_the_same_second()
    {
        var time = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(time);
        using var store = TestStores.OpenSqlite(_directory, time);
        const string gtin = "08936004000017";
        var t = time.GetUtcNow();
        await store.Accounts.AddProducerAsync(new Producer("p1", "Sâm Lai Châu", "6200123456", "Tam Đường", "Lai Châu", null, ["8936004"], t),
            new ApiKeyRecord("k1", [1], [1], Role.Producer, "p1", null, t), Ct);
        await store.Catalog.AddProductAsync(new Product(gtin, "p1", new LocalizedText("Sâm Lai Châu"), null, null, null, null, [], "củ", t, t),
            new OutboxMessage(OutboxKind.Product, gtin, null, null, null), Ct);
        var lotKey = LotKey.Of(gtin, "SLC-2610-07");
        await store.Catalog.AddLotAsync(new Lot(gtin, "SLC-2610-07", "p1", null, null, 300, "củ", null, t),
            new OutboxMessage(OutboxKind.Lot, lotKey, OutboxKind.Product, gtin, null), Ct);
        // 23:30 UTC on the 19th is the 20th in Vietnam: the portal gets the Vietnamese date.
        var issued = new DateTimeOffset(2026, 11, 19, 23, 30, 0, TimeSpan.Zero);
        var rowKey = RecallKeys.OutboxKey("rc-1", lotKey);
        await store.Recalls.AddRecallAsync(new Recall("rc-1", gtin, ["SLC-2610-07"], "Trộn sâm ngoài vùng", "high", "admin", null, issued),
            [new OutboxMessage(OutboxKind.Recall, rowKey, OutboxKind.Lot, lotKey, null)], Ct);

        await using var sync = SyncHarness.Create(portal, store, time);
        var worker = sync.NewWorker();
        var started = time.GetUtcNow();
        for (var round = 0; round < 3; round++) await worker.RunOnceAsync(Ct); // product, lot, recall
        Assert.True(time.GetUtcNow() - started < TimeSpan.FromSeconds(1));

        var received = portal.State.Received();
        var lot = Assert.Single(received, r => r.Kind == "lot");
        var recall = Assert.Single(received, r => r.Kind == "recall");
        Assert.True(lot.Seq < recall.Seq);
        var body = JsonSerializer.SerializeToElement(recall.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(lot.Id, body.GetProperty("idLoHang").GetString());
        Assert.Equal("cao", body.GetProperty("mucDo").GetString());
        Assert.Equal("Trộn sâm ngoài vùng", body.GetProperty("lyDo").GetString());
        Assert.Equal("2026-11-20", body.GetProperty("ngayThuHoi").GetString());
        var row = await store.Outbox.GetOutboxRowAsync(OutboxKind.Recall, rowKey, Ct);
        Assert.Equal((OutboxState.Synced, recall.Id), (row!.State, row.PortalId));
        Assert.Equal(1, (await portal.StatsAsync()).Recalls);
    }

    [Theory]
    [InlineData("high", "cao")]
    [InlineData("medium", "trungBinh")]
    [InlineData("low", "thap")]
    public void Severities_map_to_the_portal_vocabulary(string ours, string portals) =>
        Assert.Equal(portals, RecallPusher.Severity(ours));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
