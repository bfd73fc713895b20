namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static IAuditStore Audit(TraceStoreHandle store) => store.Get<IAuditStore>();

    [Fact]
    public async Task Audit_entries_list_newest_first_and_by_target()
    {
        var store = await OpenAsync();
        var first = new AuditEntry("a1", T0, "admin", "producer.register", "producer:p1", null, "HTX Cam");
        var second = new AuditEntry("a2", T0.AddMinutes(1), "admin", "inspector.register", "inspector:i1", null, null);
        await Audit(store).AddAuditAsync(first, Ct);
        await Audit(store).AddAuditAsync(second, Ct);

        Assert.Equal([second, first], await Audit(store).ListAuditAsync(null, 10, Ct));
        Assert.Equal([first], await Audit(store).ListAuditAsync("producer:p1", 10, Ct));
        Assert.Single(await Audit(store).ListAuditAsync(null, 1, Ct));
    }

    [Fact]
    public async Task Suspending_a_producer_sets_the_flag_and_records_why_in_one_write()
    {
        var store = await OpenAsync();
        await store.Accounts.AddProducerAsync(NewProducer("p1", "0100000001"), NewKey("k1", Role.Producer, "p1"), Ct);
        var suspend = new AuditEntry("s1", T0, "admin", "producer.suspend", "producer:p1", "Hàng giả", null);

        Assert.True(await Audit(store).SetProducerSuspendedAsync("p1", true, suspend, Ct));
        Assert.True((await store.Accounts.GetProducerAsync("p1", Ct))!.Suspended);
        Assert.True(await Audit(store).SetProducerSuspendedAsync("p1", false, suspend with { Id = "s2", Action = "producer.reinstate", At = T0.AddHours(1) }, Ct));
        Assert.False((await store.Accounts.GetProducerAsync("p1", Ct))!.Suspended);

        Assert.False(await Audit(store).SetProducerSuspendedAsync("nope", true, suspend with { Id = "s3", Target = "producer:nope" }, Ct));
        Assert.Equal(["s2", "s1"], (await Audit(store).ListAuditAsync(null, 10, Ct)).Select(e => e.Id));
    }
}
