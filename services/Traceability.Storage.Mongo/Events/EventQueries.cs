namespace Traceability.Storage.Mongo.Queries;

public static class EventQueries
{
    private static FilterDefinitionBuilder<EventDoc> F => Builders<EventDoc>.Filter;

    private static readonly EventKeyRole[] LotRoles = [EventKeyRole.Lot, EventKeyRole.InputLot, EventKeyRole.OutputLot];

    /// <summary>A lot's history: event time, then eventID as the tie-breaker.</summary>
    public static SortDefinition<EventDoc> ByEventTime { get; } =
        Builders<EventDoc>.Sort.Ascending(x => x.EventTime.Ticks).Ascending(x => x.Id);

    /// <summary>
    /// Query order (and the page token's position), the same on every provider: record time to the
    /// millisecond (the BSON date; SQLite keeps milliseconds too), then eventID, which is unique, so
    /// paging across equal record times never skips or repeats an event.
    /// </summary>
    public static SortDefinition<EventDoc> ByRecordTime { get; } =
        Builders<EventDoc>.Sort.Ascending(x => x.RecordTime.Date).Ascending(x => x.Id);

    /// <summary>The query's order (orderBy, orderDirection): its time, then eventID the same way.</summary>
    public static SortDefinition<EventDoc> Order(EventQuery q)
    {
        var sort = Builders<EventDoc>.Sort;
        return (q.OrderBy, q.Descending) switch
        {
            (EventOrder.EventTime, false) => ByEventTime,
            (EventOrder.EventTime, true) => sort.Descending(x => x.EventTime.Ticks).Descending(x => x.Id),
            (_, true) => sort.Descending(x => x.RecordTime.Date).Descending(x => x.Id),
            _ => ByRecordTime,
        };
    }

    public static FilterDefinition<EventDoc> ById(string eventId) => F.Eq(x => x.Id, eventId);

    public static FilterDefinition<EventDoc> ByIds(IEnumerable<string> eventIds) => F.In(x => x.Id, eventIds);

    public static FilterDefinition<EventDoc> ForLot(string lotKey) =>
        F.ElemMatch(x => x.Keys, Builders<EventKeyDoc>.Filter.Eq(k => k.Value, lotKey) & Builders<EventKeyDoc>.Filter.In(k => k.Role, LotRoles));

    public static FilterDefinition<EventDoc> Matching(EventQuery q, PageTokens.Position? after)
    {
        var parts = new List<FilterDefinition<EventDoc>>();
        if (q.ProducerId is not null) parts.Add(F.Eq(x => x.ProducerId, q.ProducerId));
        if (q.EventTypes.Count > 0) parts.Add(F.In(x => x.EventType, q.EventTypes));
        if (q.GeEventTime is { } ge) parts.Add(F.Gte(x => x.EventTime.Ticks, ge.UtcTicks));
        if (q.LtEventTime is { } lt) parts.Add(F.Lt(x => x.EventTime.Ticks, lt.UtcTicks));
        if (q.GeRecordTime is { } gr) parts.Add(F.Gte(x => x.RecordTime.Ticks, gr.UtcTicks));
        if (q.LtRecordTime is { } lr) parts.Add(F.Lt(x => x.RecordTime.Ticks, lr.UtcTicks));
        if (q.BizSteps.Count > 0) parts.Add(F.In(x => x.BizStep, q.BizSteps));
        if (q.Dispositions.Count > 0) parts.Add(F.In(x => x.Disposition, q.Dispositions));
        if (q.BizLocations.Count > 0) parts.Add(F.In(x => x.BizLocation, q.BizLocations));
        if (q.ReadPoints.Count > 0) parts.Add(F.In(x => x.ReadPoint, q.ReadPoints));
        if (q.Actions.Count > 0) parts.Add(F.In(x => x.Action, q.Actions));
        if (q.EventIds.Count > 0) parts.Add(F.In(x => x.Id, q.EventIds));
        foreach (var key in q.KeyFilters) parts.Add(HasKey(key));
        if (q.ErrorDeclared) parts.Add(F.Ne(x => x.Declaration, null));
        if (q.GeErrorDeclarationTime is { } gd) parts.Add(F.Gte(x => x.Declaration!.DeclarationTime.Ticks, gd.UtcTicks));
        if (q.LtErrorDeclarationTime is { } ld) parts.Add(F.Lt(x => x.Declaration!.DeclarationTime.Ticks, ld.UtcTicks));
        if (q.ErrorReasons.Count > 0) parts.Add(F.In(x => x.Declaration!.Reason, q.ErrorReasons));
        if (q.CorrectiveEventIds.Count > 0) parts.Add(F.AnyIn(x => x.Declaration!.CorrectiveEventIds, q.CorrectiveEventIds));
        if (after is { } pos)
        {
            if (q.OrderBy == EventOrder.EventTime)
            {
                // Event time order goes by ticks (the token holds them).
                parts.Add(q.Descending
                    ? F.Lt(x => x.EventTime.Ticks, pos.Time) | (F.Eq(x => x.EventTime.Ticks, pos.Time) & F.Lt(x => x.Id, pos.EventId))
                    : F.Gt(x => x.EventTime.Ticks, pos.Time) | (F.Eq(x => x.EventTime.Ticks, pos.Time) & F.Gt(x => x.Id, pos.EventId)));
            }
            else
            {
                var at = DateTime.UnixEpoch.AddMilliseconds(pos.Time);
                parts.Add(q.Descending
                    ? F.Lt(x => x.RecordTime.Date, at) | (F.Eq(x => x.RecordTime.Date, at) & F.Lt(x => x.Id, pos.EventId))
                    : F.Gt(x => x.RecordTime.Date, at) | (F.Eq(x => x.RecordTime.Date, at) & F.Gt(x => x.Id, pos.EventId)));
            }
        }
        return parts.Count == 0 ? F.Empty : F.And(parts);
    }

    /// <summary>
    /// One key of the event has one of the roles and one of the values; a value ending in '*' is
    /// an EPC pattern, matched as an anchored prefix (served by the keys.value index).
    /// </summary>
    public static FilterDefinition<EventDoc> HasKey(KeyFilter filter)
    {
        var k = Builders<EventKeyDoc>.Filter;
        var values = filter.Values.Select(v => v.EndsWith('*')
            ? k.Regex(x => x.Value, new BsonRegularExpression("^" + System.Text.RegularExpressions.Regex.Escape(v[..^1])))
            : k.Eq(x => x.Value, v)).ToList();
        var value = values.Count == 1 ? values[0] : k.Or(values);
        return F.ElemMatch(x => x.Keys, k.In(x => x.Role, filter.Roles) & value);
    }
}

/// <summary>
/// The opaque continuation: base64url of "{order}|{time}|{eventID}", the last event of the page in
/// query order; order r1 (record time ascending, UTC ms — the SQLite store's tokens have the same form), rd,
/// e1 (event time, ticks), ed. Earlier "v1" tokens (event time order) and tokens of another order are refused.
/// </summary>
public static class PageTokens
{
    public readonly record struct Position(long Time, string EventId);

    public static string Encode(string order, Position p) =>
        Base64Url(System.Text.Encoding.UTF8.GetBytes(
            $"{order}|{p.Time.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{p.EventId}"));

    /// <exception cref="ArgumentException">the token was not made by <see cref="Encode"/> for this order.</exception>
    public static Position Decode(string token, string order)
    {
        string[] parts = [];
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token));
            parts = text.Split('|', 3);
            if (parts.Length == 3 && parts[0] == order && long.TryParse(parts[1], System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var value) && parts[2].Length > 0)
            {
                return new Position(value, parts[2]);
            }
        }
        catch (FormatException)
        {
        }
        if (parts.Length == 3 && EventOrderTags.IsTag(parts[0]))
            throw new ArgumentException($"The page token continues another order ({parts[0]}) than this query's ({order}): keep orderBy and orderDirection while paging.", nameof(token));
        throw new ArgumentException("The page token is not valid.", nameof(token));
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
