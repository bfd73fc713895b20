namespace Traceability.Storage.Tests.Sqlite;

/// <summary>
/// Issue 23: a data directory made at every earlier schema version opens with this build (the
/// remaining migrations run forward, once) and its data reads back; one from a newer version is
/// refused untouched. Fixtures/make_fixtures.py made the fixtures (see its header).
/// </summary>
public sealed class SchemaUpgradeTests
{
    private const string Gtin = "08930000000019", Lot = "CAM-2025-12";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Fixtures() =>
        [.. Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "schema-*").Select(d => Path.GetFileName(d)!).Order()];

    [Fact]
    public void There_is_a_fixture_for_every_schema_before_the_current_one()
    {
        var known = SqliteBackup.KnownMigrations();
        Assert.Equal(known.SkipLast(1).Select(m => "schema-" + m[..4]), Fixtures().Select(f => f.Data));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task A_data_directory_of_an_earlier_schema_opens_and_reads_back(string fixture)
    {
        using var directory = TempDirectory.Create();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture, SqliteDatabase.DatabaseFileName),
            Path.Combine(directory.Path, SqliteDatabase.DatabaseFileName));
        var version = int.Parse(fixture["schema-".Length..], System.Globalization.CultureInfo.InvariantCulture);

        await using (var store = TestStores.OpenSqlite(directory.Path))
        {
            Assert.Equal(SqliteBackup.KnownMigrations().Where(m => int.Parse(m[..4], System.Globalization.CultureInfo.InvariantCulture) > version),
                store.Sqlite.AppliedMigrations);

            Assert.Equal("HTX Cam sành Hàm Yên", (await store.Accounts.GetProducerAsync("p-fixture", Ct))!.Name);
            Assert.Equal("Cam sành Hàm Yên", (await store.Catalog.GetProductAsync(Gtin, Ct))!.Name.Vi);
            Assert.Equal(new DateOnly(2026, 2, 28), (await store.Catalog.GetLotAsync(Gtin, Lot, Ct))!.ExpiryDate);
            var events = await store.Events.GetEventsForLotAsync(LotKey.Of(Gtin, Lot), Ct);
            Assert.Equal(["commissioning", "packing", "shipping"], events.OrderBy(e => e.EventTime).Select(e => e.BizStep));
            Assert.Equal(2, (await store.Outbox.GetStatusAsync(DateTimeOffset.UtcNow, Ct)).Synced);
            if (version >= 2) Assert.Single(await store.Scans.GetScansAsync(LotKey.Of(Gtin, Lot), DateTimeOffset.UnixEpoch, Ct));
            if (version >= 3)
            {
                Assert.Equal("Nhiễm nấm mốc", Assert.Single(await store.Recalls.GetActiveRecallsForLotAsync(Gtin, Lot, Ct)).Reason);
                Assert.NotNull(await store.Get<ISerialStore>().GetSerialAsync(Gtin, Lot, "S1", Ct));
            }
            if (version >= 4) Assert.Equal("Cam bị dập", (await store.Get<IReportStore>().GetReportAsync("rep-fixture", Ct))!.Message);
            // 0010 (stateless hosts): the shared tables start empty and work.
            Assert.Empty(await store.Get<IKeyRingStore>().ListKeyRingAsync(Ct));
            Assert.Equal(0, await store.ChangeFeed.LatestChangeAsync(Ct));
            await store.ChangeFeed.AppendChangesAsync([LotKey.Of(Gtin, Lot)], "upgrade", DateTimeOffset.UtcNow, Ct);
            Assert.Equal(1, await store.ChangeFeed.LatestChangeAsync(Ct));
        }

        // Reopened: nothing runs twice.
        await using var again = TestStores.OpenSqlite(directory.Path);
        Assert.Empty(again.Sqlite.AppliedMigrations);
    }

    [Fact]
    public async Task A_data_directory_from_a_newer_version_is_refused_with_a_clear_message_and_left_as_it_was()
    {
        using var directory = TempDirectory.Create();
        await using (var store = TestStores.OpenSqlite(directory.Path))
            Assert.NotEmpty(store.Sqlite.AppliedMigrations);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory.Path, SqliteDatabase.DatabaseFileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations VALUES ('9001_from_the_future', 0);";
            command.ExecuteNonQuery();
        }

        var refused = Assert.Throws<StoreUnavailableException>(() => TestStores.OpenSqlite(directory.Path));
        Assert.Contains("newer version of Traceability (schema 9001_from_the_future", refused.Message);
        Assert.Contains("the data was not changed", refused.Message);
        Assert.Equal(["9001_from_the_future"], SqliteBackup.Describe(Path.Combine(directory.Path, SqliteDatabase.DatabaseFileName)).Migrations
            .Except(SqliteBackup.KnownMigrations()));
    }
}
