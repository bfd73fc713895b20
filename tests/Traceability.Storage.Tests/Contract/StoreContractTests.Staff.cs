namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static IStaffStore Staff(TraceStoreHandle store) => store.Get<IStaffStore>();

    private static AuditEntry Entry(string id, DateTimeOffset at, string actor, string action, string target) =>
        new(id, at, actor, action, target, null, null);

    [Fact]
    public async Task A_staff_account_is_stored_with_its_key_and_audit_entry_and_revoking_it_revokes_its_keys()
    {
        var store = await OpenAsync();
        var account = new StaffAccount("st1", "Nguyễn Văn An", "Sở KH&CN Lào Cai", "officer", T0, "admin");
        await Staff(store).AddStaffAsync(account, NewKey("ks1", Role.Officer, null) with { StaffId = "st1" },
            Entry("au1", T0, "admin", "staff.create", "staff:st1"), Ct);
        // A second key of the same account (as after rotation).
        await store.Accounts.AddApiKeyAsync(NewKey("ks2", Role.Officer, null) with { StaffId = "st1" }, Ct);

        Assert.Equal(account, await Staff(store).GetStaffAsync("st1", Ct));
        Assert.Equal("st1", (await store.Accounts.GetApiKeyAsync("ks1", Ct))!.StaffId);
        Assert.Equal(Role.Officer, (await store.Accounts.GetApiKeyAsync("ks1", Ct))!.Role);
        Assert.Equal(["st1"], (await Staff(store).ListStaffAsync(Ct)).Select(s => s.Id));

        Assert.True(await Staff(store).RevokeStaffAsync("st1", T0.AddHours(1), Entry("au2", T0.AddHours(1), "admin", "staff.revoke", "staff:st1"), Ct));
        Assert.Equal(T0.AddHours(1), (await Staff(store).GetStaffAsync("st1", Ct))!.RevokedAt);
        Assert.NotNull((await store.Accounts.GetApiKeyAsync("ks1", Ct))!.RevokedAt);
        Assert.NotNull((await store.Accounts.GetApiKeyAsync("ks2", Ct))!.RevokedAt);
        // Revoking again changes nothing and records nothing.
        Assert.False(await Staff(store).RevokeStaffAsync("st1", T0.AddHours(2), Entry("au3", T0.AddHours(2), "admin", "staff.revoke", "staff:st1"), Ct));
        Assert.False(await Staff(store).RevokeStaffAsync("nope", T0, Entry("au4", T0, "admin", "staff.revoke", "staff:nope"), Ct));
        Assert.Equal(["au2", "au1"], (await Audit(store).ListAuditAsync(null, 10, Ct)).Select(e => e.Id));
    }

    [Fact]
    public async Task The_audit_log_filters_by_actor_action_prefix_target_and_period()
    {
        var store = await OpenAsync();
        await Audit(store).AddAuditAsync(Entry("a1", T0, "An", "recall.issue", "recall:r1"), Ct);
        await Audit(store).AddAuditAsync(Entry("a2", T0.AddDays(1), "Bình", "recall.end", "recall:r1"), Ct);
        await Audit(store).AddAuditAsync(Entry("a3", T0.AddDays(2), "An", "producer.suspend", "producer:p1"), Ct);
        await Audit(store).AddAuditAsync(Entry("a4", T0.AddDays(3), "An", "recallX", "x"), Ct);

        async Task<IEnumerable<string>> Ids(AuditQuery q) => (await Audit(store).QueryAuditAsync(q, 10, Ct)).Select(e => e.Id);
        Assert.Equal(["a4", "a3", "a2", "a1"], await Ids(new AuditQuery()));
        Assert.Equal(["a4", "a3", "a1"], await Ids(new AuditQuery(Actor: "An")));
        Assert.Equal(["a2", "a1"], await Ids(new AuditQuery(Action: "recall.")));
        Assert.Equal(["a2", "a1"], await Ids(new AuditQuery(Target: "recall:r1")));
        Assert.Equal(["a3", "a2"], await Ids(new AuditQuery(From: T0.AddDays(1), To: T0.AddDays(3))));
        Assert.Equal(["a3"], await Ids(new AuditQuery(Actor: "An", Action: "producer.", From: T0.AddDays(1))));
        Assert.Single(await Audit(store).QueryAuditAsync(new AuditQuery(), 1, Ct));
    }

    [Fact]
    public async Task Ending_a_recall_frees_its_lots_keeps_it_in_the_history_and_happens_once()
    {
        var store = await OpenWithLotsAsync(await OpenSeededAsync(), "A", "B");
        var (first, a1) = NewRecall("rc-1", T0, "A");
        var (second, a2) = NewRecall("rc-2", T0.AddHours(1), "B");
        await Recalls(store).AddRecallAsync(first, a1, Ct);
        await Recalls(store).AddRecallAsync(second, a2, Ct);

        var end = Entry("e1", T0.AddDays(1), "Bình", "recall.end", "recall:rc-1");
        Assert.True(await Recalls(store).EndRecallAsync("rc-1", T0.AddDays(1), "Bình", "Đã xử lý xong", end, Ct));
        Assert.False(await Recalls(store).EndRecallAsync("rc-1", T0.AddDays(2), "Bình", "Lần hai", end with { Id = "e2" }, Ct));
        Assert.False(await Recalls(store).EndRecallAsync("nope", T0, "Bình", "x", null, Ct));

        var ended = await Recalls(store).GetRecallAsync("rc-1", Ct);
        Assert.Equal((T0.AddDays(1), "Bình", "Đã xử lý xong"), (ended!.LiftedAt, ended.EndedBy, ended.EndReason));
        Assert.Empty(await Recalls(store).GetActiveRecallsForLotAsync(Gtin(1), "A", Ct));
        Assert.Equal(["rc-2"], (await Recalls(store).ListActiveRecallsAsync(10, Ct)).Select(r => r.Id));
        Assert.Equal(["rc-2", "rc-1"], (await Recalls(store).ListRecallsAsync(10, Ct)).Select(r => r.Id));
        Assert.Equal(["e1"], (await Audit(store).ListAuditAsync(null, 10, Ct)).Select(e => e.Id));
    }

    [Fact]
    public async Task A_producers_keys_are_listed_newest_first_with_revoked_ones()
    {
        var store = await OpenAsync();
        await store.Accounts.AddProducerAsync(NewProducer("p1", "0100000001"), NewKey("k1", Role.Producer, "p1"), Ct);
        await store.Accounts.AddApiKeyAsync(NewKey("k2", Role.Producer, "p1") with { CreatedAt = T0.AddDays(1) }, Ct);
        await store.Accounts.AddProducerAsync(NewProducer("p2", "0100000002"), NewKey("k3", Role.Producer, "p2"), Ct);
        await store.Accounts.RevokeApiKeyAsync("k1", T0.AddDays(2), Ct);

        var keys = await store.Accounts.ListProducerKeysAsync("p1", Ct);
        Assert.Equal(["k2", "k1"], keys.Select(k => k.KeyId));
        Assert.NotNull(keys[1].RevokedAt);
        Assert.Empty(await store.Accounts.ListProducerKeysAsync("nope", Ct));
    }
}
