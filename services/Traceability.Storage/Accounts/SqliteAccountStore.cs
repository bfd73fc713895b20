namespace Traceability.Storage.Sqlite;

public sealed class SqliteAccountStore(SqliteDatabase db) : IAccountStore, IProducerProfileStore
{
    private const string ProducerColumns =
        "id AS Id, name AS Name, tax_code AS TaxCode, address AS Address, province AS Province, gln AS Gln, " +
        "company_prefixes AS CompanyPrefixes, created_at AS CreatedAt, phone AS Phone, email AS Email, suspended AS Suspended, public_phone AS PublicPhone, website AS Website";

    private const string ApiKeyColumns =
        "key_id AS KeyId, salt AS Salt, hash AS Hash, role AS Role, producer_id AS ProducerId, " +
        "inspector_id AS InspectorId, created_at AS CreatedAt, revoked_at AS RevokedAt, staff_id AS StaffId";

    public Task AddProducerAsync(Producer producer, ApiKeyRecord key, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO producers (id, name, tax_code, address, province, gln, company_prefixes, phone, email, suspended, created_at, public_phone, website)
                    VALUES (@Id, @Name, @TaxCode, @Address, @Province, @Gln, @Prefixes, @Phone, @Email, @Suspended, @CreatedAt, @PublicPhone, @Website)
                    """,
                    new
                    {
                        producer.Id, producer.Name, producer.TaxCode, producer.Address, producer.Province, producer.Gln,
                        Prefixes = JsonSerializer.Serialize(producer.CompanyPrefixes), producer.Phone, producer.Email,
                        Suspended = producer.Suspended ? 1 : 0, CreatedAt = Ms(producer.CreatedAt), producer.PublicPhone, producer.Website,
                    });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException(ex.Names("tax_code")
                    ? $"A producer with tax code '{producer.TaxCode}' is already registered."
                    : $"A producer with id '{producer.Id}' already exists.");
            }
            SqliteSharedWrites.InsertApiKey(connection, key);
        }, ct);

    public async Task<Producer?> GetProducerAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<ProducerRow>(
            new CommandDefinition($"SELECT {ProducerColumns} FROM producers WHERE id = @id", new { id }, cancellationToken: ct))
            .ConfigureAwait(false);
        return row?.ToRecord();
    }

    public Task<bool> SetProducerPublicContactAsync(string producerId, string? phone, string? website, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "UPDATE producers SET public_phone = @phone, website = @website WHERE id = @producerId",
            new { producerId, phone, website }) > 0, ct);

    public async Task<IReadOnlyList<Producer>> ListProducersAsync(CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<ProducerRow>(
            new CommandDefinition($"SELECT {ProducerColumns} FROM producers ORDER BY created_at, id", cancellationToken: ct))
            .ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task AddInspectorAsync(Inspector inspector, ApiKeyRecord key, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    "INSERT INTO inspectors (id, name, agency, created_at) VALUES (@Id, @Name, @Agency, @CreatedAt)",
                    new { inspector.Id, inspector.Name, inspector.Agency, CreatedAt = Ms(inspector.CreatedAt) });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"An inspector with id '{inspector.Id}' already exists.");
            }
            SqliteSharedWrites.InsertApiKey(connection, key);
        }, ct);

    public async Task<Inspector?> GetInspectorAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<InspectorRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, agency AS Agency, created_at AS CreatedAt FROM inspectors WHERE id = @id",
            new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null : new Inspector(row.Id, row.Name, row.Agency, FromMs(row.CreatedAt));
    }

    public Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default) =>
        db.WriteAsync(connection => SqliteSharedWrites.InsertApiKey(connection, key), ct);

    public async Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {ApiKeyColumns} FROM api_keys WHERE key_id = @keyId", new { keyId }, cancellationToken: ct))
            .ConfigureAwait(false);
        return row?.ToRecord();
    }

    public Task<bool> RevokeApiKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "UPDATE api_keys SET revoked_at = @at WHERE key_id = @keyId AND revoked_at IS NULL",
            new { keyId, at = Ms(at) }) > 0, ct);

    public async Task<IReadOnlyList<ApiKeyRecord>> ListProducerKeysAsync(string producerId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {ApiKeyColumns} FROM api_keys WHERE producer_id = @producerId ORDER BY created_at DESC, key_id",
            new { producerId }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    private sealed class ProducerRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string TaxCode { get; set; } = "";
        public string Address { get; set; } = "";
        public string Province { get; set; } = "";
        public string? Gln { get; set; }
        public string CompanyPrefixes { get; set; } = "[]";
        public long CreatedAt { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public long Suspended { get; set; }
        public string? PublicPhone { get; set; }
        public string? Website { get; set; }

        public Producer ToRecord() => new(
            Id, Name, TaxCode, Address, Province, Gln,
            JsonSerializer.Deserialize<List<string>>(CompanyPrefixes) ?? [], FromMs(CreatedAt), Phone, Email, Suspended != 0,
            PublicPhone, Website);
    }

    private sealed class InspectorRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Agency { get; set; } = "";
        public long CreatedAt { get; set; }
    }

    private sealed class ApiKeyRow
    {
        public string KeyId { get; set; } = "";
        public byte[] Salt { get; set; } = [];
        public byte[] Hash { get; set; } = [];
        public string Role { get; set; } = "";
        public string? ProducerId { get; set; }
        public string? InspectorId { get; set; }
        public long CreatedAt { get; set; }
        public long? RevokedAt { get; set; }
        public string? StaffId { get; set; }

        public ApiKeyRecord ToRecord() => new(
            KeyId, Salt, Hash, Enum.Parse<Role>(Role), ProducerId, InspectorId, FromMs(CreatedAt), FromMs(RevokedAt), StaffId);
    }
}
