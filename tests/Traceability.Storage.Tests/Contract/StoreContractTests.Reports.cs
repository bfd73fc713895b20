namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    // Each provider implements every store interface in one class (TraceStoreHandle.For).
    private static IReportStore Reports(TraceStoreHandle store) => store.Get<IReportStore>();

    private static IInspectionStore Inspections(TraceStoreHandle store) => store.Get<IInspectionStore>();

    [Fact]
    public async Task Reports_round_trip_list_newest_first_and_change_status()
    {
        var store = await OpenAsync();
        var older = new ConsumerReport("r1", T0, null, null, "other", "Một", "protected-1", ReportStatus.New, T0);
        var newer = new ConsumerReport("r2", T0.AddMinutes(5), "/01/08936001000010/10/A", "01/08936001000010/10/A", "quality", "Hai",
            null, ReportStatus.New, T0.AddMinutes(5));
        await Reports(store).AddReportAsync(older, Ct);
        await Reports(store).AddReportAsync(newer, Ct);

        Assert.Equal(newer, await Reports(store).GetReportAsync("r2", Ct));
        Assert.Equal(["r2", "r1"], (await Reports(store).ListReportsAsync(null, 10, Ct)).Select(r => r.Id));
        Assert.True(await Reports(store).SetReportStatusAsync("r1", ReportStatus.InReview, T0.AddHours(1), Ct));
        Assert.False(await Reports(store).SetReportStatusAsync("nope", ReportStatus.Resolved, T0, Ct));
        var reviewed = Assert.Single(await Reports(store).ListReportsAsync(ReportStatus.InReview, 10, Ct));
        Assert.Equal(("r1", T0.AddHours(1)), (reviewed.Id, reviewed.UpdatedAt));
        Assert.Single(await Reports(store).ListReportsAsync(null, 1, Ct));
    }

    [Fact]
    public async Task Inspections_are_unique_per_inspector_and_client_ref_and_keep_their_photo()
    {
        var store = await OpenAsync();
        var a = new Inspection("in1", "i1", T0, T0.AddMinutes(-3), "/01/08936001000010/10/A", "01/08936001000010/10/A", "compliant",
            "Tốt", 21.8, 105.2, "ref-1", null, Place: "Quầy 12, chợ Tam Cờ");
        await Inspections(store).AddInspectionAsync(a, Ct);
        await Inspections(store).AddInspectionAsync(a with { Id = "in2", ClientRef = null, LotKey = null, CreatedAt = T0.AddMinutes(1) }, Ct);
        await Inspections(store).AddInspectionAsync(a with { Id = "in3", ClientRef = null, LotKey = null, CreatedAt = T0.AddMinutes(2), Place = null }, Ct);
        await Inspections(store).AddInspectionAsync(a with { Id = "in4", InspectorId = "i2", CreatedAt = T0.AddMinutes(3) }, Ct);

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Inspections(store).AddInspectionAsync(a with { Id = "in5" }, Ct));
        Assert.Equal(a, await Inspections(store).FindInspectionByClientRefAsync("i1", "ref-1", Ct));
        Assert.Equal("Quầy 12, chợ Tam Cờ", (await Inspections(store).GetInspectionAsync("in1", Ct))!.Place);
        Assert.Null((await Inspections(store).GetInspectionAsync("in3", Ct))!.Place);
        Assert.Equal(["in4", "in3", "in2", "in1"], (await Inspections(store).ListInspectionsAsync(null, 10, Ct)).Select(i => i.Id));
        Assert.Equal(["in4", "in1"], (await Inspections(store).ListInspectionsAsync("01/08936001000010/10/A", 10, Ct)).Select(i => i.Id));

        Assert.False(await Inspections(store).SetInspectionPhotoAsync("nope", new InspectionPhoto("image/png", [1]), Ct));
        Assert.True(await Inspections(store).SetInspectionPhotoAsync("in1", new InspectionPhoto("image/png", [1, 2, 3]), Ct));
        Assert.True(await Inspections(store).SetInspectionPhotoAsync("in1", new InspectionPhoto("image/jpeg", [4, 5]), Ct));
        var photo = await Inspections(store).GetInspectionPhotoAsync("in1", Ct);
        Assert.Equal("image/jpeg", photo!.ContentType);
        Assert.Equal([4, 5], photo.Data);
        Assert.Equal("image/jpeg", (await Inspections(store).GetInspectionAsync("in1", Ct))!.PhotoContentType);
        Assert.Null(await Inspections(store).GetInspectionPhotoAsync("in2", Ct));
    }

    [Fact]
    public async Task Triage_saves_the_report_its_note_and_audit_entry_together()
    {
        var store = await OpenAsync();
        var report = new ConsumerReport("r1", T0, null, null, "quality", "Một", null, ReportStatus.New, T0);
        await Reports(store).AddReportAsync(report, Ct);
        var audit = store.Get<IAuditStore>();

        var decided = report with { Status = ReportStatus.Resolved, Assignee = "s1", Outcome = "Đã xử lý", UpdatedAt = T0.AddHours(2) };
        var note = new ReportNote("n1", "r1", T0.AddHours(2), "key:admin", "Gọi lại");
        Assert.True(await Reports(store).SaveTriageAsync(decided, note,
            new AuditEntry("au1", T0.AddHours(2), "key:admin", "report.triage", "report:r1", "Gọi lại", "status"), Ct));
        Assert.True(await Reports(store).SaveTriageAsync(decided with { Status = ReportStatus.Rejected, UpdatedAt = T0.AddHours(3) },
            new ReportNote("n2", "r1", T0.AddHours(3), "key:admin", "Sai"), new AuditEntry("au2", T0.AddHours(3), "key:admin", "report.triage", "report:r1", null, null), Ct));
        Assert.False(await Reports(store).SaveTriageAsync(decided with { Id = "nope" }, null,
            new AuditEntry("au3", T0, "key:admin", "report.triage", "report:nope", null, null), Ct));

        Assert.Equal(decided with { Status = ReportStatus.Rejected, UpdatedAt = T0.AddHours(3) }, await Reports(store).GetReportAsync("r1", Ct));
        Assert.Equal([note, new ReportNote("n2", "r1", T0.AddHours(3), "key:admin", "Sai")], await Reports(store).ListReportNotesAsync("r1", Ct));
        Assert.Equal(["au2", "au1"], (await audit.ListAuditAsync("report:r1", 10, Ct)).Select(e => e.Id));
        Assert.Empty(await audit.ListAuditAsync("report:nope", 10, Ct));
        Assert.Single(await Reports(store).ListReportsAsync(ReportStatus.Rejected, 10, Ct));
    }

    [Fact]
    public async Task Inspections_are_queried_by_inspector_result_period_and_publication()
    {
        var store = await OpenAsync();
        var a = new Inspection("in1", "i1", T0, T0.AddDays(-2), "/01/08936001000010/10/A", "01/08936001000010/10/A", "violation",
            null, 21.8, 105.2, null, null);
        await Inspections(store).AddInspectionAsync(a, Ct);
        await Inspections(store).AddInspectionAsync(a with { Id = "in2", InspectorId = "i2", InspectedAt = T0.AddDays(-1), Result = "compliant" }, Ct);
        await Inspections(store).AddInspectionAsync(a with { Id = "in3", InspectedAt = T0, LotKey = null }, Ct);

        async Task<string[]> Ids(InspectionQuery q) => [.. (await Inspections(store).QueryInspectionsAsync(q, Ct)).Select(i => i.Id)];
        Assert.Equal(["in3", "in2", "in1"], await Ids(new InspectionQuery()));
        Assert.Equal(["in3", "in1"], await Ids(new InspectionQuery(InspectorId: "i1")));
        Assert.Equal(["in2"], await Ids(new InspectionQuery(Result: "compliant")));
        Assert.Equal(["in2", "in1"], await Ids(new InspectionQuery(From: T0.AddDays(-2), To: T0)));
        Assert.Equal(["in1"], await Ids(new InspectionQuery(LotKey: "01/08936001000010/10/A", InspectorId: "i1")));
        Assert.Equal(["in3"], await Ids(new InspectionQuery(Max: 1)));
        Assert.Empty(await Ids(new InspectionQuery(PublishedOnly: true)));

        var audit = store.Get<IAuditStore>();
        Assert.True(await Inspections(store).SetInspectionPublishedAsync("in1", T0.AddHours(1),
            new AuditEntry("au1", T0.AddHours(1), "key:admin", "inspection.publish", "inspection:in1", null, null), Ct));
        Assert.False(await Inspections(store).SetInspectionPublishedAsync("nope", T0,
            new AuditEntry("au2", T0, "key:admin", "inspection.publish", "inspection:nope", null, null), Ct));
        Assert.Equal(["in1"], await Ids(new InspectionQuery(PublishedOnly: true)));
        Assert.Equal(T0.AddHours(1), (await Inspections(store).GetInspectionAsync("in1", Ct))!.PublishedAt);
        Assert.Equal(["au1"], (await audit.ListAuditAsync("inspection:in1", 10, Ct)).Select(e => e.Id));
        Assert.Empty(await audit.ListAuditAsync("inspection:nope", 10, Ct));

        Assert.True(await Inspections(store).SetInspectionPublishedAsync("in1", null,
            new AuditEntry("au3", T0.AddHours(2), "key:admin", "inspection.unpublish", "inspection:in1", "Nhầm", null), Ct));
        Assert.Empty(await Ids(new InspectionQuery(PublishedOnly: true)));
        Assert.Null((await Inspections(store).GetInspectionAsync("in1", Ct))!.PublishedAt);
    }
}
