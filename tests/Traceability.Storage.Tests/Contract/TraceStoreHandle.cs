namespace Traceability.Storage.Tests.Contract;

/// <summary>
/// A provider's feature stores under test (one class per feature, resolved from the provider's DI
/// registration), plus how to dispose of them.
/// </summary>
public sealed class TraceStoreHandle(TestStores stores, Func<ValueTask> dispose) : IAsyncDisposable
{
    public IAccountStore Accounts => stores.Accounts;
    public ICatalogStore Catalog => stores.Catalog;
    public IEventStore Events => stores.Events;
    public IOutboxStore Outbox => stores.Outbox;

    /// <summary>Any other feature's store (IRecallStore, IStaffStore, …).</summary>
    public T Get<T>() where T : class => stores.Get<T>();

    public async ValueTask DisposeAsync()
    {
        await stores.DisposeAsync();
        await dispose();
    }
}
