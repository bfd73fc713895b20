namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Producer_and_its_key_round_trip()
    {
        var store = await OpenAsync();
        var producer = NewProducer("p1", "0100000001") with { Gln = "8934567000017", Phone = "0207 3822 222", Suspended = true };
        await store.Accounts.AddProducerAsync(producer, NewKey("k1", Role.Producer, "p1"), Ct);

        var read = await store.Accounts.GetProducerAsync("p1", Ct);
        Assert.NotNull(read);
        Assert.Equal(producer with { CompanyPrefixes = [] }, read with { CompanyPrefixes = [] });
        Assert.Equal(producer.CompanyPrefixes, read.CompanyPrefixes);
        var key = await store.Accounts.GetApiKeyAsync("k1", Ct);
        Assert.NotNull(key);
        Assert.Equal(Role.Producer, key.Role);
        Assert.Equal("p1", key.ProducerId);
        Assert.Equal([4, 5, 6, 7], key.Hash);
        Assert.Equal([1, 2, 3], key.Salt);
        Assert.Null(key.RevokedAt);
        Assert.Single(await store.Accounts.ListProducersAsync(Ct));
        Assert.Null(await store.Accounts.GetProducerAsync("nobody", Ct));
    }

    [Fact]
    public async Task A_producer_publishes_its_own_contact_apart_from_the_registered_one()
    {
        var store = await OpenAsync();
        var producer = NewProducer("p1", "0100000001") with
        {
            Phone = "0207 3822 222", Email = "chu.nhiem@example.vn", PublicPhone = "1900 1234", Website = "https://camsanhhamyen.vn",
        };
        await store.Accounts.AddProducerAsync(producer, NewKey("k1", Role.Producer, "p1"), Ct);
        Assert.Equal(producer with { CompanyPrefixes = [] }, (await store.Accounts.GetProducerAsync("p1", Ct))! with { CompanyPrefixes = [] });

        var profiles = store.Get<IProducerProfileStore>();
        Assert.True(await profiles.SetProducerPublicContactAsync("p1", "0912 345 678", null, Ct));
        var read = (await store.Accounts.GetProducerAsync("p1", Ct))!;
        Assert.Equal(("0912 345 678", (string?)null), (read.PublicPhone, read.Website));
        // The contact registered with the authority is untouched.
        Assert.Equal(("0207 3822 222", "chu.nhiem@example.vn"), (read.Phone, read.Email));
        Assert.False(await profiles.SetProducerPublicContactAsync("nobody", "1", null, Ct));
    }

    [Fact]
    public async Task A_second_producer_with_the_same_tax_code_is_a_duplicate_and_stores_nothing()
    {
        var store = await OpenAsync();
        await store.Accounts.AddProducerAsync(NewProducer("p1", "0100000001"), NewKey("k1", Role.Producer, "p1"), Ct);

        await Assert.ThrowsAsync<DuplicateKeyException>(() =>
            store.Accounts.AddProducerAsync(NewProducer("p2", "0100000001"), NewKey("k2", Role.Producer, "p2"), Ct));

        Assert.Null(await store.Accounts.GetProducerAsync("p2", Ct));
        Assert.Null(await store.Accounts.GetApiKeyAsync("k2", Ct));
    }

    [Fact]
    public async Task A_key_is_revoked_once()
    {
        var store = await OpenAsync();
        await store.Accounts.AddApiKeyAsync(NewKey("admin", Role.Admin), Ct);

        Assert.True(await store.Accounts.RevokeApiKeyAsync("admin", T0.AddDays(1), Ct));
        Assert.False(await store.Accounts.RevokeApiKeyAsync("admin", T0.AddDays(2), Ct));
        Assert.False(await store.Accounts.RevokeApiKeyAsync("unknown", T0, Ct));
        Assert.Equal(T0.AddDays(1), (await store.Accounts.GetApiKeyAsync("admin", Ct))!.RevokedAt);
    }

    [Fact]
    public async Task Inspector_and_its_key_round_trip()
    {
        var store = await OpenAsync();
        var inspector = new Inspector("i1", "Nguyễn Văn An", "Chi cục Quản lý thị trường Tuyên Quang", T0);
        await store.Accounts.AddInspectorAsync(inspector, NewKey("k-i1", Role.Inspector, inspectorId: "i1"), Ct);

        Assert.Equal(inspector, await store.Accounts.GetInspectorAsync("i1", Ct));
        var key = await store.Accounts.GetApiKeyAsync("k-i1", Ct);
        Assert.Equal(("i1", Role.Inspector), (key!.InspectorId, key.Role));
    }
}
