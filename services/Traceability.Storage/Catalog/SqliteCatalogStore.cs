using Traceability.Domain.Gs1;

namespace Traceability.Storage.Sqlite;

public sealed class SqliteCatalogStore(SqliteDatabase db) : ICatalogStore
{
    private const string ProductColumns =
        "gtin AS Gtin, producer_id AS ProducerId, name_vi AS NameVi, name_en AS NameEn, brand AS Brand, " +
        "image_url AS ImageUrl, category AS Category, description_vi AS DescriptionVi, description_en AS DescriptionEn, " +
        "standards AS Standards, unit AS Unit, created_at AS CreatedAt, updated_at AS UpdatedAt, certificates AS Certificates";

    private const string LocationColumns =
        "producer_id AS ProducerId, code AS Code, name AS Name, kind AS Kind, address AS Address, province AS Province, " +
        "latitude AS Latitude, longitude AS Longitude, gln AS Gln, created_at AS CreatedAt";

    private const string LotColumns =
        "gtin AS Gtin, lot AS LotNumber, producer_id AS ProducerId, production_date AS ProductionDate, " +
        "expiry_date AS ExpiryDate, quantity AS Quantity, uom AS Uom, origin_location AS OriginLocation, created_at AS CreatedAt";

    public Task AddProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO products (gtin, producer_id, name_vi, name_en, brand, image_url, category,
                                          description_vi, description_en, standards, unit, created_at, updated_at, certificates)
                    VALUES (@Gtin, @ProducerId, @NameVi, @NameEn, @Brand, @ImageUrl, @Category,
                            @DescriptionVi, @DescriptionEn, @Standards, @Unit, @CreatedAt, @UpdatedAt, @Certificates)
                    """,
                    ProductParameters(product));
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"The GTIN {product.Gtin} is already registered.");
            }
            catch (SqliteException ex) when (ex.IsForeignKeyViolation())
            {
                throw new InvalidOperationException($"The producer '{product.ProducerId}' does not exist.", ex);
            }
            SqliteSharedWrites.UpsertOutbox(connection, announce, db.Time.GetUtcNow());
        }, ct);

    public Task UpdateProductAsync(Product product, OutboxMessage announce, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            var changed = connection.Execute(
                """
                UPDATE products SET producer_id = @ProducerId, name_vi = @NameVi, name_en = @NameEn, brand = @Brand,
                       image_url = @ImageUrl, category = @Category, description_vi = @DescriptionVi,
                       description_en = @DescriptionEn, standards = @Standards, unit = @Unit, updated_at = @UpdatedAt,
                       certificates = @Certificates
                WHERE gtin = @Gtin
                """,
                ProductParameters(product));
            if (changed == 0)
            {
                throw new KeyNotFoundException($"The GTIN {product.Gtin} is not registered.");
            }
            // Re-arms the product's existing outbox row so the new version reaches the portal.
            SqliteSharedWrites.UpsertOutbox(connection, announce, db.Time.GetUtcNow());
        }, ct);

    public async Task<Product?> GetProductAsync(string gtin14, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(new CommandDefinition(
            $"SELECT {ProductColumns} FROM products WHERE gtin = @gtin14", new { gtin14 }, cancellationToken: ct))
            .ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<Product>> ListProductsAsync(string producerId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<ProductRow>(new CommandDefinition(
            $"SELECT {ProductColumns} FROM products WHERE producer_id = @producerId ORDER BY gtin",
            new { producerId }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task AddLocationAsync(Location location, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO locations (producer_id, code, name, kind, address, province, latitude, longitude, gln, created_at)
                    VALUES (@ProducerId, @Code, @Name, @Kind, @Address, @Province, @Latitude, @Longitude, @Gln, @CreatedAt)
                    """,
                    new
                    {
                        location.ProducerId, location.Code, location.Name, location.Kind, location.Address, location.Province,
                        location.Latitude, location.Longitude, location.Gln, CreatedAt = Ms(location.CreatedAt),
                    });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"The producer already has a location with code '{location.Code}'.");
            }
            catch (SqliteException ex) when (ex.IsForeignKeyViolation())
            {
                throw new InvalidOperationException($"The producer '{location.ProducerId}' does not exist.", ex);
            }
        }, ct);

    public async Task<Location?> GetLocationAsync(string producerId, string code, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<LocationRow>(new CommandDefinition(
            $"SELECT {LocationColumns} FROM locations WHERE producer_id = @producerId AND code = @code",
            new { producerId, code }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<Location?> FindLocationAsync(string identifier, CancellationToken ct = default)
    {
        if (GlnOf(identifier) is not { } gln)
        {
            return null;
        }
        using var connection = db.OpenReader();
        var row = await connection.QueryFirstOrDefaultAsync<LocationRow>(new CommandDefinition(
            $"SELECT {LocationColumns} FROM locations WHERE gln = @gln ORDER BY created_at LIMIT 1",
            new { gln }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<Location>> ListLocationsAsync(string producerId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<LocationRow>(new CommandDefinition(
            $"SELECT {LocationColumns} FROM locations WHERE producer_id = @producerId ORDER BY code",
            new { producerId }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task AddLotAsync(Lot lot, OutboxMessage announce, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO lots (gtin, lot, producer_id, production_date, expiry_date, quantity, uom, origin_location, created_at)
                    VALUES (@Gtin, @LotNumber, @ProducerId, @ProductionDate, @ExpiryDate, @Quantity, @Uom, @OriginLocation, @CreatedAt)
                    """,
                    new
                    {
                        lot.Gtin, lot.LotNumber, lot.ProducerId,
                        ProductionDate = lot.ProductionDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ExpiryDate = lot.ExpiryDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        Quantity = lot.Quantity?.ToString(CultureInfo.InvariantCulture),
                        lot.Uom, lot.OriginLocation, CreatedAt = Ms(lot.CreatedAt),
                    });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"The lot '{lot.LotNumber}' of GTIN {lot.Gtin} already exists.");
            }
            catch (SqliteException ex) when (ex.IsForeignKeyViolation())
            {
                throw new InvalidOperationException($"The product {lot.Gtin} or producer '{lot.ProducerId}' does not exist.", ex);
            }
            SqliteSharedWrites.UpsertOutbox(connection, announce, db.Time.GetUtcNow());
        }, ct);

    public async Task<Lot?> GetLotAsync(string gtin14, string lot, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<LotRow>(new CommandDefinition(
            $"SELECT {LotColumns} FROM lots WHERE gtin = @gtin14 AND lot = @lot", new { gtin14, lot }, cancellationToken: ct))
            .ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<Lot>> ListLotsAsync(string producerId, int max = 500, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<LotRow>(new CommandDefinition(
            $"SELECT {LotColumns} FROM lots WHERE producer_id = @producerId ORDER BY created_at DESC, gtin, lot LIMIT @max",
            new { producerId, max }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    private static object ProductParameters(Product product) => new
    {
        product.Gtin, product.ProducerId, NameVi = product.Name.Vi, NameEn = product.Name.En, product.Brand,
        product.ImageUrl, product.Category, DescriptionVi = product.Description?.Vi, DescriptionEn = product.Description?.En,
        Standards = JsonSerializer.Serialize(product.Standards), product.Unit,
        CreatedAt = Ms(product.CreatedAt), UpdatedAt = Ms(product.UpdatedAt),
        Certificates = JsonSerializer.Serialize(product.Certificates, CertificateJson),
    };

    // camelCase like the MongoDB documents and the API: the column is readable with SQLite's JSON functions.
    private static readonly JsonSerializerOptions CertificateJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The GLN in a bare 13-digit GLN, or in any location form the EPCIS parser canonicalises to
    /// `414/{gln}[/254/{ext}]` (SGLN URN, Digital Link on any host, the key itself).
    /// </summary>
    private static string? GlnOf(string identifier)
    {
        if (Gln.TryParse(identifier.Trim(), out var bare, out _))
        {
            return bare.Value;
        }
        var key = identifier.StartsWith("414/", StringComparison.Ordinal) ? identifier : EpcIdentifier.ToLocationKey(identifier);
        return key.Length >= 17 && key.StartsWith("414/", StringComparison.Ordinal) && (key.Length == 17 || key[17] == '/')
            && Gln.TryParse(key[4..17], out var gln, out _)
            ? gln.Value
            : null;
    }

    private sealed class ProductRow
    {
        public string Gtin { get; set; } = "";
        public string ProducerId { get; set; } = "";
        public string NameVi { get; set; } = "";
        public string? NameEn { get; set; }
        public string? Brand { get; set; }
        public string? ImageUrl { get; set; }
        public string? Category { get; set; }
        public string? DescriptionVi { get; set; }
        public string? DescriptionEn { get; set; }
        public string Standards { get; set; } = "[]";
        public string? Unit { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }
        public string Certificates { get; set; } = "[]";

        public Product ToRecord() => new(
            Gtin, ProducerId, new LocalizedText(NameVi, NameEn), Brand, ImageUrl, Category,
            DescriptionVi is null ? null : new LocalizedText(DescriptionVi, DescriptionEn),
            JsonSerializer.Deserialize<List<string>>(Standards) ?? [], Unit, FromMs(CreatedAt), FromMs(UpdatedAt))
        {
            Certificates = JsonSerializer.Deserialize<List<Certificate>>(Certificates, CertificateJson) ?? [],
        };
    }

    private sealed class LocationRow
    {
        public string ProducerId { get; set; } = "";
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? Address { get; set; }
        public string? Province { get; set; }
        public double? Latitude { get; set; }
        public double? Longitude { get; set; }
        public string? Gln { get; set; }
        public long CreatedAt { get; set; }

        public Location ToRecord() => new(
            ProducerId, Code, Name, Kind, Address, Province, Latitude, Longitude, Gln, FromMs(CreatedAt));
    }

    private sealed class LotRow
    {
        public string Gtin { get; set; } = "";
        public string LotNumber { get; set; } = "";
        public string ProducerId { get; set; } = "";
        public string? ProductionDate { get; set; }
        public string? ExpiryDate { get; set; }
        public string? Quantity { get; set; }
        public string? Uom { get; set; }
        public string? OriginLocation { get; set; }
        public long CreatedAt { get; set; }

        public Lot ToRecord() => new(
            Gtin, LotNumber, ProducerId, ParseDate(ProductionDate), ParseDate(ExpiryDate),
            Quantity is null ? null : decimal.Parse(Quantity, NumberStyles.Number, CultureInfo.InvariantCulture),
            Uom, OriginLocation, FromMs(CreatedAt));

        private static DateOnly? ParseDate(string? text) =>
            text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
