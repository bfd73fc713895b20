namespace Traceability.Storage.Sqlite;

public sealed class SqliteAuditStore(SqliteDatabase db) : IAuditStore
{
    private const string AuditColumns =
        "id AS Id, at AS At, actor AS Actor, action AS Action, target AS Target, reason AS Reason, details AS Details";

    public Task AddAuditAsync(AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection => SqliteSharedWrites.InsertAudit(connection, entry), ct);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? target, int max, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {AuditColumns} FROM audit WHERE (@target IS NULL OR target = @target) ORDER BY at DESC, id DESC LIMIT @max",
            new { target, max }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, int max, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        // The action is a prefix: its LIKE wildcards are escaped so "recall_" matches only itself.
        var action = query.Action is null ? null : query.Action.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"""
            SELECT {AuditColumns} FROM audit
            WHERE (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action LIKE @action ESCAPE '\')
              AND (@target IS NULL OR target = @target) AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
            ORDER BY at DESC, id DESC LIMIT @max
            """,
            new { actor = query.Actor, action, target = query.Target, from = Ms(query.From), to = Ms(query.To), max },
            cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task<bool> SetProducerSuspendedAsync(string producerId, bool suspended, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            var found = connection.Execute("UPDATE producers SET suspended = @s WHERE id = @producerId",
                new { s = suspended ? 1 : 0, producerId }) > 0;
            // Nothing to audit when there was nothing to change.
            if (found) SqliteSharedWrites.InsertAudit(connection, entry);
            return found;
        }, ct);

    private sealed class AuditRow
    {
        public string Id { get; set; } = "";
        public long At { get; set; }
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string Target { get; set; } = "";
        public string? Reason { get; set; }
        public string? Details { get; set; }

        public AuditEntry ToRecord() => new(Id, FromMs(At), Actor, Action, Target, Reason, Details);
    }
}
