using Traceability.Domain.Epcis;

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
    public async Task Paging_through_250_events_returns_each_once_in_capture_order()
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
