namespace Traceability.Storage.Mongo;

// Products and lots carry their outbox row inside the document: one insert is atomic on its own.
// The row is keyed by the entity (GTIN, lot key); the message gives its trace context and parent.
public sealed class MongoCatalogStore(MongoDatabaseContext db) : ICatalogStore, IMongoIndexedStore
{
    public async Task EnsureIndexesAsync(CancellationToken ct)
    {
        await db.Products.Indexes.CreateManyAsync(Indexes.Products, ct);
        await db.Locations.Indexes.CreateManyAsync(Indexes.Locations, ct);
        await db.Lots.Indexes.CreateManyAsync(Indexes.Lots, ct);
    }

    public async Task AddProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-product");
        try
        {
            await db.Products.InsertOneAsync(ProductDoc.From(product, OutboxDoc.Pending(announce, db.Time.GetUtcNow())), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"The GTIN {product.Gtin} is already registered.");
        }
    }

    /// <exception cref="KeyNotFoundException">no product has that GTIN.</exception>
    public async Task UpdateProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("update-product");
        var result = await db.Products.UpdateOneAsync(Builders<ProductDoc>.Filter.Eq(x => x.Id, product.Gtin),
            CatalogQueries.ProductUpdate(product, announce, db.Time.GetUtcNow()), cancellationToken: ct);
        if (result.MatchedCount == 0) throw new KeyNotFoundException($"No product has the GTIN {product.Gtin}.");
    }

    public async Task<Product?> GetProductAsync(string gtin14, CancellationToken ct = default) =>
        (await db.Products.Find(x => x.Id == gtin14).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<Product>> ListProductsAsync(string producerId, CancellationToken ct = default) =>
        [.. (await db.Products.Find(CatalogQueries.ProductsOf(producerId)).Sort(CatalogQueries.ProductOrder).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task AddLocationAsync(Location location, CancellationToken ct = default)
    {
        try
        {
            await db.Locations.InsertOneAsync(LocationDoc.From(location), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"The producer already has a location with the code '{location.Code}'.");
        }
    }

    public async Task<Location?> GetLocationAsync(string producerId, string code, CancellationToken ct = default) =>
        (await db.Locations.Find(CatalogQueries.Location(producerId, code)).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<Location?> FindLocationAsync(string identifier, CancellationToken ct = default) =>
        (await db.PublicLocations.Find(CatalogQueries.FindLocation(identifier)).Sort(CatalogQueries.LocationOrder).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<Location>> ListLocationsAsync(string producerId, CancellationToken ct = default) =>
        [.. (await db.Locations.Find(CatalogQueries.LocationsOf(producerId)).Sort(CatalogQueries.LocationOrder).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task AddLotAsync(Lot lot, OutboxMessage announce, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-lot");
        try
        {
            await db.Lots.InsertOneAsync(LotDoc.From(lot, OutboxDoc.Pending(announce, db.Time.GetUtcNow())), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"The lot '{lot.LotNumber}' already exists for the GTIN {lot.Gtin}.");
        }
    }

    public async Task<Lot?> GetLotAsync(string gtin14, string lot, CancellationToken ct = default)
    {
        var key = LotKey.Of(gtin14, lot);
        return (await db.Lots.Find(x => x.Id == key).FirstOrDefaultAsync(ct))?.ToRecord();
    }

    public async Task<IReadOnlyList<Lot>> ListLotsAsync(string producerId, int max = 500, CancellationToken ct = default) =>
        [.. (await db.Lots.Find(CatalogQueries.LotsOf(producerId)).Sort(CatalogQueries.LotOrder).Limit(Math.Max(1, max)).ToListAsync(ct)).Select(d => d.ToRecord())];
}
