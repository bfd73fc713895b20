namespace Traceability.Storage.Sqlite;

public sealed class SqliteRecallStore(SqliteDatabase db) : IRecallStore, ISerialStore
{
    private const string RecallColumns =
        "id AS Id, gtin AS Gtin, reason AS Reason, severity AS Severity, issued_by AS IssuedBy, producer_id AS ProducerId, " +
        "issued_at AS IssuedAt, lifted_at AS LiftedAt, ended_by AS EndedBy, end_reason AS EndReason";

    public Task AddRecallAsync(Recall recall, IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO recalls (id, gtin, reason, severity, issued_by, producer_id, issued_at, lifted_at)
                    VALUES (@Id, @Gtin, @Reason, @Severity, @IssuedBy, @ProducerId, @IssuedAt, @LiftedAt)
                    """,
                    new
                    {
                        recall.Id, recall.Gtin, recall.Reason, recall.Severity, recall.IssuedBy, recall.ProducerId,
                        IssuedAt = Ms(recall.IssuedAt), LiftedAt = Ms(recall.LiftedAt),
                    });
                for (var i = 0; i < recall.Lots.Count; i++)
                {
                    connection.Execute(
                        "INSERT OR IGNORE INTO recall_lots (recall_id, gtin, lot, position) VALUES (@id, @gtin, @lot, @i)",
                        new { id = recall.Id, gtin = recall.Gtin, lot = recall.Lots[i], i });
                }
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"The recall '{recall.Id}' already exists.");
            }
            foreach (var message in announce)
            {
                SqliteSharedWrites.UpsertOutbox(connection, message, db.Time.GetUtcNow());
            }
        }, ct);

    public async Task<Recall?> GetRecallAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<RecallRow>(new CommandDefinition(
            $"SELECT {RecallColumns} FROM recalls WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return (await WithLotsAsync(connection, rows.ToList(), ct).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Recall>> GetActiveRecallsForLotAsync(string gtin14, string lot, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<RecallRow>(new CommandDefinition(
            $"""
            SELECT {RecallColumns} FROM recalls
            WHERE lifted_at IS NULL AND id IN (SELECT recall_id FROM recall_lots WHERE gtin = @gtin14 AND lot = @lot)
            ORDER BY issued_at DESC, id
            """, new { gtin14, lot }, cancellationToken: ct)).ConfigureAwait(false);
        return await WithLotsAsync(connection, rows.ToList(), ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Recall>> ListActiveRecallsAsync(int max = 500, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<RecallRow>(new CommandDefinition(
            $"SELECT {RecallColumns} FROM recalls WHERE lifted_at IS NULL ORDER BY issued_at DESC, id LIMIT @max",
            new { max }, cancellationToken: ct)).ConfigureAwait(false);
        return await WithLotsAsync(connection, rows.ToList(), ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Recall>> ListRecallsAsync(int max = 500, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<RecallRow>(new CommandDefinition(
            $"SELECT {RecallColumns} FROM recalls ORDER BY issued_at DESC, id LIMIT @max",
            new { max }, cancellationToken: ct)).ConfigureAwait(false);
        return await WithLotsAsync(connection, rows.ToList(), ct).ConfigureAwait(false);
    }

    public Task<bool> EndRecallAsync(string id, DateTimeOffset at, string endedBy, string reason, AuditEntry? entry,
        CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            // Only an active recall ends: two staff ending it at once leave one end and one audit entry.
            var ended = connection.Execute(
                "UPDATE recalls SET lifted_at = @at, ended_by = @endedBy, end_reason = @reason WHERE id = @id AND lifted_at IS NULL",
                new { id, at = Ms(at), endedBy, reason }) > 0;
            if (ended && entry is not null) SqliteSharedWrites.InsertAudit(connection, entry);
            return ended;
        }, ct);

    private static async Task<IReadOnlyList<Recall>> WithLotsAsync(SqliteConnection connection, List<RecallRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var lots = (await connection.QueryAsync<(string RecallId, string Lot)>(new CommandDefinition(
            "SELECT recall_id, lot FROM recall_lots WHERE recall_id IN @ids ORDER BY position",
            new { ids = rows.Select(r => r.Id).ToList() }, cancellationToken: ct)).ConfigureAwait(false))
            .ToLookup(l => l.RecallId, l => l.Lot);
        return rows.Select(r => new Recall(r.Id, r.Gtin, lots[r.Id].ToList(), r.Reason, r.Severity, r.IssuedBy, r.ProducerId,
            FromMs(r.IssuedAt), FromMs(r.LiftedAt), r.EndedBy, r.EndReason)).ToList();
    }

    public Task AddSerialsAsync(IReadOnlyList<IssuedSerial> serials, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO serials (gtin, lot, serial, key_id, issued_at) VALUES ($gtin, $lot, $serial, $key, $at);";
            var gtin = insert.Parameters.Add("$gtin", SqliteType.Text);
            var lot = insert.Parameters.Add("$lot", SqliteType.Text);
            var serial = insert.Parameters.Add("$serial", SqliteType.Text);
            var key = insert.Parameters.Add("$key", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            foreach (var s in serials)
            {
                gtin.Value = s.Gtin;
                lot.Value = s.Lot;
                serial.Value = s.Serial;
                key.Value = s.KeyId;
                at.Value = Ms(s.IssuedAt);
                try
                {
                    insert.ExecuteNonQuery();
                }
                catch (SqliteException ex) when (ex.IsUniqueViolation())
                {
                    throw new DuplicateKeyException($"The serial '{s.Serial}' of lot '{s.Lot}' already exists.");
                }
                catch (SqliteException ex) when (ex.IsForeignKeyViolation())
                {
                    throw new InvalidOperationException($"The lot '{s.Lot}' of GTIN {s.Gtin} does not exist.", ex);
                }
            }
        }, ct);

    public async Task<IssuedSerial?> GetSerialAsync(string gtin14, string lot, string serial, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<SerialRow>(new CommandDefinition(
            """
            SELECT gtin AS Gtin, lot AS Lot, serial AS Serial, key_id AS KeyId, issued_at AS IssuedAt
            FROM serials WHERE gtin = @gtin14 AND lot = @lot AND serial = @serial
            """, new { gtin14, lot, serial }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null : new IssuedSerial(row.Gtin, row.Lot, row.Serial, row.KeyId, FromMs(row.IssuedAt));
    }

    public async Task<long> CountSerialsAsync(string gtin14, string lot, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM serials WHERE gtin = @gtin14 AND lot = @lot", new { gtin14, lot }, cancellationToken: ct))
            .ConfigureAwait(false);
    }

    public Task AddSigningKeyAsync(SigningKeyRecord key, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO signing_keys (key_id, algorithm, public_key, protected_private_key, created_at, retired_at)
                    VALUES (@KeyId, @Algorithm, @PublicKey, @ProtectedPrivateKey, @CreatedAt, @RetiredAt)
                    """,
                    new { key.KeyId, key.Algorithm, key.PublicKey, key.ProtectedPrivateKey, CreatedAt = Ms(key.CreatedAt), RetiredAt = Ms(key.RetiredAt) });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"The signing key '{key.KeyId}' already exists.");
            }
        }, ct);

    public async Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            """
            SELECT key_id AS KeyId, algorithm AS Algorithm, public_key AS PublicKey, protected_private_key AS ProtectedPrivateKey,
                   created_at AS CreatedAt, retired_at AS RetiredAt
            FROM signing_keys ORDER BY created_at, rowid
            """, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new SigningKeyRecord(r.KeyId, r.Algorithm, r.PublicKey, r.ProtectedPrivateKey,
            FromMs(r.CreatedAt), FromMs(r.RetiredAt))).ToList();
    }

    public Task<bool> RetireSigningKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "UPDATE signing_keys SET retired_at = @at WHERE key_id = @keyId AND retired_at IS NULL",
            new { keyId, at = Ms(at) }) > 0, ct);

    private sealed class RecallRow
    {
        public string Id { get; init; } = "";
        public string Gtin { get; init; } = "";
        public string Reason { get; init; } = "";
        public string Severity { get; init; } = "";
        public string IssuedBy { get; init; } = "";
        public string? ProducerId { get; init; }
        public long IssuedAt { get; init; }
        public long? LiftedAt { get; init; }
        public string? EndedBy { get; init; }
        public string? EndReason { get; init; }
    }

    private sealed class SerialRow
    {
        public string Gtin { get; init; } = "";
        public string Lot { get; init; } = "";
        public string Serial { get; init; } = "";
        public string KeyId { get; init; } = "";
        public long IssuedAt { get; init; }
    }

    private sealed class KeyRow
    {
        public string KeyId { get; init; } = "";
        public string Algorithm { get; init; } = "";
        public byte[] PublicKey { get; init; } = [];
        public byte[] ProtectedPrivateKey { get; init; } = [];
        public long CreatedAt { get; init; }
        public long? RetiredAt { get; init; }
    }
}
