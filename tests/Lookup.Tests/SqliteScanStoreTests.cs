namespace Traceability.Lookup.Tests;

/// <summary>The SQLite scan log (migration 0002): what the inspector's clone checks will read.</summary>
public sealed class SqliteScanStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("scan-store-").FullName;
    private TestStores _stores = null!;
    private IScanStore _store = null!;

    public ValueTask InitializeAsync()
    {
        _stores = TestStores.OpenSqlite(_directory);
        _store = _stores.Scans;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stores.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Scans_are_read_back_by_lot_or_by_serial_since_a_time_oldest_first()
    {
        const string lot = "01/08930000000019/10/L1";
        await _store.AddScansAsync(
        [
            new ScanRecord(T0.AddMinutes(2), lot, "S1", "Hà Nội", "mobile"),
            new ScanRecord(T0, lot, null, null, "desktop"),
            new ScanRecord(T0.AddMinutes(5), lot, "S2", "Lai Châu", "bot"),
            new ScanRecord(T0.AddMinutes(1), "01/08930000000019/10/L2", "S1", null, "mobile"),
            new ScanRecord(T0.AddDays(-2), lot, "S1", null, "mobile"),
        ], TestContext.Current.CancellationToken);

        var byLot = await _store.GetScansAsync(lot, T0.AddDays(-1), TestContext.Current.CancellationToken);
        var bySerial = await _store.GetScansAsync(lot + "/21/S1", T0.AddDays(-1), TestContext.Current.CancellationToken);

        Assert.Equal([T0, T0.AddMinutes(2), T0.AddMinutes(5)], byLot.Select(s => s.Time));
        Assert.Equal(new ScanRecord(T0.AddMinutes(2), lot, "S1", "Hà Nội", "mobile"), Assert.Single(bySerial));
    }

    [Fact]
    public async Task Lots_and_serials_with_reserved_characters_are_found_by_their_escaped_keys()
    {
        var lot = LotKey.Of("08930000000019", "A/21/B");
        var serial = new ScanRecord(T0, lot, "C/D %", null, "mobile");
        await _store.AddScansAsync([new ScanRecord(T0, lot, null, null, "mobile"), serial], TestContext.Current.CancellationToken);

        Assert.Equal(2, (await _store.GetScansAsync(lot, T0, TestContext.Current.CancellationToken)).Count);
        Assert.Equal(serial, Assert.Single(await _store.GetScansAsync(serial.SerialKey!, T0, TestContext.Current.CancellationToken)));
        Assert.Empty(await _store.GetScansAsync(LotKey.Of("08930000000019", "A"), T0, TestContext.Current.CancellationToken));
        Assert.Empty(await _store.GetScansAsync("x", T0, TestContext.Current.CancellationToken));
    }
}
