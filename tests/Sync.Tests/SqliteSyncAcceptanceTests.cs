namespace Traceability.Sync.Tests;

/// <summary>Issue 4's acceptance on the embedded SQLite store (a fresh database file per test).</summary>
public sealed class SqliteSyncAcceptanceTests : SyncAcceptanceTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sync-tests-" + Guid.NewGuid().ToString("N"));
    private readonly List<TestStores> _stores = [];

    protected override TestStores CreateStore(TimeProvider time)
    {
        var store = TestStores.OpenSqlite(Path.Combine(_directory, _stores.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), time);
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
            store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS: the temp folder is cleaned eventually.
        }
    }
}
