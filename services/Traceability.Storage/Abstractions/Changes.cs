namespace Traceability.Storage;

/// <summary>
/// Told after a write that public projections show: a product (<c>01/{gtin14}</c>) or a lot
/// (<see cref="LotKey"/>) and its events. The lookup service clears its cache; writers need not
/// know who listens. In-process only: across processes the lookup cache's short lifetime bounds staleness.
/// </summary>
public interface IChangeNotifier
{
    void Changed(string key);
}
