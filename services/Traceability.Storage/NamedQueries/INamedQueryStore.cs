namespace Traceability.Storage;

/// <summary>
/// An EPCIS 2.0 named query (REST binding <c>/queries</c>): a name and its query as the client sent it
/// (a JSON object of query parameters), in its owner's namespace — a producer's id, or
/// <see cref="StaffOwner"/> for the authority — so one producer's names never show to another.
/// </summary>
public sealed record NamedQuery(string Owner, string Name, string Definition, DateTimeOffset CreatedAt)
{
    public const string StaffOwner = "staff";
}

public interface INamedQueryStore
{
    /// <summary>False when the owner already has a query of that name.</summary>
    Task<bool> AddNamedQueryAsync(NamedQuery query, CancellationToken ct = default);

    Task<NamedQuery?> GetNamedQueryAsync(string owner, string name, CancellationToken ct = default);

    /// <summary>The owner's queries by name.</summary>
    Task<IReadOnlyList<NamedQuery>> ListNamedQueriesAsync(string owner, CancellationToken ct = default);

    /// <summary>False when there was none.</summary>
    Task<bool> DeleteNamedQueryAsync(string owner, string name, CancellationToken ct = default);
}
