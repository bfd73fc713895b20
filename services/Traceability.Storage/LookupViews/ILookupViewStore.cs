namespace Traceability.Storage;

/// <summary>
/// One stored lookup projection (the lookup read model, issue 22): the public provenance JSON of a
/// lot (<see cref="LotKey"/>, <paramref name="Lot"/> set) or a product (<c>01/{gtin14}</c>, Lot null),
/// as the projection code of <paramref name="Version"/> built it. <paramref name="ValidUntil"/>: the
/// first instant its time-dependent content (expiry) would read differently; past it the row is a miss.
/// <paramref name="BuiltAt"/>: the change feed's newest sequence read before the build started.
/// </summary>
public sealed record LookupView(string Key, string Gtin, string? Lot, int Version, string Json, DateTimeOffset? ValidUntil, long BuiltAt);

public sealed record LookupLot(string Gtin, string Lot);

/// <summary>A page of lots; <paramref name="Next"/> continues after it (null: the end).</summary>
public sealed record LookupLotPage(IReadOnlyList<LookupLot> Lots, string? Next);

/// <summary>
/// The lookup read model's storage. Appending to the change feed (<see cref="IChangeFeedStore.AppendChangesAsync"/>)
/// also deletes the views its keys name, in the same write: a lot key its row, <c>01/{gtin14}</c> the product's
/// row and every lot row of the GTIN, <see cref="ChangeKeys.All"/> every row.
/// </summary>
public interface ILookupViewStore
{
    Task<LookupView?> GetLookupViewAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Stores (or replaces) each view unless the change feed holds a change naming its key, its product key
    /// or <see cref="ChangeKeys.All"/> with a sequence above its <see cref="LookupView.BuiltAt"/>: such a view
    /// was read before that write and would be stale. A stored view built at a later sequence is kept.
    /// Returns how many were stored.
    /// </summary>
    Task<int> PutLookupViewsAsync(IReadOnlyList<LookupView> views, CancellationToken ct = default);

    /// <summary>Deletes the views these change keys name (as appending them to the change feed does).</summary>
    Task DeleteLookupViewsAsync(IReadOnlyList<string> changeKeys, CancellationToken ct = default);

    /// <summary>Deletes the views of any other version (a new projection code at start); returns how many.</summary>
    Task<long> DeleteLookupViewsExceptAsync(int version, CancellationToken ct = default);

    /// <summary>
    /// Registered lots in a stable order, <paramref name="max"/> at most, after <paramref name="after"/> (a
    /// <see cref="LookupLotPage.Next"/>, null to start). With <paramref name="missingVersion"/>, only lots without
    /// a view of that version valid at <paramref name="now"/> (a page may then hold fewer than max and still go on).
    /// </summary>
    Task<LookupLotPage> ListLotsForLookupAsync(string? after, int max, int? missingVersion, DateTimeOffset now, CancellationToken ct = default);
}
