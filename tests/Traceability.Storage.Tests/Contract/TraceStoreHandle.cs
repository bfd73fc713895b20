namespace Traceability.Storage.Tests.Contract;

/// <summary>A store under test, seen through the feature interfaces, plus how to dispose of it.</summary>
public sealed class TraceStoreHandle(
    IAccountStore accounts, ICatalogStore catalog, IEventStore events, IOutboxStore outbox, Func<ValueTask> dispose)
    : IAsyncDisposable
{
    public IAccountStore Accounts { get; } = accounts;
    public ICatalogStore Catalog { get; } = catalog;
    public IEventStore Events { get; } = events;
    public IOutboxStore Outbox { get; } = outbox;

    /// <summary>For a provider class that implements every store interface (as each provider does).</summary>
    public static TraceStoreHandle For<TStore>(TStore store, Func<ValueTask> dispose)
        where TStore : IAccountStore, ICatalogStore, IEventStore, IOutboxStore =>
        new(store, store, store, store, dispose);

    public ValueTask DisposeAsync() => dispose();
}
