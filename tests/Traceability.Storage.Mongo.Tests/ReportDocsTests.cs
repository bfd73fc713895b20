namespace Traceability.Storage.Mongo.Tests;

/// <summary>Reports and inspections: stored shape, round trip and indexes.</summary>
public sealed class ReportDocsTests
{
    private static readonly DateTimeOffset Hanoi = new(2026, 11, 20, 9, 15, 0, TimeSpan.FromHours(7));

    static ReportDocsTests() => DocumentMappings.Register();

    [Fact]
    public void Report_round_trips_with_status_as_a_string_and_only_the_protected_contact()
    {
        var r = new ConsumerReport("r_1", Hanoi, "/01/08936001000010/10/HY1", "01/08936001000010/10/HY1", "quality",
            "Cam bị dập, có mùi lạ", "CfDJ8-protected-payload", ReportStatus.InReview, Hanoi.AddHours(2));

        var bson = Render.ToBson(ReportDoc.From(r));
        var back = Render.RoundTrip(ReportDoc.From(r)).ToRecord();

        Assert.Equal("r_1", bson["_id"].AsString);
        Assert.Equal("InReview", bson["status"].AsString);
        Assert.Equal("CfDJ8-protected-payload", bson["protectedContact"].AsString);
        Assert.False(bson.Contains("contact"));
        Assert.Equal(r, back);
    }

    [Fact]
    public void Inspection_round_trips_and_leaves_out_a_missing_client_ref()
    {
        var i = new Inspection("insp_1", "i_1", Hanoi, Hanoi.AddMinutes(-30), "https://x.vn/01/08936001000010/10/HY1",
            "01/08936001000010/10/HY1", "violation", "Tem bị bóc", 21.82, 105.21, null, "image/jpeg");

        var bson = Render.ToBson(InspectionDoc.From(i));
        var back = Render.RoundTrip(InspectionDoc.From(i)).ToRecord();

        Assert.False(bson.Contains("clientRef"));
        Assert.Equal(21.82, bson["latitude"].AsDouble);
        Assert.Equal("violation", bson["result"].AsString);
        Assert.Equal(i, back);
        Assert.Equal("offline-1", Render.RoundTrip(InspectionDoc.From(i with { ClientRef = "offline-1" })).ClientRef);
        Assert.False(bson.Contains("place"));
        var stall = i with { Place = "Quầy 12, chợ Tam Cờ" };
        Assert.Equal("Quầy 12, chợ Tam Cờ", Render.ToBson(InspectionDoc.From(stall))["place"].AsString);
        Assert.Equal(stall, Render.RoundTrip(InspectionDoc.From(stall)).ToRecord());
    }

    [Fact]
    public void Triage_fields_and_notes_round_trip_and_an_unpublished_inspection_has_no_published_field()
    {
        var r = new ConsumerReport("r_2", Hanoi, null, null, "safety", "Ngộ độc", null, ReportStatus.Rejected, Hanoi.AddDays(1),
            "staff-1", "Không đủ căn cứ");
        var bson = Render.ToBson(ReportDoc.From(r));
        Assert.Equal("Rejected", bson["status"].AsString);
        Assert.Equal("staff-1", bson["assignee"].AsString);
        Assert.Equal(r, Render.RoundTrip(ReportDoc.From(r)).ToRecord());
        Assert.False(Render.ToBson(ReportDoc.From(r with { Assignee = null, Outcome = null })).Contains("assignee"));

        var note = new ReportNote("rn_1", "r_2", Hanoi, "key:admin", "Đã gọi điện");
        Assert.Equal("r_2", Render.ToBson(ReportNoteDoc.From(note))["reportId"].AsString);
        Assert.Equal(note, Render.RoundTrip(ReportNoteDoc.From(note)).ToRecord());

        var i = new Inspection("insp_2", "i_1", Hanoi, Hanoi, "/01/08936001000010", null, "violation", null, null, null, null, null);
        Assert.False(Render.ToBson(InspectionDoc.From(i)).Contains("publishedAt"));
        var published = i with { PublishedAt = Hanoi.AddHours(3) };
        Assert.True(Render.ToBson(InspectionDoc.From(published)).Contains("publishedAt"));
        Assert.Equal(published, Render.RoundTrip(InspectionDoc.From(published)).ToRecord());
    }

    [Fact]
    public void Photo_round_trips_as_binary()
    {
        var doc = new InspectionPhotoDoc { Id = "insp_1", ContentType = "image/png", Data = [0x89, 0x50, 0x4E, 0x47] };

        var bson = Render.ToBson(doc);

        Assert.Equal(BsonType.Binary, bson["data"].BsonType);
        Assert.Equal(doc.Data, Render.RoundTrip(doc).Data);
    }

    [Fact]
    public void Replayed_inspections_are_unique_per_inspector_and_client_ref_only_when_one_is_given()
    {
        var unique = Indexes.Inspections.Single(m => m.Options.Name == "inspectorId_clientRef_unique");

        Assert.True(unique.Options.Unique);
        Assert.Equal("""{ "inspectorId" : 1, "clientRef" : 1 }""", Render.Keys(unique.Keys).ToJson());
        Assert.NotNull(unique.Options.PartialFilterExpression);
        Assert.Contains(Indexes.Reports, m => m.Options.Name == "status_createdAt");
    }
}
