namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Captured_events_read_back_with_their_keys_and_job()
    {
        var store = await OpenSeededAsync();
        var ev = NewEvent("urn:uuid:1", "p1", new EventKey("01/09506000134352/21/1", EventKeyRole.Epc),
            new EventKey(LotKey.Of("09506000134352", "L1"), EventKeyRole.Lot)) with
        {
            EventTime = T0.AddHours(1), RecordTime = T0.AddHours(2), ReadPoint = "rp", BizLocation = "loc", CaptureId = "c1",
        };

        var result = await CaptureAsync(store, [ev], captureId: "c1");

        Assert.Equal(new CaptureResult(1, 0), result);
        var read = await store.Events.GetEventAsync("urn:uuid:1", Ct);
        Assert.NotNull(read);
        Assert.Equal(ev with { Keys = [] }, read with { Keys = [] });
        Assert.Equal(ev.Keys, read.Keys);
        var job = await store.Events.GetCaptureJobAsync("c1", Ct);
        Assert.NotNull(job);
        Assert.Equal((true, false, 1, 0), (job.Success, job.Running, job.EventCount, job.DuplicateCount));
        Assert.Equal(1, await store.Events.CountEventsAsync(Ct));
        Assert.Null(await store.Events.GetEventAsync("urn:uuid:unknown", Ct));
        var batch = await store.Events.GetEventsAsync(["urn:uuid:unknown", "urn:uuid:1"], Ct);
        Assert.Equal(read, Assert.Single(batch), (a, b) => a with { Keys = [] } == b with { Keys = [] } && a.Keys.SequenceEqual(b.Keys));
        Assert.Empty(await store.Events.GetEventsAsync([], Ct));
    }

    [Fact]
    public async Task A_rejected_capture_is_recorded_as_a_failed_job_without_events()
    {
        var store = await OpenSeededAsync();
        var job = new CaptureJob("c-bad", "p1", false, false, T0, T0.AddSeconds(1),
            ["eventList[3].bizStep: unknown CBV business step 'harvestin'"], 12, 0);

        Assert.Equal(new CaptureResult(0, 0), await store.Events.CaptureAsync(job, [], [], Ct));

        Assert.Equal(job with { Errors = [] }, (await store.Events.GetCaptureJobAsync("c-bad", Ct))! with { Errors = [] });
        Assert.Equal(job.Errors, (await store.Events.GetCaptureJobAsync("c-bad", Ct))!.Errors);
        Assert.Equal(0, await store.Events.CountEventsAsync(Ct));
    }

    [Fact]
    public async Task Capturing_the_same_events_twice_stores_them_once_and_counts_duplicates()
    {
        var store = await OpenSeededAsync();
        var events = Enumerable.Range(0, 20).Select(i => NewEvent($"urn:uuid:{i}")).ToList();
        var announce = events.Select(e => EventMessage(e.EventId, "lot")).ToList();
        await CaptureAsync(store, events, announce, "c1");

        var again = await CaptureAsync(store, events, announce, "c2");

        Assert.Equal(new CaptureResult(0, 20), again);
        Assert.Equal(20, await store.Events.CountEventsAsync(Ct));
        Assert.Equal(20, (await store.Events.GetCaptureJobAsync("c2", Ct))!.DuplicateCount);
        Assert.Equal(20, (await store.Outbox.GetStatusAsync(T0, Ct)).Pending);
    }

    [Fact]
    public async Task A_duplicate_inside_one_batch_is_stored_once_and_announced_once()
    {
        var store = await OpenSeededAsync();
        await CaptureAsync(store, [NewEvent("urn:uuid:old")], [EventMessage("urn:uuid:old", "lot")], "c0");
        var batch = new[] { NewEvent("urn:uuid:a"), NewEvent("urn:uuid:a"), NewEvent("urn:uuid:old"), NewEvent("urn:uuid:b") };

        var result = await CaptureAsync(store, batch,
            [EventMessage("urn:uuid:a", "lot"), EventMessage("urn:uuid:old", "lot"), EventMessage("urn:uuid:b", "lot")]);

        Assert.Equal(new CaptureResult(2, 2), result);
        Assert.Equal(3, await store.Events.CountEventsAsync(Ct));
        Assert.Equal(3, (await store.Outbox.GetStatusAsync(T0, Ct)).Pending);
    }

    [Fact]
    public async Task A_capture_that_fails_mid_batch_stores_nothing()
    {
        var store = await OpenSeededAsync();
        var events = Enumerable.Range(0, 10).Select(i => NewEvent($"urn:uuid:{i}",
            keys: new EventKey(LotKey.Of(Gtin(1), "L1"), EventKeyRole.Lot))).ToList();
        events[6] = RejectedEvent(events[6]);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            CaptureAsync(store, events, events.Select(e => EventMessage(e.EventId, "lot")).ToList(), "c-failed"));

        Assert.Equal(0, await store.Events.CountEventsAsync(Ct));
        Assert.Null(await store.Events.GetEventAsync("urn:uuid:0", Ct));
        Assert.Empty(await store.Events.GetEventsForLotAsync(LotKey.Of(Gtin(1), "L1"), Ct));
        Assert.Null(await store.Outbox.GetOutboxRowAsync(OutboxKind.Event, "urn:uuid:0", Ct));
        Assert.Null(await store.Events.GetCaptureJobAsync("c-failed", Ct));
        // The store is still usable afterwards.
        Assert.Equal(new CaptureResult(1, 0), await CaptureAsync(store, [events[0]], captureId: "c-ok"));
    }

    [Fact]
    public async Task Paging_through_250_events_returns_each_once_in_eventID_order_at_one_record_time()
    {
        var store = await OpenSeededAsync();
        var ids = Enumerable.Range(0, 250).Select(i => $"urn:uuid:{i:D3}").ToList();
        await CaptureAsync(store, ids.Select(id => NewEvent(id)).ToList());

        var seen = new List<string>();
        var pageSizes = new List<int>();
        string? token = null;
        do
        {
            var page = await store.Events.QueryEventsAsync(new EventQuery { PerPage = 100, PageToken = token }, Ct);
            seen.AddRange(page.Events.Select(e => e.EventId));
            pageSizes.Add(page.Events.Count);
            token = page.NextPageToken;
        }
        while (token is not null && pageSizes.Count < 10);

        Assert.Equal([100, 100, 50], pageSizes);
        Assert.Equal(ids, seen);
    }

    // ---- one order and one time format on every provider (docs/DESIGN.md, "EPCIS query order and times") ----

    private static readonly TimeSpan Hanoi = TimeSpan.FromHours(7);

    /// <summary>The same instant and the same offset: DateTimeOffset's own equality ignores the offset.</summary>
    private static string Exact(DateTimeOffset t) => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Queries_return_events_by_record_time_then_eventID_whatever_their_event_time_or_capture_order()
    {
        var store = await OpenSeededAsync();
        var r = T0.AddDays(1);
        // Captured in this order; event times run backwards and carry other offsets than the record times.
        await CaptureAsync(store,
        [
            NewEvent("urn:uuid:c") with { EventTime = new DateTimeOffset(2026, 3, 1, 9, 0, 0, Hanoi), RecordTime = r.AddSeconds(2) },
            NewEvent("urn:uuid:a") with { EventTime = new DateTimeOffset(2026, 2, 1, 9, 0, 0, Hanoi), RecordTime = r.AddSeconds(2) },
        ], captureId: "c1");
        await CaptureAsync(store,
        [
            NewEvent("urn:uuid:z") with { EventTime = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.FromHours(-5)), RecordTime = r },
            NewEvent("urn:uuid:b") with { EventTime = new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero), RecordTime = r.AddMilliseconds(1) },
        ], captureId: "c2");
        await CaptureAsync(store,
            [NewEvent("urn:uuid:m") with { EventTime = new DateTimeOffset(2025, 11, 1, 9, 0, 0, Hanoi), RecordTime = r.AddSeconds(1) }],
            captureId: "c3");

        string[] expected = ["urn:uuid:z", "urn:uuid:b", "urn:uuid:m", "urn:uuid:a", "urn:uuid:c"];
        Assert.Equal(expected, (await store.Events.QueryEventsAsync(new EventQuery(), Ct)).Events.Select(e => e.EventId));
        Assert.Equal(expected, (await store.Events.QueryEventsAsync(new EventQuery { ProducerId = "p1" }, Ct)).Events.Select(e => e.EventId));
        Assert.Equal(["urn:uuid:m", "urn:uuid:a", "urn:uuid:c"],
            (await store.Events.QueryEventsAsync(new EventQuery { GeRecordTime = r.AddSeconds(1) }, Ct)).Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task Event_and_record_times_read_back_with_the_offset_they_were_captured_with()
    {
        var store = await OpenSeededAsync();
        var lot = LotKey.Of(Gtin(1), "L1");
        var times = new (string Id, DateTimeOffset EventTime, DateTimeOffset RecordTime)[]
        {
            ("urn:uuid:hanoi", new DateTimeOffset(2026, 3, 1, 7, 30, 0, 123, Hanoi), new DateTimeOffset(2026, 3, 1, 9, 0, 0, Hanoi)),
            ("urn:uuid:utc", new DateTimeOffset(2026, 3, 1, 0, 45, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 2, 0, 1, TimeSpan.Zero)),
            ("urn:uuid:new-york", new DateTimeOffset(2026, 2, 28, 19, 0, 0, TimeSpan.FromHours(-5)), new DateTimeOffset(2026, 3, 1, 2, 0, 2, TimeSpan.Zero)),
            ("urn:uuid:kathmandu", new DateTimeOffset(2026, 3, 1, 6, 15, 0, new TimeSpan(5, 45, 0)), new DateTimeOffset(2026, 3, 1, 2, 0, 3, TimeSpan.Zero)),
        };
        await CaptureAsync(store, [.. times.Select(t => NewEvent(t.Id, keys: new EventKey(lot, EventKeyRole.Lot)) with
            { EventTime = t.EventTime, RecordTime = t.RecordTime })]);

        var expected = times.Select(t => (t.Id, Exact(t.EventTime), Exact(t.RecordTime))).ToList();
        static (string, string, string) Shape(StoredEvent e) => (e.EventId, Exact(e.EventTime), Exact(e.RecordTime));
        Assert.Equal(expected, (await store.Events.QueryEventsAsync(new EventQuery(), Ct)).Events.Select(Shape));
        Assert.Equal(expected.OrderBy(e => e.Id, StringComparer.Ordinal),
            (await store.Events.GetEventsAsync([.. times.Select(t => t.Id)], Ct)).Select(Shape).OrderBy(e => e.Item1, StringComparer.Ordinal));
        Assert.Equal(expected.OrderBy(e => e.Id, StringComparer.Ordinal),
            (await store.Events.GetEventsForLotAsync(lot, Ct)).Select(Shape).OrderBy(e => e.Item1, StringComparer.Ordinal));
        foreach (var t in times)
            Assert.Equal((t.Id, Exact(t.EventTime), Exact(t.RecordTime)), Shape((await store.Events.GetEventAsync(t.Id, Ct))!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Paging_across_equal_record_times_never_skips_or_repeats_an_event(int perPage)
    {
        var store = await OpenSeededAsync();
        var r = T0.AddDays(2);
        // Seven events share one record time (one capture, ids not in order), between one earlier and one later.
        string[] shared = ["urn:uuid:s5", "urn:uuid:s1", "urn:uuid:s7", "urn:uuid:s3", "urn:uuid:s2", "urn:uuid:s6", "urn:uuid:s4"];
        await CaptureAsync(store, [NewEvent("urn:uuid:z-later") with { RecordTime = r.AddMilliseconds(1) }], captureId: "c-later");
        await CaptureAsync(store, [.. shared.Select(id => NewEvent(id) with { RecordTime = r, EventTime = T0.AddMinutes('9' - id[^1]) })], captureId: "c-shared");
        await CaptureAsync(store, [NewEvent("urn:uuid:z-earlier") with { RecordTime = r.AddMilliseconds(-1) }], captureId: "c-earlier");

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.Events.QueryEventsAsync(new EventQuery { PerPage = perPage, PageToken = token }, Ct);
            Assert.True(page.Events.Count <= perPage);
            seen.AddRange(page.Events.Select(e => e.EventId));
            token = page.NextPageToken;
            if (pages++ == 0)
            {
                // Captured while the client pages, with a later record time: it comes on a later page.
                await CaptureAsync(store, [NewEvent("urn:uuid:a-newest") with { RecordTime = r.AddSeconds(1) }], captureId: "c-newest");
            }
        }
        while (token is not null && pages < 20);

        Assert.Equal(["urn:uuid:z-earlier", .. shared.Order(StringComparer.Ordinal), "urn:uuid:z-later", "urn:uuid:a-newest"], seen);
    }

    [Theory]
    [InlineData(EventOrder.EventTime, true)]
    [InlineData(EventOrder.EventTime, false)]
    [InlineData(EventOrder.RecordTime, true)]
    public async Task OrderBy_and_direction_page_without_skipping_and_a_token_keeps_its_order(EventOrder orderBy, bool descending)
    {
        var store = await OpenSeededAsync();
        // Event times against record times; three events share one event time, two one record time.
        var events = new[]
        {
            NewEvent("urn:uuid:a") with { EventTime = T0.AddHours(3), RecordTime = T0.AddDays(1) },
            NewEvent("urn:uuid:b") with { EventTime = T0.AddHours(1), RecordTime = T0.AddDays(2) },
            NewEvent("urn:uuid:c") with { EventTime = T0.AddHours(1), RecordTime = T0.AddDays(2) },
            NewEvent("urn:uuid:d") with { EventTime = T0.AddHours(1), RecordTime = T0.AddDays(3) },
            NewEvent("urn:uuid:e") with { EventTime = T0.AddHours(2).ToOffset(TimeSpan.FromHours(7)), RecordTime = T0.AddDays(4) },
        };
        for (var i = 0; i < events.Length; i++) await CaptureAsync(store, [events[i]], captureId: $"c{i}");
        var ordered = events.OrderBy(e => (orderBy == EventOrder.EventTime ? e.EventTime : e.RecordTime).UtcTicks)
            .ThenBy(e => e.EventId, StringComparer.Ordinal).Select(e => e.EventId).ToList();
        if (descending) ordered.Reverse();

        var seen = new List<string>();
        string? token = null;
        var query = new EventQuery { ProducerId = "p1", PerPage = 2, OrderBy = orderBy, Descending = descending };
        do
        {
            var page = await store.Events.QueryEventsAsync(query with { PageToken = token }, Ct);
            seen.AddRange(page.Events.Select(e => e.EventId));
            token = page.NextPageToken;
            if (token is not null)
                await Assert.ThrowsAsync<ArgumentException>(() => store.Events.QueryEventsAsync(query with { PageToken = token, Descending = !descending }, Ct));
        }
        while (token is not null && seen.Count < 20);
        Assert.Equal(ordered, seen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public async Task A_filtered_query_reads_on_to_fill_its_pages_and_never_skips_or_repeats(int perPage)
    {
        var store = await OpenSeededAsync();
        // 600 events a minute apart; the filter passes every hundredth, so a page needs several read batches.
        var events = Enumerable.Range(0, 600).Select(i => FilterEvent(i, keep: i % 100 == 0)).ToList();
        await CaptureAsync(store, events);
        var query = new EventQuery { PerPage = perPage, Filter = Keep() };

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.Events.QueryEventsAsync(query with { PageToken = token }, Ct);
            token = page.NextPageToken;
            // Only the last page may be short.
            Assert.Equal(token is null ? 6 - (pages * perPage) : perPage, page.Events.Count);
            seen.AddRange(page.Events.Select(e => e.EventId));
            pages++;
        }
        while (token is not null && pages < 20);

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"urn:uuid:f{i * 100:D3}"), seen);
        Assert.Equal((6 + perPage - 1) / perPage, pages);
    }

    [Fact]
    public async Task A_filtered_subscription_round_moves_its_token_past_the_events_the_filter_rejected()
    {
        var store = await OpenSeededAsync();
        await CaptureAsync(store, [.. Enumerable.Range(0, 300).Select(i => FilterEvent(i, keep: i is 7 or 150))]);
        var query = new EventQuery { PerPage = 10, Filter = Keep(), TokenAfterLastEvent = true };

        var first = await store.Events.QueryEventsAsync(query, Ct);
        Assert.Equal(["urn:uuid:f007", "urn:uuid:f150"], first.Events.Select(e => e.EventId));
        Assert.NotNull(first.NextPageToken); // after f299, the last event read, which the filter rejected

        await CaptureAsync(store, [FilterEvent(300, keep: false), FilterEvent(301, keep: true)], captureId: "c2");
        var next = await store.Events.QueryEventsAsync(query with { PageToken = first.NextPageToken }, Ct);
        Assert.Equal(["urn:uuid:f301"], next.Events.Select(e => e.EventId));

        // Without TokenAfterLastEvent (an API query) the last page has no token.
        Assert.Null((await store.Events.QueryEventsAsync(query with { TokenAfterLastEvent = false }, Ct)).NextPageToken);
    }

    private static EventPredicate Keep()
    {
        var filter = new EventPredicate();
        Assert.True(filter.TryAdd("EXISTS_ex:keep", [], null, out var error));
        Assert.Null(error);
        return filter;
    }

    /// <summary>An event whose JSON is a real EPCIS event (the filter parses it), kept or not by <see cref="Keep"/>.</summary>
    private static StoredEvent FilterEvent(int i, bool keep)
    {
        var id = $"urn:uuid:f{i:D3}";
        var json = $$"""
            {"@context":[{"ex":"https://ns.example.com/epcis/"}],"type":"ObjectEvent","eventID":"{{id}}","eventTime":"2026-01-01T00:00:00Z",
             "eventTimeZoneOffset":"+00:00","epcList":["urn:epc:id:sgtin:0614141.107346.{{i}}"],"action":"OBSERVE"{{(keep ? ",\"ex:keep\":true" : "")}}}
            """;
        return NewEvent(id) with { RecordTime = T0.AddMinutes(i), Json = json };
    }

    [Fact]
    public async Task Distinct_event_values_are_listed_per_producer_in_ordinal_order()
    {
        var store = await OpenSeededAsync();
        await CaptureAsync(store,
        [
            NewEvent("urn:uuid:v1", "p1", new EventKey("01/09506000134352/21/2", EventKeyRole.Epc), new EventKey("01/09506000134352/10/L1", EventKeyRole.Lot))
                with { ReadPoint = "414/9506000000019", BizLocation = "urn:x:loc:1" },
            NewEvent("urn:uuid:v2", "p1", new EventKey("01/09506000134352/10/L1", EventKeyRole.Class), new EventKey("01/09506000134352/21/1", EventKeyRole.Input))
                with { BizStep = "receiving", Disposition = null, ReadPoint = "414/9506000000019" },
            NewEvent("urn:uuid:v3", "p2", new EventKey("01/09506000999999/21/9", EventKeyRole.Epc)) with { BizStep = "packing", BizLocation = "urn:x:loc:2" },
        ]);
        async Task<IReadOnlyList<string>> List(string? producer, EventValueKind kind, int limit = 100) =>
            await store.Events.ListEventValuesAsync(producer, kind, limit, Ct);

        Assert.Equal(["receiving", "shipping"], await List("p1", EventValueKind.BizStep));
        Assert.Equal(["packing", "receiving", "shipping"], await List(null, EventValueKind.BizStep));
        Assert.Equal(["packing"], await List(null, EventValueKind.BizStep, 1));
        Assert.Equal(["in_transit"], await List("p1", EventValueKind.Disposition));
        Assert.Equal(["414/9506000000019"], await List("p1", EventValueKind.ReadPoint));
        Assert.Equal(["urn:x:loc:1"], await List("p1", EventValueKind.BizLocation));
        Assert.Equal(["01/09506000134352/10/L1", "01/09506000134352/21/1", "01/09506000134352/21/2"], await List("p1", EventValueKind.Epc));
        Assert.Empty(await List("p3", EventValueKind.Epc));
    }

    [Fact]
    public async Task A_full_last_page_has_no_next_token()
    {
        var store = await OpenSeededAsync();
        await CaptureAsync(store, Enumerable.Range(0, 10).Select(i => NewEvent($"urn:uuid:{i}")).ToList());

        var page = await store.Events.QueryEventsAsync(new EventQuery { PerPage = 10 }, Ct);

        Assert.Equal(10, page.Events.Count);
        Assert.Null(page.NextPageToken);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("bm90LWEtbnVtYmVy")] // base64 of "not-a-number"
    [InlineData("MjUw")] // base64 of "250": the SQLite store's tokens before record-time order
    [InlineData("djF8NjM5MDAwMDAwMDAwMDAwMDAwfHVybjp1dWlkOjE")] // base64url of "v1|639000000000000000|urn:uuid:1": the Mongo store's, by event time
    public async Task An_invalid_page_token_is_an_argument_error(string token)
    {
        var store = await OpenSeededAsync();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            store.Events.QueryEventsAsync(new EventQuery { PageToken = token }, Ct));

        Assert.Contains("token", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string[]> Filters => new()
    {
        { "eventType=ObjectEvent", ["e1", "e3"] },
        { "eventType=ObjectEvent|TransformationEvent", ["e1", "e3", "e4"] },
        { "GE_eventTime=2h", ["e2", "e3", "e4"] },
        { "GE_eventTime=2h&LT_eventTime=4h", ["e2", "e3"] },
        { "GE_recordTime=3h", ["e3", "e4"] },
        { "LT_recordTime=2h", ["e1"] },
        { "EQ_bizStep=commissioning", ["e1", "e4"] },
        { "EQ_bizStep=commissioning|packing", ["e1", "e2", "e4"] },
        { "EQ_disposition=in_transit", ["e3"] },
        { "EQ_bizLocation=loc2", ["e3", "e4"] },
        { "EQ_readPoint=rp1", ["e1", "e3"] },
        { "producer=p2", ["e3"] },
        { "MATCH_epc=01/G1/21/2", ["e2"] },
        { "MATCH_epc=01/G1/21/1|01/G1/21/2", ["e1", "e2"] },
        { "MATCH_epc=01/G1/21/*", ["e1", "e2"] },
        { "MATCH_anyEPC=01/G1/21/*", ["e1", "e2", "e4"] },
        { "MATCH_anyEPCClass=01/G2", ["e3", "e4"] },
        { "MATCH_epcClass=01/G2", ["e3"] },
        { "MATCH_lot=01/G1/10/L1&MATCH_epc=01/G1/21/2", ["e2"] },
        { "MATCH_lot=01/G1/10/L1&MATCH_epc=01/G1/21/3", [] },
        { "producer=p1&MATCH_lot=01/G1/10/L1&EQ_bizStep=packing", ["e2"] },
        { "MATCH_epc=nothing", [] },
        { "EQ_action=ADD", ["e2"] },
        { "EQ_action=OBSERVE|DELETE", ["e1", "e3"] },
        { "EQ_eventID=e3|e1", ["e1", "e3"] },
        { "EQ_eventID=e4&EQ_bizStep=commissioning", ["e4"] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Every_query_filter_selects_exactly_its_events(string filter, string[] expected)
    {
        var store = await OpenSeededAsync();
        await CaptureQueryFixtureAsync(store);

        var page = await store.Events.QueryEventsAsync(ParseFilter(filter), Ct);

        Assert.Equal(expected, page.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task Events_of_a_lot_come_oldest_first_whatever_the_role_of_the_lot()
    {
        var store = await OpenSeededAsync();
        var lot = LotKey.Of(Gtin(1), "L1");
        await CaptureAsync(store,
        [
            NewEvent("third", keys: new EventKey(lot, EventKeyRole.InputLot)) with { EventTime = T0.AddHours(3) },
            NewEvent("first", keys: new EventKey(lot, EventKeyRole.Lot)) with { EventTime = T0.AddHours(1) },
            NewEvent("other-lot", keys: new EventKey(LotKey.Of(Gtin(1), "L2"), EventKeyRole.Lot)) with { EventTime = T0 },
            NewEvent("not-a-lot-role", keys: new EventKey(lot, EventKeyRole.Epc)) with { EventTime = T0 },
            NewEvent("second", keys: new EventKey(lot, EventKeyRole.OutputLot)) with { EventTime = T0.AddHours(2) },
        ]);

        var events = await store.Events.GetEventsForLotAsync(lot, Ct);

        Assert.Equal(["first", "second", "third"], events.Select(e => e.EventId));
    }

    // e1..e4 captured in this order; times are T0 + n hours (record time one minute later).
    private static async Task CaptureQueryFixtureAsync(TraceStoreHandle store)
    {
        static StoredEvent At(StoredEvent e, int hours) =>
            e with { EventTime = T0.AddHours(hours), RecordTime = T0.AddHours(hours).AddMinutes(1) };
        await CaptureAsync(store,
        [
            At(NewEvent("e1", "p1", new("01/G1/21/1", EventKeyRole.Epc), new("01/G1/10/L1", EventKeyRole.Lot)) with
                { BizStep = "commissioning", Disposition = "active", ReadPoint = "rp1", BizLocation = "loc1" }, 1),
            At(NewEvent("e2", "p1", new("sscc-1", EventKeyRole.Parent), new("01/G1/21/2", EventKeyRole.Epc),
                new("01/G1/10/L1", EventKeyRole.Lot)) with
                { EventType = "AggregationEvent", Action = "ADD", BizStep = "packing", Disposition = "in_progress", ReadPoint = "rp2", BizLocation = "loc1" }, 2),
            At(NewEvent("e3", "p2", new("01/G2", EventKeyRole.Class), new("01/G2/10/L9", EventKeyRole.Lot)) with
                { BizStep = "shipping", Disposition = "in_transit", ReadPoint = "rp1", BizLocation = "loc2" }, 3),
            At(NewEvent("e4", "p1", new("01/G2", EventKeyRole.InputClass), new("01/G2/10/L9", EventKeyRole.InputLot),
                new("01/G1/10/L2", EventKeyRole.OutputLot), new("01/G1/21/3", EventKeyRole.Output)) with
                { EventType = "TransformationEvent", Action = null, BizStep = "commissioning", Disposition = "active", BizLocation = "loc2" }, 4),
        ]);
    }

    /// <summary>A compact, EPCIS-like notation for the filter cases: name=v1|v2, joined with '&amp;'.</summary>
    private static EventQuery ParseFilter(string filter)
    {
        var query = new EventQuery();
        var keyFilters = new List<KeyFilter>();
        foreach (var part in filter.Split('&'))
        {
            var (name, value) = (part[..part.IndexOf('=')], part[(part.IndexOf('=') + 1)..]);
            var values = value.Split('|');
            query = name switch
            {
                "eventType" => query with { EventTypes = values },
                "GE_eventTime" => query with { GeEventTime = T0.AddHours(int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture)) },
                "LT_eventTime" => query with { LtEventTime = T0.AddHours(int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture)) },
                "GE_recordTime" => query with { GeRecordTime = T0.AddHours(int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture)) },
                "LT_recordTime" => query with { LtRecordTime = T0.AddHours(int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture)) },
                "EQ_bizStep" => query with { BizSteps = values },
                "EQ_disposition" => query with { Dispositions = values },
                "EQ_bizLocation" => query with { BizLocations = values },
                "EQ_readPoint" => query with { ReadPoints = values },
                "EQ_action" => query with { Actions = values },
                "EQ_eventID" => query with { EventIds = values },
                "producer" => query with { ProducerId = value },
                _ => query,
            };
            EventKeyRole[]? roles = name switch
            {
                "MATCH_epc" => [EventKeyRole.Epc],
                "MATCH_anyEPC" => [EventKeyRole.Epc, EventKeyRole.Parent, EventKeyRole.Input, EventKeyRole.Output],
                "MATCH_epcClass" => [EventKeyRole.Class],
                "MATCH_anyEPCClass" => [EventKeyRole.Class, EventKeyRole.InputClass, EventKeyRole.OutputClass],
                "MATCH_lot" => [EventKeyRole.Lot, EventKeyRole.InputLot, EventKeyRole.OutputLot],
                _ => null,
            };
            if (roles is not null)
            {
                keyFilters.Add(new KeyFilter(roles, values));
            }
        }
        return query with { KeyFilters = keyFilters };
    }
}
