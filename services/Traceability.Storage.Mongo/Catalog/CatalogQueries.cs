namespace Traceability.Storage.Mongo.Queries;

public static class CatalogQueries
{
    public static FilterDefinition<ProductDoc> ProductsOf(string producerId) =>
        Builders<ProductDoc>.Filter.Eq(x => x.ProducerId, producerId);

    public static SortDefinition<ProductDoc> ProductOrder { get; } =
        Builders<ProductDoc>.Sort.Ascending(x => x.CreatedAt.Ticks).Ascending(x => x.Id);

    public static FilterDefinition<LocationDoc> Location(string producerId, string code) =>
        Builders<LocationDoc>.Filter.Eq(x => x.ProducerId, producerId) & Builders<LocationDoc>.Filter.Eq(x => x.Code, code);

    public static FilterDefinition<LocationDoc> LocationsOf(string producerId) =>
        Builders<LocationDoc>.Filter.Eq(x => x.ProducerId, producerId);

    public static SortDefinition<LocationDoc> LocationOrder { get; } = Builders<LocationDoc>.Sort.Ascending(x => x.Code);

    /// <summary>
    /// A location named in events: its GLN (bare, or inside a `414/{gln}` Digital Link path or an
    /// sgln-free URI ending in it), or a producer's location code.
    /// </summary>
    public static FilterDefinition<LocationDoc> FindLocation(string identifier)
    {
        var glns = new List<string> { identifier };
        var at = identifier.LastIndexOf("414/", StringComparison.Ordinal);
        if (at >= 0 && identifier.Length >= at + 4 + 13) glns.Add(identifier.Substring(at + 4, 13));
        return Builders<LocationDoc>.Filter.In(x => x.Gln, glns) | Builders<LocationDoc>.Filter.Eq(x => x.Code, identifier);
    }

    public static FilterDefinition<LotDoc> LotsOf(string producerId) => Builders<LotDoc>.Filter.Eq(x => x.ProducerId, producerId);

    /// <summary>Newest first: ListLotsAsync returns the latest `max` lots.</summary>
    public static SortDefinition<LotDoc> LotOrder { get; } =
        Builders<LotDoc>.Sort.Descending(x => x.CreatedAt.Ticks).Descending(x => x.Id);

    public static FilterDefinition<ApiKeyDoc> ActiveKey(string keyId) =>
        Builders<ApiKeyDoc>.Filter.Eq(x => x.Id, keyId) & Builders<ApiKeyDoc>.Filter.Eq(x => x.RevokedAt, null);

    public static SortDefinition<ProducerDoc> ProducerOrder { get; } =
        Builders<ProducerDoc>.Sort.Ascending(x => x.CreatedAt.Ticks).Ascending(x => x.Id);

    /// <summary>
    /// A changed product: its fields, and its outbox row back to Pending so the change reaches the
    /// portal (the portal id is kept: the worker needs it to update rather than create).
    /// </summary>
    public static UpdateDefinition<ProductDoc> ProductUpdate(Product p, OutboxMessage announce, DateTimeOffset now) => Builders<ProductDoc>.Update
        .Set(x => x.Name, LocalizedTextDoc.From(p.Name)!)
        .Set(x => x.Brand, p.Brand)
        .Set(x => x.ImageUrl, p.ImageUrl)
        .Set(x => x.Category, p.Category)
        .Set(x => x.Description, LocalizedTextDoc.From(p.Description))
        .Set(x => x.Standards, [.. p.Standards])
        .Set(x => x.Certificates, CertificateDoc.From(p.Certificates))
        .Set(x => x.Unit, p.Unit)
        .Set(x => x.UpdatedAt, TimeDoc.From(p.UpdatedAt))
        .Set(OutboxFields.State, nameof(OutboxState.Pending))
        .Set(OutboxFields.Attempts, 0)
        .Set(OutboxFields.CreatedAt, TimeDoc.From(now))
        .Set(OutboxFields.NextAttemptAt, TimeDoc.From(now))
        .Set(OutboxFields.LeaseUntil, (TimeDoc?)null)
        .Set(OutboxFields.LeaseOwner, (string?)null)
        .Set(OutboxFields.LastError, (string?)null)
        .Set(OutboxFields.TraceParent, announce.TraceParent)
        .Set(OutboxFields.DependsOnKind, announce.DependsOnKind?.ToString())
        .Set(OutboxFields.DependsOnKey, announce.DependsOnKey);
}
