using Traceability.Domain.EarlyWarning;

namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static IEarlyWarningStore EarlyWarning(TraceStoreHandle store) => store.Get<IEarlyWarningStore>();

    private static readonly DateOnly Day0 = new(2026, 11, 20);

    private static EarlyAlert NewEarlyAlert(string id, double score, string? producer = "p1", string province = "Lai Châu", long count = 5) =>
        new(id, "unknown_codes", "01/" + Gtin(1), Gtin(1), "", province, Day0, producer, score, count, 0.3,
            $"{count} lượt", $"{count} lookups", T0, T0);

    [Fact]
    public async Task Signal_counters_add_up_per_cell_and_return_the_new_totals()
    {
        var store = EarlyWarning(await OpenSeededAsync());
        var first = await store.AddSignalCountsAsync(
            [new("unknown", Gtin(1), "", "Lai Châu", Day0, 2), new("unknown", Gtin(1), "", "Lai Châu", Day0.AddDays(-1), 1)], Ct);
        Assert.Equal([2L, 1L], first.Select(c => c.Count));
        var second = await store.AddSignalCountsAsync([new("unknown", Gtin(1), "", "Lai Châu", Day0, 3), new("far", Gtin(1), "A", "Cà Mau", Day0, 1)], Ct);
        Assert.Equal([5L, 1L], second.Select(c => c.Count));

        var cells = await store.GetSignalCountsAsync("unknown", Gtin(1), "", "Lai Châu", Day0.AddDays(-7), Day0, Ct);
        Assert.Equal([(Day0.AddDays(-1), 1L), (Day0, 5L)], cells.OrderBy(c => c.Day).Select(c => (c.Day, c.Count)));
        Assert.Equal([1L], (await store.GetSignalCountsAsync("unknown", Gtin(1), null, null, Day0.AddDays(-1), Day0.AddDays(-1), Ct)).Select(c => c.Count));
        Assert.Single(await store.GetSignalCountsAsync("far", Gtin(1), null, null, Day0, Day0, Ct));
        Assert.Empty(await store.GetSignalCountsAsync("far", Gtin(1), "B", null, Day0, Day0, Ct));
    }

    [Fact]
    public async Task An_alert_is_created_once_then_its_evidence_grows_and_its_life_cycle_is_kept()
    {
        var handle = await OpenSeededAsync();
        var store = EarlyWarning(handle);
        var (created, isNew) = await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-1", 4.8), Ct);
        Assert.True(isNew);
        Assert.Equal(AlertStatuses.Open, created.Status);

        var ack = created with { Status = AlertStatuses.Acknowledged, AcknowledgedBy = "st_1", AcknowledgedAt = T0.AddMinutes(5) };
        Assert.True(await store.SetEarlyAlertStateAsync(ack, AlertStatuses.Open, AuditEntry.New(T0, "st_1", "alert.acknowledge", "alert:ew-1"), Ct));
        // A second writer still expecting "open" loses.
        Assert.False(await store.SetEarlyAlertStateAsync(ack, AlertStatuses.Open, AuditEntry.New(T0, "st_2", "alert.acknowledge", "alert:ew-1"), Ct));

        var grown = NewEarlyAlert("ew-1", 7.5, count: 9) with { FirstSeen = T0.AddHours(1), LastSeen = T0.AddHours(2) };
        var (stored, again) = await store.UpsertEarlyAlertAsync(grown, Ct);
        Assert.False(again);
        Assert.Equal((9L, 7.5, "9 lượt", T0, T0.AddHours(2)), (stored.Count, stored.Score, stored.ReasonVi, stored.FirstSeen, stored.LastSeen));
        Assert.Equal((AlertStatuses.Acknowledged, "st_1", T0.AddMinutes(5)), (stored.Status, stored.AcknowledgedBy, stored.AcknowledgedAt));
        Assert.Equal(stored, await store.GetEarlyAlertAsync("ew-1", Ct));
        Assert.Null(await store.GetEarlyAlertAsync("ew-none", Ct));
        Assert.Equal(["alert.acknowledge"], (await Audit(handle).ListAuditAsync("alert:ew-1", 10, Ct)).Select(a => a.Action));
    }

    [Fact]
    public async Task Alerts_are_listed_by_score_with_filters_paging_and_a_total()
    {
        var store = EarlyWarning(await OpenSeededAsync());
        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-a", 5), Ct);
        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-b", 9, province: "Cà Mau"), Ct);
        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-c", 7, producer: "p2"), Ct);

        var (all, total) = await store.ListEarlyAlertsAsync(new EarlyAlertQuery(), Ct);
        Assert.Equal(["ew-b", "ew-c", "ew-a"], all.Select(a => a.Id));
        Assert.Equal(3, total);
        var (page2, total2) = await store.ListEarlyAlertsAsync(new EarlyAlertQuery(Offset: 1, Limit: 1), Ct);
        Assert.Equal(["ew-c"], page2.Select(a => a.Id));
        Assert.Equal(3, total2);
        Assert.Equal(["ew-b", "ew-a"], (await store.ListEarlyAlertsAsync(new EarlyAlertQuery(ProducerId: "p1"), Ct)).Items.Select(a => a.Id));
        Assert.Equal(["ew-b"], (await store.ListEarlyAlertsAsync(new EarlyAlertQuery(Province: "Cà Mau"), Ct)).Items.Select(a => a.Id));
        Assert.Empty((await store.ListEarlyAlertsAsync(new EarlyAlertQuery(Status: AlertStatuses.Closed), Ct)).Items);
        Assert.Empty((await store.ListEarlyAlertsAsync(new EarlyAlertQuery(Kind: "clone_serials"), Ct)).Items);
    }

    [Fact]
    public async Task A_webhook_push_is_marked_with_the_alert_delivered_once_and_due_again_only_after_a_whole_step()
    {
        var store = EarlyWarning(await OpenSeededAsync());
        // Without a webhook nothing is marked.
        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-quiet", 5), Ct);
        Assert.Empty(await store.ListDueEarlyAlertPushesAsync(T0.AddDays(1), 10, Ct));

        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-p", 4.8), 4, Ct);
        var due = Assert.Single(await store.ListDueEarlyAlertPushesAsync(T0, 10, Ct));
        Assert.Equal(("ew-p", T0, 0, 4.8), (due.Alert.Id, due.Due, due.Attempts, due.Alert.Score));

        // A failed round: due later, one attempt counted; not due before then.
        await store.DeferEarlyAlertPushAsync("ew-p", T0, T0.AddSeconds(10), Ct);
        Assert.Empty(await store.ListDueEarlyAlertPushesAsync(T0.AddSeconds(9), 10, Ct));
        due = Assert.Single(await store.ListDueEarlyAlertPushesAsync(T0.AddSeconds(10), 10, Ct));
        Assert.Equal((T0.AddSeconds(10), 1), (due.Due, due.Attempts));
        // A mark that changed meanwhile (another host delivered) is left alone.
        await store.MarkEarlyAlertPushedAsync("ew-p", T0, 4.8, 4, T0.AddSeconds(11), Ct);
        Assert.Single(await store.ListDueEarlyAlertPushesAsync(T0.AddSeconds(10), 10, Ct));

        await store.MarkEarlyAlertPushedAsync("ew-p", T0.AddSeconds(10), 4.8, 4, T0.AddSeconds(11), Ct);
        Assert.Empty(await store.ListDueEarlyAlertPushesAsync(T0.AddDays(1), 10, Ct));
        // Growth below a whole step above the pushed score (4.8 + 4) is no new push; from 8.8 on it is.
        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-p", 8.5, count: 8) with { LastSeen = T0.AddMinutes(1) }, 4, Ct);
        Assert.Empty(await store.ListDueEarlyAlertPushesAsync(T0.AddDays(1), 10, Ct));
        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-p", 9.1, count: 9) with { LastSeen = T0.AddMinutes(2) }, 4, Ct);
        due = Assert.Single(await store.ListDueEarlyAlertPushesAsync(T0.AddDays(1), 10, Ct));
        Assert.Equal((T0.AddMinutes(2), 0, 9.1, 9L), (due.Due, due.Attempts, due.Alert.Score, due.Alert.Count));

        // Delivered with 9.1 while the score went on to 13.5: due again at once.
        await store.UpsertEarlyAlertAsync(NewEarlyAlert("ew-p", 13.5, count: 12) with { LastSeen = T0.AddMinutes(3) }, 4, Ct);
        await store.MarkEarlyAlertPushedAsync("ew-p", T0.AddMinutes(2), 9.1, 4, T0.AddMinutes(4), Ct);
        due = Assert.Single(await store.ListDueEarlyAlertPushesAsync(T0.AddDays(1), 10, Ct));
        Assert.Equal((T0.AddMinutes(4), 13.5), (due.Due, due.Alert.Score));
    }
}
