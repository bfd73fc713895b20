using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Traceability.Storage.Sqlite;

public sealed partial class SqliteTraceStore : IEventStore
{
    private const string EventColumns =
        "e.seq, e.event_id, e.producer_id, e.event_type, e.event_time, e.record_time, e.action, e.biz_step, " +
        "e.disposition, e.read_point, e.biz_location, e.json, e.keys, e.capture_id, e.event_time_offset, e.record_time_offset, " +
        "(SELECT d.json FROM error_declarations d WHERE d.event_id = e.event_id)";

    private static readonly string[] LotRoles =
        [nameof(EventKeyRole.Lot), nameof(EventKeyRole.InputLot), nameof(EventKeyRole.OutputLot)];

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
        return WriteAsync(connection =>
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
                    """, new { Now = Ms(_time.GetUtcNow()), Messages = messages, First = firstSeq });
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
                    Kind = m.Kind.ToString(), m.Key, Now = Ms(_time.GetUtcNow()), m.TraceParent,
                    DependsOnKind = m.DependsOnKind?.ToString(), m.DependsOnKey,
                });
        }
        return inserted;
    }

    public async Task<CaptureJob?> GetCaptureJobAsync(string captureId, CancellationToken ct = default)
    {
        using var connection = OpenReader();
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
        using var connection = OpenReader();
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
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        // One statement and one read transaction for a whole batch (the sync worker's round).
        command.CommandText = $"SELECT {EventColumns} FROM events e WHERE e.event_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(eventIds));
        return [.. (await ReadEventsAsync(command, ct).ConfigureAwait(false)).Select(r => r.Event)];
    }

    public async Task<EventPage> QueryEventsAsync(EventQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PerPage < 1)
        {
            throw new ArgumentException($"perPage must be at least 1 (was {query.PerPage}).", nameof(query));
        }
        var order = EventOrderTags.Of(query);
        // Decoded before reading, so a bad token is an ArgumentException whatever the page would hold.
        if (query.PageToken is not null)
        {
            DecodePageToken(query.PageToken, order);
        }
        var orderColumn = query.OrderBy == EventOrder.EventTime ? "e.event_time" : "e.record_time";
        var direction = query.Descending ? "DESC" : "ASC";

        var parameters = new List<(string Name, object Value)>();
        var where = new List<string>();
        string Param(object value)
        {
            var name = "$p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add((name, value));
            return name;
        }
        string In(IEnumerable<string> values) => string.Join(", ", values.Select(v => Param(v)));
        // One value as `=`: an index seek on the column (several as IN).
        string Match(string column, IReadOnlyList<string> values) =>
            values.Count == 1 ? $"{column} = {Param(values[0])}" : $"{column} IN ({In(values)})";

        if (query.ProducerId is not null)
        {
            where.Add($"e.producer_id = {Param(query.ProducerId)}");
        }
        if (query.EventTypes.Count > 0)
        {
            where.Add(Match("e.event_type", query.EventTypes));
        }
        if (query.GeEventTime is { } geEvent)
        {
            where.Add($"e.event_time >= {Param(Ms(geEvent))}");
        }
        if (query.LtEventTime is { } ltEvent)
        {
            where.Add($"e.event_time < {Param(Ms(ltEvent))}");
        }
        if (query.GeRecordTime is { } geRecord)
        {
            where.Add($"e.record_time >= {Param(Ms(geRecord))}");
        }
        if (query.LtRecordTime is { } ltRecord)
        {
            where.Add($"e.record_time < {Param(Ms(ltRecord))}");
        }
        if (query.BizSteps.Count > 0)
        {
            where.Add(Match("e.biz_step", query.BizSteps));
        }
        if (query.Dispositions.Count > 0)
        {
            where.Add(Match("e.disposition", query.Dispositions));
        }
        if (query.BizLocations.Count > 0)
        {
            where.Add(Match("e.biz_location", query.BizLocations));
        }
        if (query.ReadPoints.Count > 0)
        {
            where.Add(Match("e.read_point", query.ReadPoints));
        }
        if (query.Actions.Count > 0)
        {
            where.Add(Match("e.action", query.Actions));
        }
        if (query.EventIds.Count > 0)
        {
            where.Add(Match("e.event_id", query.EventIds));
        }
        // Error declarations: one semi-join on error_declarations, its conditions AND-ed.
        var declared = new List<string>();
        if (query.GeErrorDeclarationTime is { } geDeclared)
        {
            declared.Add($"d.declaration_time >= {Param(Ms(geDeclared))}");
        }
        if (query.LtErrorDeclarationTime is { } ltDeclared)
        {
            declared.Add($"d.declaration_time < {Param(Ms(ltDeclared))}");
        }
        if (query.ErrorReasons.Count > 0)
        {
            declared.Add(Match("d.reason", query.ErrorReasons));
        }
        if (query.CorrectiveEventIds.Count > 0)
        {
            declared.Add($"EXISTS (SELECT 1 FROM json_each(d.corrective_ids) c WHERE {Match("c.value", query.CorrectiveEventIds)})");
        }
        if (query.ErrorDeclared || declared.Count > 0)
        {
            where.Add("e.event_id IN (SELECT d.event_id FROM error_declarations d" +
                      (declared.Count == 0 ? ")" : $" WHERE {string.Join(" AND ", declared)})"));
        }
        // Each key filter is one semi-join on event_keys (its primary key is (value, role, seq)),
        // AND-ed with the others; values inside one filter are OR-ed.
        foreach (var filter in query.KeyFilters)
        {
            if (filter.Values.Count == 0)
            {
                continue;
            }
            var matches = filter.Values.Select(value => value.EndsWith('*')
                ? $"(k.value >= {Param(value[..^1])} AND k.value < {Param(value[..^1] + PrefixUpperBound)})"
                : $"k.value = {Param(value)}");
            var roles = filter.Roles.Count == 0 ? "" : $"k.role IN ({In(filter.Roles.Select(RoleName))}) AND ";
            where.Add($"e.seq IN (SELECT k.event_seq FROM event_keys k WHERE {roles}({string.Join(" OR ", matches)}))");
        }

        var filters = string.Join(" AND ", where);
        return await EventPages.ReadAsync(query, query.PerPage, async (after, limit, token) =>
        {
            using var connection = OpenReader();
            using var command = connection.CreateCommand();
            var conditions = filters;
            if (after is not null)
            {
                // Row-value comparison: SQLite seeks (record_time, event_id) indexes with it.
                var (afterTime, afterId) = DecodePageToken(after, order);
                conditions = (conditions.Length == 0 ? "" : conditions + " AND ") +
                             $"({orderColumn}, e.event_id) {(query.Descending ? "<" : ">")} ($afterTime, $afterId)";
                command.Parameters.AddWithValue("$afterTime", afterTime);
                command.Parameters.AddWithValue("$afterId", afterId);
            }
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            command.CommandText =
                $"SELECT {EventColumns} FROM events e {(conditions.Length == 0 ? "" : "WHERE " + conditions)} " +
                $"ORDER BY {orderColumn} {direction}, e.event_id {direction} LIMIT $limit";
            command.Parameters.AddWithValue("$limit", (long)limit);
            var rows = await ReadEventsAsync(command, token).ConfigureAwait(false);
            return [.. rows.Select(r => (r.Event, EncodePageToken(order,
                Ms(query.OrderBy == EventOrder.EventTime ? r.Event.EventTime : r.Event.RecordTime), r.Event.EventId)))];
        }, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListEventValuesAsync(string? producerId, EventValueKind kind, int limit, CancellationToken ct = default)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        var producer = producerId is null ? "" : "AND e.producer_id = $producer";
        if (producerId is not null)
        {
            command.Parameters.AddWithValue("$producer", producerId);
        }
        if (kind == EventValueKind.Epc)
        {
            var roles = EventOrderTags.WhatRoles.Select((r, i) => (Name: "$r" + i.ToString(CultureInfo.InvariantCulture), Role: RoleName(r))).ToList();
            foreach (var (name, role) in roles)
            {
                command.Parameters.AddWithValue(name, role);
            }
            command.CommandText =
                $"SELECT DISTINCT k.value FROM event_keys k JOIN events e ON e.seq = k.event_seq " +
                $"WHERE k.role IN ({string.Join(", ", roles.Select(r => r.Name))}) {producer} ORDER BY k.value LIMIT $limit";
        }
        else
        {
            var column = kind switch
            {
                EventValueKind.BizStep => "e.biz_step",
                EventValueKind.Disposition => "e.disposition",
                EventValueKind.BizLocation => "e.biz_location",
                EventValueKind.ReadPoint => "e.read_point",
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            command.CommandText = $"SELECT DISTINCT {column} FROM events e WHERE {column} IS NOT NULL {producer} ORDER BY 1 LIMIT $limit";
        }
        command.Parameters.AddWithValue("$limit", (long)limit);
        var values = new List<string>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    public async Task<IReadOnlyList<StoredEvent>> GetEventsForLotAsync(string lotKey, CancellationToken ct = default)
    {
        using var connection = OpenReader();
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
        using var connection = OpenReader();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM events", cancellationToken: ct))
            .ConfigureAwait(false);
    }

    private static int OffsetMinutes(DateTimeOffset time) => (int)time.Offset.TotalMinutes;

    // Appended to a prefix, the largest code point bounds the range of values that start with it.
    private static readonly string PrefixUpperBound = char.ConvertFromUtf32(0x10FFFF);

    // The page token: base64url of "{order}|{time, UTC ms}|{eventID}", the last event of the page in
    // query order (the order's time, then eventID); order r1 = record time ascending, rd, e1 (event time), ed.
    // A token of another order than the query's, or of the earlier seq-only form, is refused.
    private static string EncodePageToken(string order, long timeMs, string eventId) =>
        System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            order + "|" + timeMs.ToString(CultureInfo.InvariantCulture) + "|" + eventId));

    private static (long TimeMs, string EventId) DecodePageToken(string token, string order)
    {
        if (token.Length <= 8192)
        {
            try
            {
                var parts = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token)).Split('|', 3);
                if (parts.Length == 3 && EventOrderTags.IsTag(parts[0]) && parts[0] != order)
                {
                    throw new ArgumentException(
                        $"The page token continues another order ({parts[0]}) than this query's ({order}): keep orderBy and orderDirection while paging.", nameof(token));
                }
                if (parts.Length == 3 && parts[0] == order && parts[2].Length > 0
                    && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
                {
                    return (ms, parts[2]);
                }
            }
            catch (FormatException)
            {
            }
        }
        throw new ArgumentException(
            $"The page token '{token}' is not valid: pass the nextPageToken returned with the previous page.", nameof(token));
    }

    private static string RoleName(EventKeyRole role) => role switch
    {
        EventKeyRole.Epc => nameof(EventKeyRole.Epc),
        EventKeyRole.Parent => nameof(EventKeyRole.Parent),
        EventKeyRole.Input => nameof(EventKeyRole.Input),
        EventKeyRole.Output => nameof(EventKeyRole.Output),
        EventKeyRole.Class => nameof(EventKeyRole.Class),
        EventKeyRole.InputClass => nameof(EventKeyRole.InputClass),
        EventKeyRole.OutputClass => nameof(EventKeyRole.OutputClass),
        EventKeyRole.Lot => nameof(EventKeyRole.Lot),
        EventKeyRole.InputLot => nameof(EventKeyRole.InputLot),
        EventKeyRole.OutputLot => nameof(EventKeyRole.OutputLot),
        _ => role.ToString(),
    };

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
                FinishedAt = Ms(job.FinishedAt ?? (job.Running ? null : _time.GetUtcNow())),
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
