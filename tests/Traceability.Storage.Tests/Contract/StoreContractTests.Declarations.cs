using System.Text.Json.Nodes;

namespace Traceability.Storage.Tests.Contract;

/// <summary>EPCIS error declarations (EPCIS 2.0 §7.4.1.5): kept beside the event, read in the declared state, queried.</summary>
public abstract partial class StoreContractTests
{
    private static StoredEvent Original(string id, DateTimeOffset recordTime, string producerId = "p1") =>
        NewEvent(id, producerId, new EventKey(LotKey.Of("09506000134352", "L1"), EventKeyRole.Lot)) with
        {
            RecordTime = recordTime,
            Json = $$"""{"type":"ObjectEvent","eventID":"{{id}}","eventTime":"2026-03-01T08:00:00+07:00","recordTime":"{{recordTime:yyyy-MM-dd'T'HH:mm:ss.fffzzz}}","bizStep":"shipping"}""",
        };

    private static StoredDeclaration Declaration(string id, DateTimeOffset declared, string? reason, string[] corrective,
        string producerId = "p1", OutboxMessage? announce = null)
    {
        var node = new JsonObject { ["declarationTime"] = declared.ToString("yyyy-MM-dd'T'HH:mm:sszzz") };
        if (reason is not null) node["reason"] = reason;
        if (corrective.Length > 0) node["correctiveEventIDs"] = new JsonArray([.. corrective.Select(c => (JsonNode)c)]);
        var json = $$"""{"type":"ObjectEvent","eventID":"{{id}}","eventTime":"2026-03-01T08:00:00+07:00","recordTime":"2026-03-09T00:00:00.000+00:00","errorDeclaration":{{node.ToJsonString()}},"bizStep":"shipping"}""";
        return new StoredDeclaration(id, producerId, declared, reason, corrective, node.ToJsonString(), json, T0.AddDays(8), "c-decl", announce);
    }

    private static Task<CaptureResult> DeclareAsync(TraceStoreHandle store, params StoredDeclaration[] declarations) =>
        store.Events.CaptureAsync(NewJob("c-decl"), [], declarations, [], Ct);

    [Fact]
    public async Task An_error_declaration_is_kept_beside_the_event_which_then_reads_in_its_declared_state()
    {
        var store = await OpenSeededAsync();
        var original = Original("urn:uuid:e1", T0.AddHours(1));
        await CaptureAsync(store, [original]);

        var result = await DeclareAsync(store, Declaration("urn:uuid:e1", T0.AddDays(7), "incorrect_data", ["urn:uuid:fix1"]));

        Assert.Equal(new CaptureResult(1, 0), result);
        var job = (await store.Events.GetCaptureJobAsync("c-decl", Ct))!;
        Assert.Equal((1, 0), (job.EventCount, job.DuplicateCount));
        var read = (await store.Events.GetEventAsync("urn:uuid:e1", Ct))!;
        var json = JsonNode.Parse(read.Json)!;
        Assert.Equal("incorrect_data", (string?)json["errorDeclaration"]!["reason"]);
        Assert.Equal("urn:uuid:fix1", (string?)json["errorDeclaration"]!["correctiveEventIDs"]![0]);
        // The declared event keeps the original's record time (its place in query order) and indexed fields.
        Assert.Equal((string?)JsonNode.Parse(original.Json)!["recordTime"], (string?)json["recordTime"]);
        Assert.Equal(original with { Json = "", Keys = [] }, read with { Json = "", Keys = [] });
        Assert.Equal(read.Json, Assert.Single(await store.Events.GetEventsAsync(["urn:uuid:e1"], Ct)).Json);
        Assert.Equal(read.Json, Assert.Single(await store.Events.GetEventsForLotAsync(LotKey.Of("09506000134352", "L1"), Ct)).Json);
        Assert.Equal(1, await store.Events.CountEventsAsync(Ct));
    }

    [Fact]
    public async Task A_second_declaration_for_an_event_is_a_duplicate_and_the_first_stays()
    {
        var store = await OpenSeededAsync();
        await CaptureAsync(store, [Original("urn:uuid:e1", T0.AddHours(1))]);
        await DeclareAsync(store, Declaration("urn:uuid:e1", T0.AddDays(7), "incorrect_data", ["urn:uuid:fix1"]));

        var again = await DeclareAsync(store, Declaration("urn:uuid:e1", T0.AddDays(7), "incorrect_data", ["urn:uuid:fix1"]));
        var other = await DeclareAsync(store, Declaration("urn:uuid:e1", T0.AddDays(8), "did_not_occur", []));

        Assert.Equal(new CaptureResult(0, 1), again);
        Assert.Equal(new CaptureResult(0, 1), other);
        var json = JsonNode.Parse((await store.Events.GetEventAsync("urn:uuid:e1", Ct))!.Json)!;
        Assert.Equal("incorrect_data", (string?)json["errorDeclaration"]!["reason"]);
    }

    [Fact]
    public async Task A_declaration_for_an_event_that_is_not_stored_is_not_written()
    {
        var store = await OpenSeededAsync();

        var result = await DeclareAsync(store, Declaration("urn:uuid:ghost", T0.AddDays(7), "did_not_occur", []));

        Assert.Equal(0, result.Stored);
        Assert.Null(await store.Events.GetEventAsync("urn:uuid:ghost", Ct));
        Assert.Empty((await store.Events.QueryEventsAsync(new EventQuery { ErrorDeclared = true }, Ct)).Events);
    }

    [Fact]
    public async Task A_declaration_in_the_same_capture_as_its_event_is_written_after_it()
    {
        var store = await OpenSeededAsync();
        var original = Original("urn:uuid:e1", T0.AddHours(1));

        var result = await store.Events.CaptureAsync(NewJob("c-both"), [original, NewEvent("urn:uuid:fix1")],
            [Declaration("urn:uuid:e1", T0.AddDays(7), "incorrect_data", ["urn:uuid:fix1"])], [], Ct);

        Assert.Equal(new CaptureResult(3, 0), result);
        Assert.Equal(3, (await store.Events.GetCaptureJobAsync("c-both", Ct))!.EventCount);
        Assert.NotNull(JsonNode.Parse((await store.Events.GetEventAsync("urn:uuid:e1", Ct))!.Json)!["errorDeclaration"]);
    }

    [Fact]
    public async Task Queries_filter_on_error_declarations_reason_corrective_events_and_declaration_time()
    {
        var store = await OpenSeededAsync();
        await CaptureAsync(store, [Original("urn:uuid:a", T0.AddHours(1)), Original("urn:uuid:b", T0.AddHours(2)),
            Original("urn:uuid:c", T0.AddHours(3)), Original("urn:uuid:d", T0.AddHours(4), producerId: "p2")]);
        await DeclareAsync(store,
            Declaration("urn:uuid:a", T0.AddDays(5), "incorrect_data", ["urn:uuid:c", "urn:uuid:x"]),
            Declaration("urn:uuid:b", T0.AddDays(6), "did_not_occur", []),
            Declaration("urn:uuid:d", T0.AddDays(7), "https://example.org/er/custom", ["urn:uuid:y"], producerId: "p2"));

        async Task<string[]> Ids(EventQuery q) => [.. (await store.Events.QueryEventsAsync(q, Ct)).Events.Select(e => e.EventId)];

        Assert.Equal(["urn:uuid:a", "urn:uuid:b", "urn:uuid:d"], await Ids(new EventQuery { ErrorDeclared = true }));
        Assert.Equal(["urn:uuid:a", "urn:uuid:b"], await Ids(new EventQuery { ErrorDeclared = true, ProducerId = "p1" }));
        Assert.Equal(["urn:uuid:a"], await Ids(new EventQuery { ErrorReasons = ["incorrect_data"] }));
        Assert.Equal(["urn:uuid:b", "urn:uuid:d"], await Ids(new EventQuery { ErrorReasons = ["did_not_occur", "https://example.org/er/custom"] }));
        Assert.Equal(["urn:uuid:a"], await Ids(new EventQuery { CorrectiveEventIds = ["urn:uuid:c"] }));
        Assert.Equal(["urn:uuid:a", "urn:uuid:d"], await Ids(new EventQuery { CorrectiveEventIds = ["urn:uuid:x", "urn:uuid:y"] }));
        Assert.Equal(["urn:uuid:b", "urn:uuid:d"], await Ids(new EventQuery { GeErrorDeclarationTime = T0.AddDays(6) }));
        Assert.Equal(["urn:uuid:a", "urn:uuid:b"], await Ids(new EventQuery { LtErrorDeclarationTime = T0.AddDays(7) }));
        Assert.Equal(["urn:uuid:b"], await Ids(new EventQuery
        {
            GeErrorDeclarationTime = T0.AddDays(6), LtErrorDeclarationTime = T0.AddDays(7), EventIds = ["urn:uuid:b", "urn:uuid:c"],
        }));
        Assert.Empty(await Ids(new EventQuery { ErrorReasons = ["did_not_occur"], CorrectiveEventIds = ["urn:uuid:c"] }));
        // Paging through declared events keeps the query order (record time, then eventID).
        var first = await store.Events.QueryEventsAsync(new EventQuery { ErrorDeclared = true, PerPage = 2 }, Ct);
        Assert.Equal(["urn:uuid:a", "urn:uuid:b"], first.Events.Select(e => e.EventId));
        Assert.Equal(["urn:uuid:d"], await Ids(new EventQuery { ErrorDeclared = true, PerPage = 2, PageToken = first.NextPageToken }));
    }

    [Fact]
    public async Task A_declaration_announces_its_event_again_once_the_first_push_is_done()
    {
        var store = await OpenSeededAsync();
        var message = new OutboxMessage(OutboxKind.Event, "urn:uuid:e1", null, null, null);
        await CaptureAsync(store, [Original("urn:uuid:e1", T0.AddHours(1))], [message]);
        var first = Assert.Single(await store.Outbox.LeaseAsync("w1", 10, T0, TimeSpan.FromMinutes(1), Ct));
        Assert.True(await store.Outbox.MarkSyncedAsync(first.Id, "w1", "SK-1", T0, Ct));
        Assert.Equal(0, (await store.Outbox.GetStatusAsync(T0, Ct)).Pending);

        await DeclareAsync(store, Declaration("urn:uuid:e1", T0.AddDays(7), "incorrect_data", [], announce: message));
        await DeclareAsync(store, Declaration("urn:uuid:e1", T0.AddDays(7), "incorrect_data", [], announce: message));

        Assert.Equal(1, (await store.Outbox.GetStatusAsync(T0, Ct)).Pending);
        var again = Assert.Single(await store.Outbox.LeaseAsync("w1", 10, T0.AddSeconds(1), TimeSpan.FromMinutes(1), Ct));
        Assert.Equal((OutboxKind.Event, "urn:uuid:e1"), (again.Kind, again.Key));
    }
}
