namespace Traceability.Storage.Sqlite;

public sealed class SqliteOutboxStore(SqliteDatabase db) : IOutboxStore
{
    private const string OutboxColumns =
        "seq, kind, key, state, attempts, created_at, next_attempt_at, lease_until, lease_owner, last_error, " +
        "portal_id, trace_parent, depends_on_kind, depends_on_key";

    // A row is ready when its parent (if any) exists and is Synced; a missing parent means not ready.
    private const string DependencyReady =
        "(o.depends_on_key IS NULL OR EXISTS (SELECT 1 FROM outbox p WHERE p.kind = o.depends_on_kind " +
        $"AND p.key = o.depends_on_key AND p.state = 'Synced' AND {NotEvent}))";

    // Parents are products and lots, never events. Saying so lets SQLite use the (kind, key) index,
    // which is partial: it leaves out event rows (migration 0005).
    private const string NotEvent = "p.kind <> 'Event'";

    public Task<IReadOnlyList<OutboxRow>> LeaseAsync(string owner, int max, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<OutboxRow>>([]);
        }
        // One statement inside BEGIN IMMEDIATE: the claim is atomic against every other writer,
        // in this process (write lock) and in others (SQLite's reserved lock).
        return db.WriteAsync<IReadOnlyList<OutboxRow>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"""
                UPDATE outbox SET state = 'InFlight', lease_owner = $owner, lease_until = $until, updated_at = $now
                WHERE seq IN (
                    SELECT seq FROM (
                        SELECT o.seq FROM outbox o
                        WHERE o.state = 'Pending' AND o.next_attempt_at <= $now AND {DependencyReady}
                        ORDER BY o.seq LIMIT $max)
                    UNION ALL
                    SELECT seq FROM (
                        SELECT o.seq FROM outbox o
                        WHERE o.state = 'InFlight' AND o.lease_until <= $now AND {DependencyReady}
                        ORDER BY o.seq LIMIT $max)
                    ORDER BY seq LIMIT $max)
                RETURNING {OutboxColumns}
                """;
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$until", Ms(now + lease));
            command.Parameters.AddWithValue("$now", Ms(now));
            command.Parameters.AddWithValue("$max", max);
            var rows = new List<OutboxRow>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add(ReadOutboxRow(reader));
                }
            }
            rows.Sort((a, b) => long.Parse(a.Id, CultureInfo.InvariantCulture).CompareTo(long.Parse(b.Id, CultureInfo.InvariantCulture)));
            return rows;
        }, ct);
    }

    public Task<bool> MarkSyncedAsync(string id, string owner, string portalId, DateTimeOffset now, CancellationToken ct = default) =>
        RecordOneAsync(owner, OutboxOutcome.Synced(id, portalId), now, ct);

    public Task<bool> ReleaseAsync(string id, string owner, DateTimeOffset retryAt, string? error, CancellationToken ct = default) =>
        RecordOneAsync(owner, OutboxOutcome.Released(id, retryAt, error), db.Time.GetUtcNow(), ct);

    public Task<bool> MarkFailedAsync(string id, string owner, string error, DateTimeOffset now, CancellationToken ct = default) =>
        RecordOneAsync(owner, OutboxOutcome.Failed(id, error), now, ct);

    /// <summary>
    /// One statement per outcome, all in one write (one transaction, one WAL flush): the worker
    /// records a whole round this way instead of flushing once per row.
    /// </summary>
    public Task<IReadOnlyList<string>> RecordOutcomesAsync(string owner, IReadOnlyList<OutboxOutcome> outcomes,
        DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (outcomes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        // The owner check is what makes this safe: once another worker re-claimed an expired lease,
        // the first worker's update matches nothing. A lease that expired but was not re-claimed still
        // counts as held, so a push that succeeded late is recorded instead of being repeated.
        // Synced keeps the attempt count and clears the error; Failed and released rows count an attempt.
        return db.WriteAsync<IReadOnlyList<string>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                UPDATE outbox SET state = $state, attempts = attempts + ($state <> 'Synced'),
                       portal_id = COALESCE($portalId, portal_id), next_attempt_at = COALESCE($retryAt, next_attempt_at),
                       last_error = $error, lease_owner = NULL, lease_until = NULL, updated_at = $now
                WHERE seq = $seq AND state = 'InFlight' AND lease_owner = $owner
                """;
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            var state = command.Parameters.Add("$state", SqliteType.Text);
            var portalId = command.Parameters.Add("$portalId", SqliteType.Text);
            var retryAt = command.Parameters.Add("$retryAt", SqliteType.Integer);
            var error = command.Parameters.Add("$error", SqliteType.Text);
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$now", Ms(now));
            var lost = new List<string>();
            foreach (var outcome in outcomes)
            {
                if (outcome.State is not (OutboxState.Synced or OutboxState.Failed or OutboxState.Pending))
                {
                    throw new ArgumentException($"{outcome.State} is not an outcome.", nameof(outcomes));
                }
                seq.Value = TryParseOutboxId(outcome.Id, out var parsed) ? parsed : -1; // -1 matches no row: lost
                state.Value = outcome.State.ToString();
                portalId.Value = Db(outcome.PortalId);
                retryAt.Value = Db(Ms(outcome.RetryAt));
                error.Value = Db(outcome.Error);
                if (command.ExecuteNonQuery() == 0)
                {
                    lost.Add(outcome.Id);
                }
            }
            return lost;
        }, ct);
    }

    private async Task<bool> RecordOneAsync(string owner, OutboxOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        (await RecordOutcomesAsync(owner, [outcome], now, ct).ConfigureAwait(false)).Count == 0;

    /// <summary>Failed → Pending, due now; Attempts restart at 0 so the worker's backoff starts over.</summary>
    public Task<bool> RetryFailedAsync(string id, DateTimeOffset now, CancellationToken ct = default)
    {
        if (!TryParseOutboxId(id, out var seq))
        {
            return Task.FromResult(false);
        }
        return db.WriteAsync(connection => connection.Execute(
            """
            UPDATE outbox SET state = 'Pending', attempts = 0, next_attempt_at = @now, lease_owner = NULL,
                   lease_until = NULL, updated_at = @now
            WHERE seq = @seq AND state = 'Failed'
            """, new { seq, now = Ms(now) }) > 0, ct);
    }

    public async Task<OutboxStatus> GetStatusAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var counts = (await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM outbox GROUP BY state", cancellationToken: ct)).ConfigureAwait(false))
            .ToDictionary(c => c.State, c => c.Count);
        var oldest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(created_at) FROM outbox WHERE state = 'Pending'", cancellationToken: ct)).ConfigureAwait(false);
        var age = oldest is { } ms ? Math.Max(0, (now - FromMs(ms)).TotalSeconds) : 0;
        return new OutboxStatus(
            counts.GetValueOrDefault(nameof(OutboxState.Pending)), counts.GetValueOrDefault(nameof(OutboxState.InFlight)),
            counts.GetValueOrDefault(nameof(OutboxState.Synced)), counts.GetValueOrDefault(nameof(OutboxState.Failed)), age);
    }

    public async Task<IReadOnlyList<OutboxRow>> ListFailedAsync(int max, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {OutboxColumns} FROM outbox WHERE state = 'Failed' ORDER BY seq LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        return await ReadOutboxRowsAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<OutboxRow?> GetOutboxRowAsync(OutboxKind kind, string key, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        using var command = connection.CreateCommand();
        // Event rows have no (kind, key) index (migration 0005): looking one up scans the outbox.
        // Only tests and diagnostics do that; the sync worker looks up parents (products, lots).
        command.CommandText = kind == OutboxKind.Event
            ? $"SELECT {OutboxColumns} FROM outbox p WHERE kind = 'Event' AND key = $key"
            : $"SELECT {OutboxColumns} FROM outbox p WHERE kind = $kind AND key = $key AND {NotEvent}";
        command.Parameters.AddWithValue("$kind", kind.ToString());
        command.Parameters.AddWithValue("$key", key);
        return (await ReadOutboxRowsAsync(command, ct).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>
    /// Through ix_outbox_state: only the unsynced rows are read (the backlog, not the whole history),
    /// which keeps this cheap for event rows, which have no (kind, key) index.
    /// </summary>
    public async Task<IReadOnlyList<OutboxRow>> GetOpenRowsAsync(OutboxKind kind, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        using var connection = db.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {OutboxColumns} FROM outbox
            WHERE state IN ('Pending', 'InFlight', 'Failed') AND kind = $kind AND key IN (SELECT value FROM json_each($keys))
            ORDER BY seq
            """;
        command.Parameters.AddWithValue("$kind", kind.ToString());
        command.Parameters.AddWithValue("$keys", System.Text.Json.JsonSerializer.Serialize(keys));
        return await ReadOutboxRowsAsync(command, ct).ConfigureAwait(false);
    }

    private static bool TryParseOutboxId(string id, out long seq) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out seq);

    private static async Task<IReadOnlyList<OutboxRow>> ReadOutboxRowsAsync(SqliteCommand command, CancellationToken ct)
    {
        var rows = new List<OutboxRow>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(ReadOutboxRow(reader));
        }
        return rows;
    }

    private static OutboxRow ReadOutboxRow(SqliteDataReader r) => new(
        Id: r.GetInt64(0).ToString(CultureInfo.InvariantCulture),
        Kind: Enum.Parse<OutboxKind>(r.GetString(1)),
        Key: r.GetString(2),
        State: Enum.Parse<OutboxState>(r.GetString(3)),
        Attempts: r.GetInt32(4),
        CreatedAt: FromMs(r.GetInt64(5)),
        NextAttemptAt: FromMs(r.GetInt64(6)),
        LeaseUntil: r.IsDBNull(7) ? null : FromMs(r.GetInt64(7)),
        LeaseOwner: r.IsDBNull(8) ? null : r.GetString(8),
        LastError: r.IsDBNull(9) ? null : r.GetString(9),
        PortalId: r.IsDBNull(10) ? null : r.GetString(10),
        TraceParent: r.IsDBNull(11) ? null : r.GetString(11),
        DependsOnKind: r.IsDBNull(12) ? null : Enum.Parse<OutboxKind>(r.GetString(12)),
        DependsOnKey: r.IsDBNull(13) ? null : r.GetString(13));
}
