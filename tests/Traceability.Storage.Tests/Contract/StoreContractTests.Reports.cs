namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    // Each provider implements every store interface in one class (TraceStoreHandle.For).
    private static IReportStore Reports(TraceStoreHandle store) => (IReportStore)store.Accounts;

    private static IInspectionStore Inspections(TraceStoreHandle store) => (IInspectionStore)store.Accounts;

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
        Assert.False(await Reports(store).SetReportStatusAsync("nope", ReportStatus.Closed, T0, Ct));
        var reviewed = Assert.Single(await Reports(store).ListReportsAsync(ReportStatus.InReview, 10, Ct));
        Assert.Equal(("r1", T0.AddHours(1)), (reviewed.Id, reviewed.UpdatedAt));
        Assert.Single(await Reports(store).ListReportsAsync(null, 1, Ct));
    }

    [Fact]
    public async Task Inspections_are_unique_per_inspector_and_client_ref_and_keep_their_photo()
    {
        var store = await OpenAsync();
        var a = new Inspection("in1", "i1", T0, T0.AddMinutes(-3), "/01/08936001000010/10/A", "01/08936001000010/10/A", "compliant",
            "Tốt", 21.8, 105.2, "ref-1", null, "Quầy 12, chợ Tam Cờ");
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
}
