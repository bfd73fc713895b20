namespace Traceability.Storage;

/// <summary>
/// One page of a query, the same on every provider: the store reads its indexed matches in query order, and
/// <see cref="EventQuery.Filter"/> (when there is one) keeps those the parsed event passes. A filtered page is
/// filled by reading on in batches until it has perPage events or the events end, so a page is short only at
/// the end. The next-page token continues after the page's last event when the page is full (what follows is
/// read again next time: nothing skipped); at the end, with <see cref="EventQuery.TokenAfterLastEvent"/>, after
/// the last event read even if the filter rejected it, so a subscription's cursor moves past what it will
/// never deliver instead of reading it again every round.
/// </summary>
public static class EventPages
{
    /// <summary>Rows read per round when a filter rejects some (a page needs at least perPage + 1).</summary>
    public const int FilteredBatch = 256;

    /// <param name="read">
    /// The store's indexed matches in query order after a token (null: from the query's own PageToken, or the
    /// start), at most <c>limit</c> of them, each with the token that continues after it.
    /// </param>
    public static async Task<EventPage> ReadAsync(EventQuery query, int perPage,
        Func<string?, int, CancellationToken, Task<IReadOnlyList<(StoredEvent Event, string Token)>>> read, CancellationToken ct)
    {
        var filter = query.Filter is { IsEmpty: false } f ? f : null;
        // Unfiltered, one read of perPage + 1 tells whether another page follows.
        var batch = filter is null ? perPage + 1 : Math.Max(perPage + 1, FilteredBatch);
        var page = new List<(StoredEvent Event, string Token)>(Math.Min(perPage, 1024));
        string? position = query.PageToken, lastRead = null;
        var more = false;
        while (true)
        {
            var rows = await read(position, batch, ct).ConfigureAwait(false);
            foreach (var row in rows)
            {
                if (filter is null || filter.Matches(row.Event.Json))
                {
                    if (page.Count == perPage)
                    {
                        more = true;
                        break;
                    }
                    page.Add(row);
                }
                lastRead = row.Token;
            }
            if (more || rows.Count < batch) break;
            position = rows[^1].Token;
        }
        var next = more ? page[^1].Token : query.TokenAfterLastEvent ? lastRead : null;
        return new EventPage([.. page.Select(r => r.Event)], next);
    }
}
