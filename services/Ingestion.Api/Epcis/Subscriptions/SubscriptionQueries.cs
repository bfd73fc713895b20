namespace Traceability.Ingestion.Api.Epcis.Subscriptions;

/// <summary>A subscription's next batch: its named query in record-time order, after its cursor, settled.</summary>
internal static class SubscriptionQueries
{
    public static EventQuery Next(EventQuery saved, string? cursor, DateTimeOffset since, DateTimeOffset now, SubscriptionOptions options)
    {
        var settled = now.AddSeconds(-options.SettleSeconds);
        return saved with
        {
            PageToken = cursor,
            GeRecordTime = cursor is null && (saved.GeRecordTime is null || saved.GeRecordTime < since) ? since : saved.GeRecordTime,
            LtRecordTime = saved.LtRecordTime is { } lt && lt < settled ? lt : settled,
            // The cursor is a position in record-time order: a saved orderBy or eventCountLimit does not apply to a stream.
            OrderBy = EventOrder.RecordTime,
            Descending = false,
            EventCountLimit = null,
            PerPage = options.MaxEventsPerDelivery,
            TokenAfterLastEvent = true,
        };
    }
}
