namespace Traceability.Storage.Sqlite;

public sealed class SqliteEarlyWarningStore(SqliteDatabase db) : IEarlyWarningStore
{
    private const string EarlyAlertColumns =
        "id AS Id, kind AS Kind, subject AS Subject, gtin AS Gtin, lot AS Lot, province AS Province, day AS Day, " +
        "producer_id AS ProducerId, score AS Score, count AS Count, baseline AS Baseline, reason_vi AS ReasonVi, " +
        "reason_en AS ReasonEn, first_seen AS FirstSeen, last_seen AS LastSeen, status AS Status, " +
        "acknowledged_by AS AcknowledgedBy, acknowledged_at AS AcknowledgedAt, closed_by AS ClosedBy, closed_at AS ClosedAt, outcome AS Outcome";

    public Task<IReadOnlyList<SignalCount>> AddSignalCountsAsync(IReadOnlyList<SignalCount> increments, CancellationToken ct = default) =>
        increments.Count == 0 ? Task.FromResult<IReadOnlyList<SignalCount>>([]) : db.WriteAsync<IReadOnlyList<SignalCount>>(connection =>
        {
            using var upsert = connection.CreateCommand();
            upsert.CommandText =
                """
                INSERT INTO ew_counts (signal, gtin, lot, province, day, count) VALUES ($s, $g, $l, $p, $d, $n)
                ON CONFLICT (signal, gtin, lot, province, day) DO UPDATE SET count = count + excluded.count
                RETURNING count
                """;
            var s = upsert.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Text);
            var g = upsert.Parameters.Add("$g", Microsoft.Data.Sqlite.SqliteType.Text);
            var l = upsert.Parameters.Add("$l", Microsoft.Data.Sqlite.SqliteType.Text);
            var p = upsert.Parameters.Add("$p", Microsoft.Data.Sqlite.SqliteType.Text);
            var d = upsert.Parameters.Add("$d", Microsoft.Data.Sqlite.SqliteType.Text);
            var n = upsert.Parameters.Add("$n", Microsoft.Data.Sqlite.SqliteType.Integer);
            var totals = new List<SignalCount>(increments.Count);
            foreach (var c in increments)
            {
                (s.Value, g.Value, l.Value, p.Value, d.Value, n.Value) = (c.Signal, c.Gtin, c.Lot, c.Province, StoredDay.Text(c.Day), c.Count);
                totals.Add(c with { Count = Convert.ToInt64(upsert.ExecuteScalar(), CultureInfo.InvariantCulture) });
            }
            return totals;
        }, ct);

    public async Task<IReadOnlyList<SignalCount>> GetSignalCountsAsync(string signal, string gtin, string? lot, string? province,
        DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<(string Lot, string Province, string Day, long Count)>(new CommandDefinition(
            """
            SELECT lot, province, day, count FROM ew_counts
            WHERE signal = @signal AND gtin = @gtin AND (@lot IS NULL OR lot = @lot) AND (@province IS NULL OR province = @province)
              AND day >= @from AND day <= @to
            """, new { signal, gtin, lot, province, from = StoredDay.Text(from), to = StoredDay.Text(to) }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new SignalCount(signal, gtin, r.Lot, r.Province, StoredDay.Parse(r.Day), r.Count))];
    }

    public Task<(EarlyAlert Alert, bool Created)> UpsertEarlyAlertAsync(EarlyAlert alert, double? pushStep, CancellationToken ct) =>
        db.WriteAsync(connection =>
        {
            var parameters = new DynamicParameters(Parameters(alert));
            parameters.Add("PushStep", pushStep);
            var created = connection.Execute(
                """
                INSERT INTO ew_alerts (id, kind, subject, gtin, lot, province, day, producer_id, score, count, baseline,
                                       reason_vi, reason_en, first_seen, last_seen, status, push_due)
                VALUES (@Id, @Kind, @Subject, @Gtin, @Lot, @Province, @Day, @ProducerId, @Score, @Count, @Baseline,
                        @ReasonVi, @ReasonEn, @FirstSeen, @LastSeen, @Status, CASE WHEN @PushStep IS NULL THEN NULL ELSE @LastSeen END)
                ON CONFLICT (id) DO NOTHING
                """, parameters) > 0;
            if (!created)
                connection.Execute(
                    """
                    UPDATE ew_alerts SET score = @Score, count = @Count, baseline = @Baseline, reason_vi = @ReasonVi,
                                         reason_en = @ReasonEn, last_seen = MAX(last_seen, @LastSeen),
                                         push_due = CASE WHEN @PushStep IS NOT NULL AND push_due IS NULL
                                                          AND @Score >= COALESCE(pushed_score, 0) + @PushStep
                                                         THEN @LastSeen ELSE push_due END
                    WHERE id = @Id
                    """, parameters);
            var stored = connection.QuerySingle<EarlyAlertRow>($"SELECT {EarlyAlertColumns} FROM ew_alerts WHERE id = @Id", new { alert.Id });
            return (stored.ToRecord(), created);
        }, ct);

    public async Task<IReadOnlyList<EarlyAlertPush>> ListDueEarlyAlertPushesAsync(DateTimeOffset now, int max, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<EarlyAlertRow>(new CommandDefinition(
            $"""
            SELECT {EarlyAlertColumns}, push_due AS PushDue, push_attempts AS PushAttempts FROM ew_alerts
            WHERE push_due IS NOT NULL AND push_due <= @now ORDER BY push_due, id LIMIT @max
            """, new { now = Ms(now), max }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new EarlyAlertPush(r.ToRecord(), FromMs(r.PushDue!.Value), r.PushAttempts))];
    }

    public Task MarkEarlyAlertPushedAsync(string id, DateTimeOffset due, double score, double pushStep, DateTimeOffset now, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            """
            UPDATE ew_alerts SET pushed_score = @score, push_attempts = 0,
                                 push_due = CASE WHEN score >= @score + @pushStep THEN @now ELSE NULL END
            WHERE id = @id AND push_due = @due
            """, new { id, due = Ms(due), score, pushStep, now = Ms(now) }), ct);

    public Task DeferEarlyAlertPushAsync(string id, DateTimeOffset due, DateTimeOffset next, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "UPDATE ew_alerts SET push_due = @next, push_attempts = push_attempts + 1 WHERE id = @id AND push_due = @due",
            new { id, due = Ms(due), next = Ms(next) }), ct);

    public async Task<EarlyAlert?> GetEarlyAlertAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<EarlyAlertRow>(new CommandDefinition(
            $"SELECT {EarlyAlertColumns} FROM ew_alerts WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<(IReadOnlyList<EarlyAlert> Items, int Total)> ListEarlyAlertsAsync(EarlyAlertQuery query, CancellationToken ct = default)
    {
        const string Where =
            """
            WHERE (@Status IS NULL OR status = @Status) AND (@Kind IS NULL OR kind = @Kind)
              AND (@Province IS NULL OR province = @Province) AND (@ProducerId IS NULL OR producer_id = @ProducerId)
            """;
        using var connection = db.OpenReader();
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM ew_alerts {Where}", query, cancellationToken: ct)).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EarlyAlertRow>(new CommandDefinition(
            $"SELECT {EarlyAlertColumns} FROM ew_alerts {Where} ORDER BY score DESC, id LIMIT @Limit OFFSET @Offset",
            query, cancellationToken: ct)).ConfigureAwait(false);
        return ([.. rows.Select(r => r.ToRecord())], total);
    }

    public Task<bool> SetEarlyAlertStateAsync(EarlyAlert changed, string expectedStatus, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            var saved = connection.Execute(
                """
                UPDATE ew_alerts SET status = @Status, acknowledged_by = @AcknowledgedBy, acknowledged_at = @AcknowledgedAt,
                                     closed_by = @ClosedBy, closed_at = @ClosedAt, outcome = @Outcome
                WHERE id = @Id AND status = @expectedStatus
                """,
                new
                {
                    changed.Id, changed.Status, changed.AcknowledgedBy, AcknowledgedAt = Ms(changed.AcknowledgedAt),
                    changed.ClosedBy, ClosedAt = Ms(changed.ClosedAt), changed.Outcome, expectedStatus,
                }) > 0;
            if (saved) SqliteSharedWrites.InsertAudit(connection, entry);
            return saved;
        }, ct);

    private static object Parameters(EarlyAlert a) => new
    {
        a.Id, a.Kind, a.Subject, a.Gtin, a.Lot, a.Province, Day = StoredDay.Text(a.Day), a.ProducerId, a.Score, a.Count, a.Baseline,
        a.ReasonVi, a.ReasonEn, FirstSeen = Ms(a.FirstSeen), LastSeen = Ms(a.LastSeen), a.Status,
    };

    private sealed class EarlyAlertRow
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Gtin { get; set; } = "";
        public string Lot { get; set; } = "";
        public string Province { get; set; } = "";
        public string Day { get; set; } = "";
        public string? ProducerId { get; set; }
        public double Score { get; set; }
        public long Count { get; set; }
        public double Baseline { get; set; }
        public string ReasonVi { get; set; } = "";
        public string ReasonEn { get; set; } = "";
        public long FirstSeen { get; set; }
        public long LastSeen { get; set; }
        public string Status { get; set; } = "";
        public string? AcknowledgedBy { get; set; }
        public long? AcknowledgedAt { get; set; }
        public string? ClosedBy { get; set; }
        public long? ClosedAt { get; set; }
        public string? Outcome { get; set; }
        public long? PushDue { get; set; }
        public int PushAttempts { get; set; }

        public EarlyAlert ToRecord() => new(Id, Kind, Subject, Gtin, Lot, Province, StoredDay.Parse(Day), ProducerId, Score, Count, Baseline,
            ReasonVi, ReasonEn, FromMs(FirstSeen), FromMs(LastSeen), Status, AcknowledgedBy, FromMs(AcknowledgedAt),
            ClosedBy, FromMs(ClosedAt), Outcome);
    }
}
