namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static IStatisticsStore Statistics(TraceStoreHandle store) => store.Get<IStatisticsStore>();

    private static string[] Groups(IEnumerable<StatGroup> groups) => [.. groups.Select(g => $"{g.Province}|{g.Key}|{g.Count}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Statistics_group_a_period_by_stored_province_and_vietnam_day()
    {
        var store = await OpenSeededAsync();
        await store.Accounts.AddProducerAsync(NewProducer("p3", "0100000003") with { Province = "Hà Giang" }, NewKey("k-p3", Role.Producer, "p3"), Ct);
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);
        await store.Catalog.AddProductAsync(NewProduct(Gtin(2), "p3"), ProductMessage(Gtin(2)), Ct);
        await store.Catalog.AddLotAsync(NewLot(Gtin(1), "A"), LotMessage(Gtin(1), "A"), Ct);
        await store.Catalog.AddLotAsync(NewLot(Gtin(2), "B", "p3"), LotMessage(Gtin(2), "B"), Ct);
        var lotA = LotKey.Of(Gtin(1), "A");
        await CaptureAsync(store, [NewEvent("e1", "p1", new EventKey(lotA, EventKeyRole.Class))], [EventMessage("e1", lotA)]);
        await store.Get<IRecallStore>().AddRecallAsync(new Recall("rc-1", Gtin(1), ["A"], "Nấm mốc", "high", "admin", null, T0),
            [new OutboxMessage(OutboxKind.Recall, RecallKeys.OutboxKey("rc-1", lotA), OutboxKind.Lot, lotA, null)], Ct);

        // 18:00 UTC on 1 March is 01:00 on 2 March in Vietnam: the scan counts on the 2nd.
        var evening = new DateTimeOffset(2026, 3, 1, 18, 0, 0, TimeSpan.Zero);
        await store.Get<IScanStore>().AddScansAsync(
        [
            new(T0, lotA, null, "Tuyên Quang", "mobile"), new(T0, lotA, "S1", "Tuyên Quang", "mobile"),
            new(evening, LotKey.Of(Gtin(2), "B"), null, "Hà Giang", "mobile"),
            new(T0, LotKey.Of(Gtin(1), "NOPE"), null, null, "mobile", Unknown: true),
            new(T0, lotA, null, "Lai Châu", "verify", Source: ScanSources.Inspector),
            new(T0.AddDays(-10), lotA, null, "Tuyên Quang", "mobile"),
        ], Ct);
        // The unknown-code scan is counted, never part of the lot's history.
        Assert.Equal(3, (await store.Get<IScanStore>().GetScansAsync(lotA, T0.AddDays(-1), Ct)).Count);

        var reports = store.Get<IReportStore>();
        await reports.AddReportAsync(new ConsumerReport("r1", T0, "code", LotKey.Of(Gtin(2), "B"), "quality", "Chua", null, ReportStatus.New, T0), Ct);
        await reports.AddReportAsync(new ConsumerReport("r2", T0, null, null, "other", "Khác", null, ReportStatus.New, T0), Ct);
        Assert.True(await reports.SetReportStatusAsync("r1", ReportStatus.Resolved, T0.AddHours(36), Ct));
        await store.Get<IInspectionStore>().AddInspectionAsync(new Inspection("i1", "ins-1", T0, T0, "code", lotA, "compliant",
            null, null, null, null, null), Ct);

        var stats = await Statistics(store).GetStatisticsAsync(T0.AddDays(-1), T0.AddDays(3), Ct);

        Assert.Equal(["Hà Giang|registered|1", "Hà Giang|total|1", "Tuyên Quang|active|1", "Tuyên Quang|registered|2", "Tuyên Quang|total|2"],
            Groups(stats.Producers));
        Assert.Equal(["Hà Giang|lots|1", "Hà Giang|products|1", "Tuyên Quang|events|1", "Tuyên Quang|lots|1", "Tuyên Quang|products|1"],
            Groups(stats.Catalog));
        Assert.Equal(["Hà Giang|2026-03-02|1", "Tuyên Quang|2026-03-01|2"], Groups(stats.ScansByDay));
        Assert.Equal(["|2026-03-01|1"], Groups(stats.UnknownScans));
        Assert.Equal(["Tuyên Quang|issued|1"], Groups(stats.Recalls));
        Assert.Equal(["Hà Giang|quality|resolved|1", "|other|new|1"], Groups(stats.Complaints));
        Assert.Equal(["Hà Giang|1.50|1"], Groups(stats.ComplaintDaysToClose));
        Assert.Equal(["Tuyên Quang|compliant|1"], Groups(stats.Inspections));
        // 2 products, 2 lots, 1 event, 1 recalled lot: all made in the period, none pushed yet.
        Assert.Equal(["|Pending|6"], Groups(stats.Sync.GroupBy(g => g.Key).Select(g => new StatGroup(null, g.Key, g.Sum(x => x.Count)))));

        // Outside the period nothing counts but what is counted "by the end" or "now".
        var later = await Statistics(store).GetStatisticsAsync(T0.AddDays(5), T0.AddDays(6), Ct);
        Assert.Equal(["Hà Giang|total|1", "Tuyên Quang|total|2"], Groups(later.Producers));
        Assert.Empty(later.Catalog);
        Assert.Empty(later.ScansByDay);
        Assert.Empty(later.Sync);
    }
}
