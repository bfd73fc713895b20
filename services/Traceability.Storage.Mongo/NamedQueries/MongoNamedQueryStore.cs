namespace Traceability.Storage.Mongo;

public sealed class MongoNamedQueryStore(MongoDatabaseContext db) : INamedQueryStore, IMongoIndexedStore
{
    public Task EnsureIndexesAsync(CancellationToken ct) => NamedQueries.Indexes.CreateManyAsync(NamedQueryIndexes, ct);

    public static readonly IReadOnlyList<CreateIndexModel<NamedQueryDoc>> NamedQueryIndexes =
    [
        new(Builders<NamedQueryDoc>.IndexKeys.Ascending(x => x.Owner).Ascending(x => x.Name), new() { Name = "owner_name" }),
    ];

    private IMongoCollection<NamedQueryDoc> NamedQueries => db.Collection<NamedQueryDoc>(Collections.NamedQueries);

    public async Task<bool> AddNamedQueryAsync(NamedQuery query, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-named-query");
        try
        {
            await NamedQueries.InsertOneAsync(NamedQueryDoc.From(query), cancellationToken: ct);
            return true;
        }
        catch (Exception e) when (IsDuplicateKey(e))
        {
            return false;
        }
    }

    public async Task<NamedQuery?> GetNamedQueryAsync(string owner, string name, CancellationToken ct = default) =>
        (await NamedQueries.Find(x => x.Id == NamedQueryDoc.IdOf(owner, name)).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<NamedQuery>> ListNamedQueriesAsync(string owner, CancellationToken ct = default) =>
        [.. (await NamedQueries.Find(x => x.Owner == owner).SortBy(x => x.Name).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task<bool> DeleteNamedQueryAsync(string owner, string name, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("delete-named-query");
        return (await NamedQueries.DeleteOneAsync(x => x.Id == NamedQueryDoc.IdOf(owner, name), ct)).DeletedCount == 1;
    }
}
