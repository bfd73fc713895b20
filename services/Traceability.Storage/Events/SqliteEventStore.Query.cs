using System.Text;

namespace Traceability.Storage.Sqlite;

public sealed partial class SqliteEventStore
{
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
            using var connection = db.OpenReader();
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
        using var connection = db.OpenReader();
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
}
