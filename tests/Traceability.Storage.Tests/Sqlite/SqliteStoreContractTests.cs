using Traceability.Storage.Sqlite;
using Traceability.Storage.Tests.Contract;

namespace Traceability.Storage.Tests.Sqlite;

/// <summary>The contract suite on the embedded store, one temporary directory per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override Task<TraceStoreHandle> CreateStoreAsync()
    {
        var directory = TempDirectory.Create();
        var store = new SqliteTraceStore(new StorageOptions { DataDirectory = directory.Path }, Clock);
        return Task.FromResult(TraceStoreHandle.For(store, async () =>
        {
            await store.DisposeAsync();
            directory.Dispose();
        }));
    }
}
