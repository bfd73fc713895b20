namespace Traceability.Storage.Sqlite;

/// <summary>
/// The events: capture writes them (SqliteEventStore.Capture.cs), the EPCIS query pages through them
/// (SqliteEventStore.Query.cs), and the reads here fetch them by id, lot or capture job.
/// </summary>
public sealed partial class SqliteEventStore(SqliteDatabase db) : IEventStore
{
    private const string EventColumns =
        "e.seq, e.event_id, e.producer_id, e.event_type, e.event_time, e.record_time, e.action, e.biz_step, " +
        "e.disposition, e.read_point, e.biz_location, e.json, e.keys, e.capture_id, e.event_time_offset, e.record_time_offset, " +
        "(SELECT d.json FROM error_declarations d WHERE d.event_id = e.event_id)";

    private static readonly string[] LotRoles =
        [nameof(EventKeyRole.Lot), nameof(EventKeyRole.InputLot), nameof(EventKeyRole.OutputLot)];

    public async Task<CaptureJob?> GetCaptureJobAsync(string captureId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<CaptureJobRow>(new CommandDefinition(
            """
            SELECT capture_id AS CaptureId, producer_id AS ProducerId, running AS Running, success AS Success,
                   created_at AS CreatedAt, finished_at AS FinishedAt, errors AS Errors, event_count AS EventCount,
                   duplicate_count AS DuplicateCount, error_behaviour AS ErrorBehaviour
            FROM capture_jobs WHERE capture_id = @captureId
            """, new { captureId }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<StoredEvent?> GetEventAsync(string eventId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventColumns} FROM events e WHERE e.event_id = $eventId";
        command.Parameters.AddWithValue("$eventId", eventId);
        var rows = await ReadEventsAsync(command, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Event;
    }

    public async Task<IReadOnlyList<StoredEvent>> GetEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
            return [];
        using var connection = db.OpenReader();
        using var command = connection.CreateCommand();
        // One statement and one read transaction for a whole batch (the sync worker's round).
        command.CommandText = $"SELECT {EventColumns} FROM events e WHERE e.event_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(eventIds));
        return [.. (await ReadEventsAsync(command, ct).ConfigureAwait(false)).Select(r => r.Event)];
    }

    public async Task<IReadOnlyList<StoredEvent>> GetEventsForLotAsync(string lotKey, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {EventColumns} FROM events e
            WHERE e.seq IN (SELECT k.event_seq FROM event_keys k WHERE k.value = $lot AND k.role IN ($r0, $r1, $r2))
            ORDER BY e.event_time, e.seq
            """;
        command.Parameters.AddWithValue("$lot", lotKey);
        for (var i = 0; i < LotRoles.Length; i++)
        {
            command.Parameters.AddWithValue($"$r{i}", LotRoles[i]);
        }
        return (await ReadEventsAsync(command, ct).ConfigureAwait(false)).Select(r => r.Event).ToList();
    }

    public async Task<long> CountEventsAsync(CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM events", cancellationToken: ct))
            .ConfigureAwait(false);
    }

    private static List<EventKey> DeserializeKeys(string json) =>
        (JsonSerializer.Deserialize<string[][]>(json) ?? [])
            .Select(pair => new EventKey(pair[1], Enum.Parse<EventKeyRole>(pair[0])))
            .ToList();

    private static async Task<List<(long Seq, StoredEvent Event)>> ReadEventsAsync(SqliteCommand command, CancellationToken ct)
    {
        var rows = new List<(long, StoredEvent)>();
        using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add((r.GetInt64(0), new StoredEvent(
                EventId: r.GetString(1),
                ProducerId: r.GetString(2),
                EventType: r.GetString(3),
                EventTime: FromMs(r.GetInt64(4)).ToOffset(TimeSpan.FromMinutes(r.GetInt32(14))),
                RecordTime: FromMs(r.GetInt64(5)).ToOffset(TimeSpan.FromMinutes(r.GetInt32(15))),
                Action: r.IsDBNull(6) ? null : r.GetString(6),
                BizStep: r.IsDBNull(7) ? null : r.GetString(7),
                Disposition: r.IsDBNull(8) ? null : r.GetString(8),
                ReadPoint: r.IsDBNull(9) ? null : r.GetString(9),
                BizLocation: r.IsDBNull(10) ? null : r.GetString(10),
                Json: r.IsDBNull(16) ? r.GetString(11) : ErrorDeclarations.Declared(r.GetString(11), r.GetString(16)),
                Keys: DeserializeKeys(r.GetString(12)),
                CaptureId: r.IsDBNull(13) ? null : r.GetString(13))));
        }
        return rows;
    }

    private void UpsertCaptureJob(SqliteConnection connection, CaptureJob job) =>
        connection.Execute(
            """
            INSERT INTO capture_jobs (capture_id, producer_id, running, success, created_at, finished_at, errors,
                                      event_count, duplicate_count, error_behaviour)
            VALUES (@CaptureId, @ProducerId, @Running, @Success, @CreatedAt, @FinishedAt, @Errors, @EventCount, @DuplicateCount,
                    @ErrorBehaviour)
            ON CONFLICT (capture_id) DO UPDATE SET running = excluded.running, success = excluded.success,
                finished_at = excluded.finished_at, errors = excluded.errors, event_count = excluded.event_count,
                duplicate_count = excluded.duplicate_count
            """,
            new
            {
                job.CaptureId, job.ProducerId, Running = job.Running ? 1 : 0, Success = job.Success ? 1 : 0,
                CreatedAt = Ms(job.CreatedAt),
                FinishedAt = Ms(job.FinishedAt ?? (job.Running ? null : db.Time.GetUtcNow())),
                Errors = JsonSerializer.Serialize(job.Errors), job.EventCount, job.DuplicateCount, job.ErrorBehaviour,
            });

    private sealed class CaptureJobRow
    {
        public string CaptureId { get; set; } = "";
        public string ProducerId { get; set; } = "";
        public long Running { get; set; }
        public long Success { get; set; }
        public long CreatedAt { get; set; }
        public long? FinishedAt { get; set; }
        public string Errors { get; set; } = "[]";
        public long EventCount { get; set; }
        public long DuplicateCount { get; set; }
        public string ErrorBehaviour { get; set; } = CaptureJob.Rollback;

        public CaptureJob ToRecord() => new(
            CaptureId, ProducerId, Running != 0, Success != 0, FromMs(CreatedAt), FromMs(FinishedAt),
            JsonSerializer.Deserialize<List<string>>(Errors) ?? [], (int)EventCount, (int)DuplicateCount, ErrorBehaviour);
    }
}
