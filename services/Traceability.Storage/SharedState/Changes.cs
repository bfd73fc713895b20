namespace Traceability.Storage;

/// <summary>
/// Told after a write that public projections show: a product (<c>01/{gtin14}</c>) or a lot
/// (<see cref="LotKey"/>) and its events. The lookup service clears its cache; writers need not
/// know who listens. The lookup evicts its own cache at once and writes the key to the store's change
/// feed, which every other host over the store polls (Lookup.Api ChangeFeedService).
/// </summary>
public interface IChangeNotifier
{
    void Changed(string key);
}

/// <summary>
/// Told of every change key, this host's own (as an <see cref="IChangeNotifier"/> is) and every other
/// host's as the store's change feed brings them (Lookup.Api ChangeFeedService): for in-memory caches
/// of catalogue facts other than the lookup cache (the early-warning engine's lots and products).
/// </summary>
public interface IChangeListener
{
    void Changed(string key);
}
