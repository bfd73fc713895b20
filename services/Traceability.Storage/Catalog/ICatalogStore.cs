namespace Traceability.Storage;

public interface ICatalogStore
{
    /// <exception cref="DuplicateKeyException">the GTIN is already registered.</exception>
    Task AddProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default);
    Task UpdateProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default);
    Task<Product?> GetProductAsync(string gtin14, CancellationToken ct = default);
    Task<IReadOnlyList<Product>> ListProductsAsync(string producerId, CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the producer already has a location with that code.</exception>
    Task AddLocationAsync(Location location, CancellationToken ct = default);
    Task<Location?> GetLocationAsync(string producerId, string code, CancellationToken ct = default);
    /// <summary>Finds a location by its GLN or by an identifier a producer used in events.</summary>
    Task<Location?> FindLocationAsync(string identifier, CancellationToken ct = default);
    Task<IReadOnlyList<Location>> ListLocationsAsync(string producerId, CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the lot already exists for that GTIN.</exception>
    Task AddLotAsync(Lot lot, OutboxMessage announce, CancellationToken ct = default);
    Task<Lot?> GetLotAsync(string gtin14, string lot, CancellationToken ct = default);
    Task<IReadOnlyList<Lot>> ListLotsAsync(string producerId, int max = 500, CancellationToken ct = default);
}
