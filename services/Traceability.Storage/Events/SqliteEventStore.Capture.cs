using System.Buffers;
using System.Text;

namespace Traceability.Storage.Sqlite;

public sealed partial class SqliteEventStore
{
    public Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events,
        IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default) =>
        CaptureAsync(job, events, [], announce, ct);

    public Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events, IReadOnlyList<StoredDeclaration> declarations,
        IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(declarations);
        ArgumentNullException.ThrowIfNull(announce);
        // Serialised before taking the write lock: the writer is the one part of capture that runs alone.
        var eventKeys = SerializeKeys(events);
        var messages = announce.Count > 0 ? SerializeMessages(announce) : null;
        return db.WriteAsync(connection =>
        {
            // Prepared once, re-bound per row: the hot loop does no SQL parsing and no reflection.
            // The seq is assigned here rather than read back with RETURNING (which made each insert
            // about twice as slow): we hold the write lock, so nobody else can take the next numbers.
            var nextSeq = (long)Scalar(connection,
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), " +
                "COALESCE((SELECT MAX(seq) FROM events), 0))")!;
            using var insertEvent = connection.CreateCommand();
            insertEvent.CommandText =
                """
                INSERT INTO events (seq, event_id, producer_id, event_type, event_time, record_time, action, biz_step,
                                    disposition, read_point, biz_location, json, keys, capture_id,
                                    event_time_offset, record_time_offset)
                VALUES ($seq, $eventId, $producerId, $eventType, $eventTime, $recordTime, $action, $bizStep,
                        $disposition, $readPoint, $bizLocation, $json, $keys, $captureId,
                        $eventTimeOffset, $recordTimeOffset)
                ON CONFLICT (event_id) DO NOTHING
                """;
            var e = insertEvent.Parameters;
            var seqParameter = e.Add("$seq", SqliteType.Integer);
            var eventId = e.Add("$eventId", SqliteType.Text);
            var producerId = e.Add("$producerId", SqliteType.Text);
            var eventType = e.Add("$eventType", SqliteType.Text);
            var eventTime = e.Add("$eventTime", SqliteType.Integer);
            var recordTime = e.Add("$recordTime", SqliteType.Integer);
            var action = e.Add("$action", SqliteType.Text);
            var bizStep = e.Add("$bizStep", SqliteType.Text);
            var disposition = e.Add("$disposition", SqliteType.Text);
            var readPoint = e.Add("$readPoint", SqliteType.Text);
            var bizLocation = e.Add("$bizLocation", SqliteType.Text);
            var json = e.Add("$json", SqliteType.Text);
            var keys = e.Add("$keys", SqliteType.Text);
            var captureId = e.Add("$captureId", SqliteType.Text);
            var eventTimeOffset = e.Add("$eventTimeOffset", SqliteType.Integer);
            var recordTimeOffset = e.Add("$recordTimeOffset", SqliteType.Integer);
            insertEvent.Prepare();

            var firstSeq = nextSeq + 1;
            var duplicates = 0;
            for (var i = 0; i < events.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var ev = events[i];
                eventId.Value = ev.EventId;
                producerId.Value = ev.ProducerId;
                eventType.Value = ev.EventType;
                eventTime.Value = Ms(ev.EventTime);
                recordTime.Value = Ms(ev.RecordTime);
                action.Value = Db(ev.Action);
                bizStep.Value = Db(ev.BizStep);
                disposition.Value = Db(ev.Disposition);
                readPoint.Value = Db(ev.ReadPoint);
                bizLocation.Value = Db(ev.BizLocation);
                json.Value = ev.Json;
                keys.Value = eventKeys[i];
                captureId.Value = Db(ev.CaptureId);
                eventTimeOffset.Value = OffsetMinutes(ev.EventTime);
                recordTimeOffset.Value = OffsetMinutes(ev.RecordTime);
                seqParameter.Value = nextSeq + 1;
                if (insertEvent.ExecuteNonQuery() == 0)
                {
                    duplicates++; // already stored, or earlier in this batch
                    continue;
                }
                nextSeq++;
            }

            // The key rows and outbox rows of the new events: one set-based statement each rather than
            // one per row, from the events' keys column and from the messages as one JSON parameter.
            if (nextSeq >= firstSeq)
            {
                connection.Execute(
                    """
                    INSERT OR IGNORE INTO event_keys (value, role, event_seq)
                    SELECT k.value ->> 1, k.value ->> 0, e.seq FROM events e, json_each(e.keys) k
                    WHERE e.seq BETWEEN @First AND @Last
                    """, new { First = firstSeq, Last = nextSeq });
            }
            if (messages is not null)
            {
                // An event's message is written only if its event is new: a duplicate was announced when first stored.
                connection.Execute(
                    """
                    INSERT INTO outbox (kind, key, state, attempts, created_at, updated_at, next_attempt_at, trace_parent,
                                        depends_on_kind, depends_on_key)
                    SELECT m.value ->> 0, m.value ->> 1, 'Pending', 0, @Now, @Now, @Now, m.value ->> 2, m.value ->> 3, m.value ->> 4
                    FROM json_each(@Messages) m
                    WHERE m.value ->> 0 <> 'Event'
                       OR EXISTS (SELECT 1 FROM events e WHERE e.event_id = m.value ->> 1 AND e.seq >= @First)
                    ORDER BY m.key
                    ON CONFLICT DO NOTHING
                    """, new { Now = Ms(db.Time.GetUtcNow()), Messages = messages, First = firstSeq });
            }

            var declared = 0;
            foreach (var d in declarations)
            {
                ct.ThrowIfCancellationRequested();
                if (InsertDeclaration(connection, d)) declared++;
                else duplicates++;
            }

            var total = events.Count + declarations.Count;
            UpsertCaptureJob(connection, total == 0
                ? job
                : job with { EventCount = total, DuplicateCount = duplicates });
            return new CaptureResult((int)(nextSeq - firstSeq + 1) + declared, duplicates);
        }, ct);
    }

    /// <summary>Writes a declaration and its outbox row, unless the event has one already (then false).</summary>
    private bool InsertDeclaration(SqliteConnection connection, StoredDeclaration d)
    {
        var inserted = connection.Execute(
            """
            INSERT INTO error_declarations (event_id, producer_id, declaration_time, reason, corrective_ids, error_declaration,
                                            json, record_time, record_time_offset, capture_id)
            SELECT @EventId, @ProducerId, @DeclarationTime, @Reason, @CorrectiveIds, @ErrorDeclaration, @Json, @RecordTime,
                   @RecordTimeOffset, @CaptureId
            WHERE EXISTS (SELECT 1 FROM events WHERE event_id = @EventId)
            ON CONFLICT (event_id) DO NOTHING
            """,
            new
            {
                d.EventId, d.ProducerId, DeclarationTime = Ms(d.DeclarationTime), d.Reason,
                CorrectiveIds = JsonSerializer.Serialize(d.CorrectiveEventIds), d.ErrorDeclaration, d.Json,
                RecordTime = Ms(d.RecordTime), RecordTimeOffset = OffsetMinutes(d.RecordTime), d.CaptureId,
            }) > 0;
        if (inserted && d.Announce is { } m)
        {
            // Event rows have no unique (kind, key): the declared event gets a row of its own, pushed
            // after the original's (the pusher reads the event in its declared state).
            connection.Execute(
                """
                INSERT INTO outbox (kind, key, state, attempts, created_at, updated_at, next_attempt_at, trace_parent,
                                    depends_on_kind, depends_on_key)
                VALUES (@Kind, @Key, 'Pending', 0, @Now, @Now, @Now, @TraceParent, @DependsOnKind, @DependsOnKey)
                """,
                new
                {
                    Kind = m.Kind.ToString(), m.Key, Now = Ms(db.Time.GetUtcNow()), m.TraceParent,
                    DependsOnKind = m.DependsOnKind?.ToString(), m.DependsOnKey,
                });
        }
        return inserted;
    }

    private static int OffsetMinutes(DateTimeOffset time) => (int)time.Offset.TotalMinutes;

    private static string SerializeMessages(IReadOnlyList<OutboxMessage> messages)
    {
        var rows = new string?[messages.Count][];
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            rows[i] = [m.Kind.ToString(), m.Key, m.TraceParent, m.DependsOnKind?.ToString(), m.DependsOnKey];
        }
        return JsonSerializer.Serialize(rows);
    }

    /// <summary>
    /// Each event's keys as <c>[["Class","01/…"],…]</c>, through one writer and buffer for the whole
    /// capture rather than a serializer call and two arrays per key.
    /// </summary>
    private static string[] SerializeKeys(IReadOnlyList<StoredEvent> events)
    {
        var result = new string[events.Count];
        var buffer = new ArrayBufferWriter<byte>(512);
        using var w = new Utf8JsonWriter(buffer);
        for (var i = 0; i < events.Count; i++)
        {
            buffer.ResetWrittenCount();
            w.Reset(buffer);
            w.WriteStartArray();
            foreach (var key in events[i].Keys)
            {
                w.WriteStartArray();
                w.WriteStringValue(RoleName(key.Role));
                w.WriteStringValue(key.Value);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.Flush();
            result[i] = Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        return result;
    }
}
