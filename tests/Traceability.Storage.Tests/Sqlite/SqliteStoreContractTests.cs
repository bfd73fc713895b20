using Traceability.Storage.Tests.Contract;

namespace Traceability.Storage.Tests.Sqlite;

/// <summary>The contract suite on the embedded store's feature stores, one temporary directory per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override Task<TraceStoreHandle> CreateStoreAsync()
    {
        var directory = TempDirectory.Create();
        var stores = TestStores.OpenSqlite(directory.Path, Clock);
        return Task.FromResult(new TraceStoreHandle(stores, () =>
        {
            directory.Dispose();
            return ValueTask.CompletedTask;
        }));
    }
}
