using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Traceability.Storage.Tests.Sqlite;

/// <summary>What only the embedded store has: the file, its pragmas, migrations, several processes.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = TempDirectory.Create();
    private readonly FakeTimeProvider _clock = new(T0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestStores Open() => TestStores.OpenSqlite(_directory.Path, _clock);

    private static SqliteConnection Connect(TestStores store)
    {
        var connection = new SqliteConnection($"Data Source={store.Sqlite.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void The_database_is_a_file_in_wal_mode_under_the_data_directory()
    {
        using var store = Open();
        using var connection = Connect(store);

        Assert.Equal(Path.Combine(_directory.Path, "traceability.db"), store.Sqlite.DatabasePath);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_gives_a_clear_error_naming_it()
    {
        // Under a regular file, no directory can be created, even by root (whom chmod does not stop).
        var file = Path.Combine(_directory.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        var wanted = Path.Combine(file, "data");

        var error = Assert.Throws<StoreUnavailableException>(() =>
            TestStores.OpenSqlite(wanted));

        Assert.Contains(wanted, error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:DataDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopening_an_existing_file_applies_no_migration_twice_and_keeps_the_data()
    {
        var all = SqliteMigrations.Load().Select(m => m.Name).ToList();
        using (var first = Open())
        {
            Assert.Equal(all, first.Sqlite.AppliedMigrations);
            await first.Accounts.AddApiKeyAsync(new ApiKeyRecord("admin", [1], [2], Role.Admin, null, null, T0), Ct);
        }

        using var second = Open();

        Assert.Empty(second.Sqlite.AppliedMigrations);
        Assert.NotNull(await second.Accounts.GetApiKeyAsync("admin", Ct));
        using var connection = Connect(second);
        Assert.Equal((long)all.Count, Scalar(connection, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(long.Parse(all[^1][..4], System.Globalization.CultureInfo.InvariantCulture),
            Scalar(connection, "PRAGMA user_version"));
    }

    [Fact]
    public void Migrations_are_embedded_and_numbered_in_order()
    {
        var names = SqliteMigrations.Load().Select(m => m.Name).ToList();

        Assert.Equal("0001_initial", names[0]);
        Assert.All(names, n => Assert.Matches(@"^\d{4}_[a-z0-9_]+$", n));
        Assert.Equal(names.Count, names.Select(n => n[..4]).Distinct().Count());
    }

    [Fact]
    public async Task Two_stores_on_one_file_like_two_processes_never_lease_the_same_row()
    {
        using var a = Open();
        using var b = Open();
        await a.Accounts.AddProducerAsync(new Producer("p1", "n", "0100000001", "a", "p", null, [], T0),
            new ApiKeyRecord("k", [1], [2], Role.Producer, "p1", null, T0), Ct);
        var events = Enumerable.Range(0, 100).Select(i => new StoredEvent($"e{i}", "p1", "ObjectEvent", T0, T0,
            "OBSERVE", "shipping", null, null, null, "{}", [], null)).ToList();
        await a.Events.CaptureAsync(new CaptureJob("c", "p1", false, true, T0, T0, [], 0, 0), events,
            events.Select(e => new OutboxMessage(OutboxKind.Event, e.EventId, null, null, null)).ToList(), Ct);

        var claimed = new List<string>();
        for (var round = 0; round < 50 && claimed.Count < 100; round++)
        {
            var results = await Task.WhenAll(
                Task.Run(() => a.Outbox.LeaseAsync("a", 3, T0, TimeSpan.FromMinutes(1), Ct), Ct),
                Task.Run(() => b.Outbox.LeaseAsync("b", 3, T0, TimeSpan.FromMinutes(1), Ct), Ct));
            claimed.AddRange(results.SelectMany(r => r).Select(r => r.Key));
        }

        Assert.Equal(100, claimed.Count);
        Assert.Equal(100, claimed.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_captures_share_transactions_but_one_that_fails_takes_no_other_with_it()
    {
        using var store = Open();
        await store.Accounts.AddProducerAsync(new Producer("p1", "n", "0100000001", "a", "p", null, [], T0),
            new ApiKeyRecord("k", [1], [2], Role.Producer, "p1", null, T0), Ct);
        // In every third capture the last event names a producer that does not exist: its foreign key
        // fails after the capture's other rows, and other captures of the batch, were written.
        var captures = Enumerable.Range(0, 30).Select(c => Task.Run(async () =>
        {
            var events = Enumerable.Range(0, 50).Select(i => new StoredEvent($"c{c}-e{i}",
                c % 3 == 0 && i == 49 ? "nobody" : "p1", "ObjectEvent", T0, T0,
                "OBSERVE", "shipping", null, null, null, "{}", [new EventKey($"lot-{c}", EventKeyRole.Lot)], $"c{c}")).ToList();
            try
            {
                await store.Events.CaptureAsync(new CaptureJob($"c{c}", "p1", false, true, T0, T0, [], 0, 0), events,
                    events.Select(e => new OutboxMessage(OutboxKind.Event, e.EventId, null, null, null)).ToList(), Ct);
                return true;
            }
            catch (SqliteException)
            {
                return false;
            }
        }, Ct)).ToList();
        var succeeded = await Task.WhenAll(captures);

        using var connection = Connect(store);
        for (var c = 0; c < 30; c++)
        {
            Assert.Equal(c % 3 != 0, succeeded[c]);
            var expected = succeeded[c] ? 50L : 0L;
            Assert.Equal(expected, Scalar(connection, $"SELECT COUNT(*) FROM events WHERE capture_id = 'c{c}'"));
            Assert.Equal(expected, Scalar(connection, $"SELECT COUNT(*) FROM event_keys WHERE value = 'lot-{c}'"));
            Assert.Equal(expected, Scalar(connection, $"SELECT COUNT(*) FROM outbox WHERE key LIKE 'c{c}-e%'"));
            Assert.Equal(succeeded[c] ? 1L : 0L, Scalar(connection, $"SELECT COUNT(*) FROM capture_jobs WHERE capture_id = 'c{c}'"));
        }
    }

    [Fact]
    public async Task AddSqliteTraceStore_registers_one_store_per_feature_over_one_database_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _directory.Path })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(_clock)
            .AddSqliteTraceStore();
        await using var provider = services.BuildServiceProvider();

        var database = provider.GetRequiredService<SqliteDatabase>();

        Assert.Equal(_directory.Path, database.DataDirectory);
        Assert.Same(_clock, database.Time);
        // Every store interface resolves, each to the one singleton of its feature's class.
        Assert.All(TestStores.StoreInterfaces, i => Assert.Same(provider.GetRequiredService(i), provider.GetRequiredService(i)));
        Assert.IsType<SqliteAccountStore>(provider.GetRequiredService<IAccountStore>());
        Assert.Same(provider.GetRequiredService<IAccountStore>(), provider.GetRequiredService<IProducerProfileStore>());
        Assert.IsType<SqliteCatalogStore>(provider.GetRequiredService<ICatalogStore>());
        Assert.IsType<SqliteEventStore>(provider.GetRequiredService<IEventStore>());
        Assert.IsType<SqliteOutboxStore>(provider.GetRequiredService<IOutboxStore>());
        Assert.Same(provider.GetRequiredService<IRecallStore>(), provider.GetRequiredService<ISerialStore>());
        Assert.NotSame(provider.GetRequiredService<ICatalogStore>(), provider.GetRequiredService<IEventStore>());
    }

    public void Dispose() => _directory.Dispose();
}
