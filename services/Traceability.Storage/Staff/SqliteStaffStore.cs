namespace Traceability.Storage.Sqlite;

public sealed class SqliteStaffStore(SqliteDatabase db) : IStaffStore
{
    private const string StaffColumns =
        "id AS Id, name AS Name, unit AS Unit, role AS Role, created_at AS CreatedAt, created_by AS CreatedBy, revoked_at AS RevokedAt";

    public Task AddStaffAsync(StaffAccount staff, ApiKeyRecord key, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO staff (id, name, unit, role, created_at, created_by, revoked_at)
                    VALUES (@Id, @Name, @Unit, @Role, @CreatedAt, @CreatedBy, @RevokedAt)
                    """,
                    new { staff.Id, staff.Name, staff.Unit, staff.Role, CreatedAt = Ms(staff.CreatedAt), staff.CreatedBy, RevokedAt = Ms(staff.RevokedAt) });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"A staff account with id '{staff.Id}' already exists.");
            }
            SqliteSharedWrites.InsertApiKey(connection, key);
            SqliteSharedWrites.InsertAudit(connection, entry);
        }, ct);

    public async Task<StaffAccount?> GetStaffAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<StaffRow>(new CommandDefinition(
            $"SELECT {StaffColumns} FROM staff WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<StaffAccount>> ListStaffAsync(CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<StaffRow>(new CommandDefinition(
            $"SELECT {StaffColumns} FROM staff ORDER BY created_at, id", cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task<bool> RevokeStaffAsync(string id, DateTimeOffset at, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            var revoked = connection.Execute("UPDATE staff SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
                new { id, at = Ms(at) }) > 0;
            if (!revoked) return false;
            connection.Execute("UPDATE api_keys SET revoked_at = @at WHERE staff_id = @id AND revoked_at IS NULL", new { id, at = Ms(at) });
            SqliteSharedWrites.InsertAudit(connection, entry);
            return true;
        }, ct);

    private sealed class StaffRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Unit { get; init; } = "";
        public string Role { get; init; } = "";
        public long CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public long? RevokedAt { get; init; }

        public StaffAccount ToRecord() => new(Id, Name, Unit, Role, FromMs(CreatedAt), CreatedBy, FromMs(RevokedAt));
    }
}
