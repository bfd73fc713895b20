namespace Traceability.Storage.Mongo.Tests;

/// <summary>
/// Every filter, sort, update and pipeline the store sends, rendered through the class maps and
/// compared with the expected command JSON: a wrong field name, a wrong enum representation or
/// a wrong operator fails here without a server.
/// </summary>
public sealed class RenderedQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.UtcTicks;

    private static string Time(DateTimeOffset at) =>
        $$"""{ "date": { "$date": "{{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff}}Z" }, "ticks": {{at.UtcTicks}}, "offset": {{(int)at.Offset.TotalMinutes}} }""";

    // ---- outbox (the same paths in every host collection) ----


    [Fact]
    public void Claimable_rows_are_pending_and_due_or_in_flight_with_an_expired_lease()
    {
        var expected = $$"""
            { "$or": [
                { "outbox.state": "Pending", "outbox.nextAttemptAt.ticks": { "$lte": {{T}} } },
                { "outbox.state": "InFlight", "outbox.leaseUntil.ticks": { "$lte": {{T}} } } ] }
            """;
        Render.Equal(expected, Render.Filter(OutboxQueries<ProductDoc>.Claimable(Now)));
        Render.Equal(expected, Render.Filter(OutboxQueries<LotDoc>.Claimable(Now)));
        Render.Equal(expected, Render.Filter(OutboxQueries<EventDoc>.Claimable(Now)));
    }

    [Fact]
    public void Claiming_one_row_rechecks_the_claimable_condition_on_that_document()
    {
        Render.Equal($$"""
            { "_id": "01/08930000000013/10/L1", "$or": [
                { "outbox.state": "Pending", "outbox.nextAttemptAt.ticks": { "$lte": {{T}} } },
                { "outbox.state": "InFlight", "outbox.leaseUntil.ticks": { "$lte": {{T}} } } ] }
            """, Render.Filter(OutboxQueries<LotDoc>.ClaimOne("01/08930000000013/10/L1", Now)));
    }

    [Fact]
    public void Claim_sets_in_flight_owner_and_lease_expiry()
    {
        var until = Now.AddMinutes(5);
        Render.Equal($$"""
            { "$set": { "outbox.state": "InFlight", "outbox.leaseOwner": "worker-1", "outbox.leaseUntil": {{Time(until)}} } }
            """, Render.Update(OutboxQueries<EventDoc>.Claim("worker-1", until)));
    }

    [Fact]
    public void Outbox_operations_read_only_the_id_and_the_row()
    {
        Render.Equal("""{ "_id": 1, "outbox": 1 }""", Render.Projection(OutboxQueries<EventDoc>.IdAndOutbox));
        Render.Equal("""{ "_id": 1, "outbox": 1 }""", Render.Projection(OutboxQueries<ProductDoc>.IdAndOutbox));
    }

    [Fact]
    public void Candidates_are_read_oldest_first()
    {
        Render.Equal("""{ "outbox.createdAt.ticks": 1, "_id": 1 }""", Render.Sort(OutboxQueries<EventDoc>.Oldest));
    }

    [Fact]
    public void Lease_holder_filter_names_id_state_and_owner()
    {
        Render.Equal("""{ "_id": "e1", "outbox.state": "InFlight", "outbox.leaseOwner": "worker-1" }""",
            Render.Filter(OutboxQueries<EventDoc>.HeldBy("e1", "worker-1")));
    }

    [Fact]
    public void Synced_keeps_the_portal_id_and_clears_the_lease()
    {
        Render.Equal("""
            { "$set": { "outbox.state": "Synced", "outbox.portalId": "SP-1", "outbox.lastError": null,
                        "outbox.leaseUntil": null, "outbox.leaseOwner": null } }
            """, Render.Update(OutboxQueries<ProductDoc>.Synced("SP-1")));
    }

    [Fact]
    public void Release_reschedules_counts_the_attempt_and_keeps_the_error()
    {
        var retry = Now.AddSeconds(30);
        Render.Equal($$"""
            { "$set": { "outbox.state": "Pending", "outbox.nextAttemptAt": {{Time(retry)}}, "outbox.lastError": "HTTP 503",
                        "outbox.leaseUntil": null, "outbox.leaseOwner": null },
              "$inc": { "outbox.attempts": 1 } }
            """, Render.Update(OutboxQueries<LotDoc>.Released(retry, "HTTP 503")));
    }

    [Fact]
    public void Failed_parks_the_row_with_the_reason()
    {
        Render.Equal("""
            { "$set": { "outbox.state": "Failed", "outbox.lastError": "maLoi 12: thiếu tên sản phẩm",
                        "outbox.leaseUntil": null, "outbox.leaseOwner": null },
              "$inc": { "outbox.attempts": 1 } }
            """, Render.Update(OutboxQueries<ProductDoc>.Failed("maLoi 12: thiếu tên sản phẩm")));
    }

    [Fact]
    public void Operator_retry_applies_only_to_failed_rows_and_makes_them_due_now()
    {
        Render.Equal("""{ "_id": "e1", "outbox.state": "Failed" }""", Render.Filter(OutboxQueries<EventDoc>.FailedOne("e1")));
        Render.Equal($$"""
            { "$set": { "outbox.state": "Pending", "outbox.nextAttemptAt": {{Time(Now)}}, "outbox.leaseUntil": null, "outbox.leaseOwner": null } }
            """, Render.Update(OutboxQueries<EventDoc>.Retried(Now)));
    }

    [Fact]
    public void Row_lookups_filter_on_state_and_presence()
    {
        Render.Equal("""{ "outbox.state": "Failed" }""", Render.Filter(OutboxQueries<LotDoc>.InState(OutboxState.Failed)));
        Render.Equal("""{ "_id": "08930000000013", "outbox": { "$ne": null } }""", Render.Filter(OutboxQueries<ProductDoc>.HasRow("08930000000013")));
        Render.Equal("""{ "_id": "08930000000013", "outbox.state": "Synced" }""", Render.Filter(OutboxQueries<ProductDoc>.IsSynced("08930000000013")));
    }

    [Fact]
    public void A_capture_announcing_a_lot_gives_it_a_row_only_if_it_has_none()
    {
        var row = OutboxDoc.Pending(new OutboxMessage(OutboxKind.Lot, "01/08930000000013/10/L1", OutboxKind.Product, "08930000000013", null), Now);

        Render.Equal("""{ "_id": "01/08930000000013/10/L1", "outbox": null }""", Render.Filter(OutboxQueries<LotDoc>.WithoutRow("01/08930000000013/10/L1")));
        Render.Equal($$"""
            { "$set": { "outbox": { "state": "Pending", "attempts": 0, "createdAt": {{Time(Now)}}, "nextAttemptAt": {{Time(Now)}},
                "leaseUntil": null, "leaseOwner": null, "lastError": null, "portalId": null, "traceParent": null,
                "dependsOnKind": "Product", "dependsOnKey": "08930000000013" } } }
            """, Render.Update(OutboxQueries<LotDoc>.Announce(row)));
    }

    [Fact]
    public void Status_groups_rows_by_state_with_the_oldest_creation()
    {
        var stages = Render.Pipeline(OutboxQueries<EventDoc>.Status);

        Assert.Equal(2, stages.Count);
        Render.Equal("""{ "$match": { "outbox": { "$ne": null } } }""", stages[0]);
        Render.Equal("""
            { "$group": { "_id": "$outbox.state", "count": { "$sum": 1 }, "oldestTicks": { "$min": "$outbox.createdAt.ticks" } } }
            """, stages[1]);
    }

    // ---- events ----

    [Fact]
    public void Event_by_id_and_by_ids_use_the_id()
    {
        Render.Equal("""{ "_id": "urn:uuid:1" }""", Render.Filter(EventQueries.ById("urn:uuid:1")));
        Render.Equal("""{ "_id": { "$in": ["a", "b"] } }""", Render.Filter(EventQueries.ByIds(["a", "b"])));
    }

    [Fact]
    public void Events_of_a_lot_match_any_lot_role_on_one_key()
    {
        Render.Equal("""
            { "keys": { "$elemMatch": { "value": "01/08930000000013/10/L1", "role": { "$in": ["Lot", "InputLot", "OutputLot"] } } } }
            """, Render.Filter(EventQueries.ForLot("01/08930000000013/10/L1")));
        Render.Equal("""{ "eventTime.ticks": 1, "_id": 1 }""", Render.Sort(EventQueries.ByEventTime));
    }

    [Fact]
    public void Query_without_parameters_matches_everything()
    {
        Render.Equal("{ }", Render.Filter(EventQueries.Matching(new EventQuery(), null)));
    }

    [Fact]
    public void Query_scalar_parameters_map_to_their_fields()
    {
        var q = new EventQuery
        {
            ProducerId = "prd_1",
            EventTypes = ["ObjectEvent", "TransformationEvent"],
            GeEventTime = Now,
            LtEventTime = Now.AddDays(1),
            GeRecordTime = Now.AddHours(1),
            LtRecordTime = Now.AddHours(2),
            BizSteps = ["shipping"],
            Dispositions = ["in_transit"],
            BizLocations = ["414/8930000000026"],
            ReadPoints = ["414/8930000000033"],
        };

        Render.Equal($$"""
            { "producerId": "prd_1",
              "eventType": { "$in": ["ObjectEvent", "TransformationEvent"] },
              "eventTime.ticks": { "$gte": {{T}}, "$lt": {{Now.AddDays(1).UtcTicks}} },
              "recordTime.ticks": { "$gte": {{Now.AddHours(1).UtcTicks}}, "$lt": {{Now.AddHours(2).UtcTicks}} },
              "bizStep": { "$in": ["shipping"] },
              "disposition": { "$in": ["in_transit"] },
              "bizLocation": { "$in": ["414/8930000000026"] },
              "readPoint": { "$in": ["414/8930000000033"] } }
            """, Render.Filter(EventQueries.Matching(q, null)));
    }

    [Fact]
    public void Key_filter_matches_role_and_value_on_the_same_key_with_patterns_as_anchored_prefixes()
    {
        var filter = new KeyFilter([EventKeyRole.Epc, EventKeyRole.Parent], ["01/08930000000013/21/7", "01/08930000000013/21/*"]);

        Render.Equal("""
            { "keys": { "$elemMatch": {
                "role": { "$in": ["Epc", "Parent"] },
                "$or": [ { "value": "01/08930000000013/21/7" },
                         { "value": { "$regularExpression": { "pattern": "^01/08930000000013/21/", "options": "" } } } ] } } }
            """, Render.Filter(EventQueries.HasKey(filter)));
    }

    [Fact]
    public void Pattern_metacharacters_are_escaped()
    {
        var rendered = Render.Filter(EventQueries.HasKey(new KeyFilter([EventKeyRole.Class], ["urn:epc:idpat:sgtin:893.0001.*"])));

        Assert.Equal("^urn:epc:idpat:sgtin:893\\.0001\\.", rendered["keys"]["$elemMatch"]["value"].AsBsonRegularExpression.Pattern);
    }

    [Fact]
    public void Two_key_filters_must_both_hold()
    {
        var q = new EventQuery
        {
            KeyFilters =
            [
                new KeyFilter([EventKeyRole.Epc], ["a"]),
                new KeyFilter([EventKeyRole.Class], ["b"]),
            ],
        };

        Render.Equal("""
            { "$and": [
                { "keys": { "$elemMatch": { "role": { "$in": ["Epc"] }, "value": "a" } } },
                { "keys": { "$elemMatch": { "role": { "$in": ["Class"] }, "value": "b" } } } ] }
            """, Render.Filter(EventQueries.Matching(q, null)));
    }

    [Fact]
    public void Page_token_continues_after_the_last_record_time_and_id()
    {
        var after = new PageTokens.Position(1_795_680_000_123, "urn:uuid:9");

        Render.Equal("""
            { "producerId": "prd_1", "$or": [
                { "recordTime.date": { "$gt": { "$date": "2026-11-26T08:00:00.123Z" } } },
                { "recordTime.date": { "$date": "2026-11-26T08:00:00.123Z" }, "_id": { "$gt": "urn:uuid:9" } } ] }
            """, Render.Filter(EventQueries.Matching(new EventQuery { ProducerId = "prd_1" }, after)));
        Render.Equal("""{ "recordTime.date": 1, "_id": 1 }""", Render.Sort(EventQueries.ByRecordTime));
    }

    [Fact]
    public void OrderBy_and_orderDirection_sort_and_continue_the_same_way()
    {
        var q = new EventQuery { ProducerId = "prd_1", OrderBy = EventOrder.EventTime, Descending = true };
        Render.Equal("""{ "eventTime.ticks": -1, "_id": -1 }""", Render.Sort(EventQueries.Order(q)));
        Render.Equal("""{ "recordTime.date": -1, "_id": -1 }""", Render.Sort(EventQueries.Order(q with { OrderBy = EventOrder.RecordTime })));
        Render.Equal("""{ "eventTime.ticks": 1, "_id": 1 }""", Render.Sort(EventQueries.Order(q with { Descending = false })));
        Render.Equal("""
            { "producerId": "prd_1", "$or": [
                { "eventTime.ticks": { "$lt": 42 } },
                { "eventTime.ticks": 42, "_id": { "$lt": "urn:uuid:9" } } ] }
            """, Render.Filter(EventQueries.Matching(q, new PageTokens.Position(42, "urn:uuid:9"))));
    }

    // ---- catalog and accounts ----

    [Fact]
    public void Catalog_listings_filter_by_producer_in_a_stable_order()
    {
        Render.Equal("""{ "producerId": "prd_1" }""", Render.Filter(CatalogQueries.ProductsOf("prd_1")));
        Render.Equal("""{ "createdAt.ticks": 1, "_id": 1 }""", Render.Sort(CatalogQueries.ProductOrder));
        Render.Equal("""{ "producerId": "prd_1" }""", Render.Filter(CatalogQueries.LocationsOf("prd_1")));
        Render.Equal("""{ "code": 1 }""", Render.Sort(CatalogQueries.LocationOrder));
        Render.Equal("""{ "producerId": "prd_1" }""", Render.Filter(CatalogQueries.LotsOf("prd_1")));
        Render.Equal("""{ "createdAt.ticks": -1, "_id": -1 }""", Render.Sort(CatalogQueries.LotOrder));
        Render.Equal("""{ "createdAt.ticks": 1, "_id": 1 }""", Render.Sort(CatalogQueries.ProducerOrder));
    }

    [Fact]
    public void Location_is_found_by_producer_and_code()
    {
        Render.Equal("""{ "producerId": "prd_1", "code": "VUON-01" }""", Render.Filter(CatalogQueries.Location("prd_1", "VUON-01")));
    }

    [Fact]
    public void Location_identifier_matches_a_gln_inside_a_digital_link_path_or_a_code()
    {
        Render.Equal("""
            { "$or": [ { "gln": { "$in": ["414/8930000000026", "8930000000026"] } }, { "code": "414/8930000000026" } ] }
            """, Render.Filter(CatalogQueries.FindLocation("414/8930000000026")));
        Render.Equal("""
            { "$or": [ { "gln": { "$in": ["8930000000026"] } }, { "code": "8930000000026" } ] }
            """, Render.Filter(CatalogQueries.FindLocation("8930000000026")));
    }

    [Fact]
    public void Revoking_applies_only_to_an_active_key()
    {
        Render.Equal("""{ "_id": "key_1", "revokedAt": null }""", Render.Filter(CatalogQueries.ActiveKey("key_1")));
    }

    [Fact]
    public void Product_update_sets_the_fields_and_puts_the_row_back_to_pending_keeping_the_portal_id()
    {
        var p = new Product("08930000000013", "prd_1", new LocalizedText("Cam sành", "King orange"), "Hàm Yên", null, "fruit",
            null, ["VietGAP"], "kg", Now.AddDays(-1), Now)
        {
            Certificates = [new("VietGAP", "VG-1", "QUACERT", null, new DateOnly(2028, 1, 14))],
        };

        var update = Render.Update(CatalogQueries.ProductUpdate(p, new OutboxMessage(OutboxKind.Product, p.Gtin, null, null, "00-t-s-01"), Now));

        Render.Equal($$"""
            { "$set": {
                "name": { "vi": "Cam sành", "en": "King orange" }, "brand": "Hàm Yên", "imageUrl": null, "category": "fruit",
                "description": null, "standards": ["VietGAP"],
                "certificates": [{ "standard": "VietGAP", "number": "VG-1", "issuer": "QUACERT", "validFrom": null, "validTo": "2028-01-14" }],
                "unit": "kg", "updatedAt": {{Time(Now)}},
                "outbox.state": "Pending", "outbox.attempts": 0, "outbox.createdAt": {{Time(Now)}},
                "outbox.nextAttemptAt": {{Time(Now)}}, "outbox.leaseUntil": null, "outbox.leaseOwner": null,
                "outbox.lastError": null, "outbox.traceParent": "00-t-s-01", "outbox.dependsOnKind": null,
                "outbox.dependsOnKey": null } }
            """, update);
        Assert.False(update["$set"].AsBsonDocument.Contains("outbox.portalId"));
        Assert.False(update["$set"].AsBsonDocument.Contains("producerId"));
    }
}
