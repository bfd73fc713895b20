namespace Traceability.Storage.Sqlite;

public sealed class SqliteProducerUserStore(SqliteDatabase db) : IProducerUserStore
{
    private const string ProducerUserColumns =
        "id AS Id, producer_id AS ProducerId, login AS Login, name AS Name, role AS Role, password_hash AS PasswordHash, " +
        "must_change_password AS MustChangePassword, password_changed_at AS PasswordChangedAt, created_at AS CreatedAt, " +
        "created_by AS CreatedBy, disabled_at AS DisabledAt";

    public Task AddProducerUserAsync(ProducerUser user, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO producer_users (id, producer_id, login, name, role, password_hash, must_change_password,
                        password_changed_at, created_at, created_by, disabled_at)
                    VALUES (@Id, @ProducerId, @Login, @Name, @Role, @PasswordHash, @MustChangePassword,
                        @PasswordChangedAt, @CreatedAt, @CreatedBy, @DisabledAt)
                    """,
                    new
                    {
                        user.Id, user.ProducerId, user.Login, user.Name, user.Role, user.PasswordHash,
                        MustChangePassword = user.MustChangePassword ? 1 : 0, PasswordChangedAt = Ms(user.PasswordChangedAt),
                        CreatedAt = Ms(user.CreatedAt), user.CreatedBy, DisabledAt = Ms(user.DisabledAt),
                    });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException($"A user with id '{user.Id}' or login '{user.Login}' already exists.");
            }
            SqliteSharedWrites.InsertAudit(connection, entry);
        }, ct);

    public Task<ProducerUser?> GetProducerUserAsync(string id, CancellationToken ct = default) =>
        SingleProducerUserAsync("id = @value", id, ct);

    public Task<ProducerUser?> FindProducerUserByLoginAsync(string login, CancellationToken ct = default) =>
        SingleProducerUserAsync("login = @value", login, ct);

    private async Task<ProducerUser?> SingleProducerUserAsync(string where, string value, CancellationToken ct)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<ProducerUserRow>(new CommandDefinition(
            $"SELECT {ProducerUserColumns} FROM producer_users WHERE {where}", new { value }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<ProducerUser>> ListProducerUsersAsync(string producerId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<ProducerUserRow>(new CommandDefinition(
            $"SELECT {ProducerUserColumns} FROM producer_users WHERE producer_id = @producerId ORDER BY created_at, id",
            new { producerId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public Task<bool> SetProducerUserPasswordAsync(string id, string passwordHash, bool mustChange, DateTimeOffset at, AuditEntry? entry,
        CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            var changed = connection.Execute(
                """
                UPDATE producer_users SET password_hash = @passwordHash, must_change_password = @mustChange, password_changed_at = @at
                WHERE id = @id AND disabled_at IS NULL
                """, new { id, passwordHash, mustChange = mustChange ? 1 : 0, at = Ms(at) }) > 0;
            if (changed && entry is not null) SqliteSharedWrites.InsertAudit(connection, entry);
            return changed;
        }, ct);

    public Task<bool> DisableProducerUserAsync(string id, DateTimeOffset at, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            var disabled = connection.Execute("UPDATE producer_users SET disabled_at = @at WHERE id = @id AND disabled_at IS NULL",
                new { id, at = Ms(at) }) > 0;
            if (disabled) SqliteSharedWrites.InsertAudit(connection, entry);
            return disabled;
        }, ct);

    private sealed class ProducerUserRow
    {
        public string Id { get; init; } = "";
        public string ProducerId { get; init; } = "";
        public string Login { get; init; } = "";
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public long MustChangePassword { get; init; }
        public long PasswordChangedAt { get; init; }
        public long CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public long? DisabledAt { get; init; }

        public ProducerUser ToRecord() => new(Id, ProducerId, Login, Name, Role, PasswordHash, MustChangePassword != 0,
            FromMs(PasswordChangedAt), FromMs(CreatedAt), CreatedBy, FromMs(DisabledAt));
    }
}
