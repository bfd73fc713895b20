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
