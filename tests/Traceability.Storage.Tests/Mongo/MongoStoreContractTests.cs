using Traceability.Storage.Tests.Contract;

namespace Traceability.Storage.Tests.Mongo;

/// <summary>
/// The contract suite on the MongoDB feature stores, one fresh database per test. Runs only when TRACE_MONGO_URL
/// names a replica set; otherwise every case reports itself skipped with the reason.
/// </summary>
public sealed class MongoStoreContractTests : StoreContractTests
{
    protected override string? SkipReason => MongoServer.SkipReason;

    protected override async Task<TraceStoreHandle> CreateStoreAsync()
    {
        var (store, _, drop) = await MongoServer.CreateStoreAsync(Clock, Ct);
        return new TraceStoreHandle(store, drop);
    }

    /// <summary>
    /// MongoDB has no foreign keys, so an unknown producer is accepted. What it does refuse while
    /// writing is a document over its 16 MB limit: the batch fails there, after earlier events
    /// were sent inside the capture's transaction.
    /// </summary>
    protected override StoredEvent RejectedEvent(StoredEvent valid) =>
        valid with { Json = new string('x', 17 * 1024 * 1024) };
}
