namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static IProducerUserStore Users(TraceStoreHandle store) => store.Get<IProducerUserStore>();

    private static ProducerUser NewUser(string id, string producerId, string login) =>
        new(id, producerId, login, "Nguyễn Thị Hoa", "staff", "hash-1", MustChangePassword: true, T0, T0, "admin");

    [Fact]
    public async Task A_producer_user_is_stored_found_by_its_unique_login_reset_and_disabled_with_audit_entries()
    {
        var store = await OpenAsync();
        await store.Accounts.AddProducerAsync(NewProducer("p1", "0100000001"), NewKey("k1", Role.Producer, "p1"), Ct);
        await store.Accounts.AddProducerAsync(NewProducer("p2", "0100000002"), NewKey("k2", Role.Producer, "p2"), Ct);
        var user = NewUser("pu1", "p1", "hoa@example.vn");
        await Users(store).AddProducerUserAsync(user, Entry("au1", T0, "admin", "producer_user.create", "producer_user:pu1"), Ct);
        await Users(store).AddProducerUserAsync(NewUser("pu2", "p2", "0912345678") with { CreatedAt = T0.AddHours(1) },
            Entry("au2", T0.AddHours(1), "admin", "producer_user.create", "producer_user:pu2"), Ct);

        Assert.Equal(user, await Users(store).GetProducerUserAsync("pu1", Ct));
        Assert.Equal("pu1", (await Users(store).FindProducerUserByLoginAsync("hoa@example.vn", Ct))?.Id);
        Assert.Null(await Users(store).FindProducerUserByLoginAsync("HOA@example.vn", Ct)); // logins are stored normalised
        Assert.Equal(["pu1"], (await Users(store).ListProducerUsersAsync("p1", Ct)).Select(u => u.Id));
        // A login names one person across all producers.
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Users(store).AddProducerUserAsync(NewUser("pu3", "p2", "hoa@example.vn"),
            Entry("au3", T0, "admin", "producer_user.create", "producer_user:pu3"), Ct));

        var later = T0.AddDays(1);
        Assert.True(await Users(store).SetProducerUserPasswordAsync("pu1", "hash-2", mustChange: false, later,
            Entry("au4", later, "Hoa", "producer_user.password", "producer_user:pu1"), Ct));
        var changed = (await Users(store).GetProducerUserAsync("pu1", Ct))!;
        Assert.Equal(("hash-2", false, later), (changed.PasswordHash, changed.MustChangePassword, changed.PasswordChangedAt));
        // A rehash without an audit entry records nothing.
        Assert.True(await Users(store).SetProducerUserPasswordAsync("pu1", "hash-3", mustChange: false, later, null, Ct));

        Assert.True(await Users(store).DisableProducerUserAsync("pu1", later.AddHours(1), Entry("au5", later.AddHours(1), "admin", "producer_user.disable", "producer_user:pu1"), Ct));
        Assert.Equal(later.AddHours(1), (await Users(store).GetProducerUserAsync("pu1", Ct))!.DisabledAt);
        // Disabled: no second disable, no password change, nothing more in the log.
        Assert.False(await Users(store).DisableProducerUserAsync("pu1", later, Entry("au6", later, "admin", "producer_user.disable", "producer_user:pu1"), Ct));
        Assert.False(await Users(store).SetProducerUserPasswordAsync("pu1", "hash-4", mustChange: true, later,
            Entry("au7", later, "admin", "producer_user.reset", "producer_user:pu1"), Ct));
        Assert.False(await Users(store).DisableProducerUserAsync("nope", later, Entry("au8", later, "admin", "producer_user.disable", "producer_user:nope"), Ct));
        Assert.Equal(["au5", "au4", "au1"], (await Audit(store).ListAuditAsync("producer_user:pu1", 10, Ct)).Select(e => e.Id));
    }
}
