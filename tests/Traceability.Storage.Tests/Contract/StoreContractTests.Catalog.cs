namespace Traceability.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Product_round_trips_with_its_outbox_row()
    {
        var store = await OpenSeededAsync();
        var product = NewProduct(Gtin(1));
        await store.Catalog.AddProductAsync(product, ProductMessage(product.Gtin), Ct);

        var read = await store.Catalog.GetProductAsync(product.Gtin, Ct);
        Assert.NotNull(read);
        Assert.Equal(product.Name, read.Name);
        Assert.Equal(product.Description, read.Description);
        Assert.Equal(product.Standards, read.Standards);
        Assert.Equal((product.Brand, product.Unit, product.CreatedAt), (read.Brand, read.Unit, read.CreatedAt));
        Assert.Equal(product.Certificates, read.Certificates);
        var row = await store.Outbox.GetOutboxRowAsync(OutboxKind.Product, product.Gtin, Ct);
        Assert.NotNull(row);
        Assert.Equal(OutboxState.Pending, row.State);
        Assert.Equal("00-trace-product-01", row.TraceParent);
        Assert.Equal([product.Gtin], (await store.Catalog.ListProductsAsync("p1", Ct)).Select(p => p.Gtin));
        Assert.Empty(await store.Catalog.ListProductsAsync("p2", Ct));
    }

    [Fact]
    public async Task Registering_a_gtin_twice_is_a_duplicate_and_writes_no_outbox_row()
    {
        var store = await OpenSeededAsync();
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);

        await Assert.ThrowsAsync<DuplicateKeyException>(() =>
            store.Catalog.AddProductAsync(NewProduct(Gtin(1), "p2"), ProductMessage("announce-of-failed-write"), Ct));

        Assert.Null(await store.Outbox.GetOutboxRowAsync(OutboxKind.Product, "announce-of-failed-write", Ct));
        Assert.Equal("p1", (await store.Catalog.GetProductAsync(Gtin(1), Ct))!.ProducerId);
    }

    [Fact]
    public async Task Updating_a_product_rearms_its_synced_outbox_row()
    {
        var store = await OpenSeededAsync();
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);
        var leased = Assert.Single(await store.Outbox.LeaseAsync("w", 10, T0, TimeSpan.FromMinutes(1), Ct));
        Assert.True(await store.Outbox.MarkSyncedAsync(leased.Id, "w", "portal-1", T0, Ct));

        var renamed = NewProduct(Gtin(1)) with
        {
            Name = new LocalizedText("Cam sành Hàm Yên loại 1"), UpdatedAt = T0.AddDays(1),
            Certificates = [new("VietGAP", "VG-TQ-0999", "QUACERT", null, new DateOnly(2029, 6, 30))],
        };
        await store.Catalog.UpdateProductAsync(renamed, ProductMessage(Gtin(1)), Ct);

        Assert.Equal("Cam sành Hàm Yên loại 1", (await store.Catalog.GetProductAsync(Gtin(1), Ct))!.Name.Vi);
        Assert.Equal(renamed.Certificates, (await store.Catalog.GetProductAsync(Gtin(1), Ct))!.Certificates);
        var row = await store.Outbox.GetOutboxRowAsync(OutboxKind.Product, Gtin(1), Ct);
        Assert.Equal(OutboxState.Pending, row!.State);
        Assert.Equal(leased.Id, row.Id);
        Assert.Equal("portal-1", row.PortalId); // kept: the worker updates the portal's product
    }

    [Fact]
    public async Task Updating_an_unknown_product_fails_and_announces_nothing()
    {
        var store = await OpenSeededAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            store.Catalog.UpdateProductAsync(NewProduct(Gtin(9)), ProductMessage(Gtin(9)), Ct));

        Assert.Null(await store.Outbox.GetOutboxRowAsync(OutboxKind.Product, Gtin(9), Ct));
    }

    [Fact]
    public async Task Lot_round_trips_with_an_outbox_row_that_depends_on_its_product()
    {
        var store = await OpenSeededAsync();
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);
        var lot = NewLot(Gtin(1), "HY-2026/02");
        await store.Catalog.AddLotAsync(lot, LotMessage(Gtin(1), "HY-2026/02"), Ct);

        Assert.Equal(lot, await store.Catalog.GetLotAsync(Gtin(1), "HY-2026/02", Ct));
        Assert.Null(await store.Catalog.GetLotAsync(Gtin(1), "other", Ct));
        var row = await store.Outbox.GetOutboxRowAsync(OutboxKind.Lot, lot.Key, Ct);
        Assert.Equal((OutboxKind.Product, Gtin(1)), (row!.DependsOnKind, row.DependsOnKey));
        Assert.Equal([lot.Key], (await store.Catalog.ListLotsAsync("p1", ct: Ct)).Select(l => l.Key));
    }

    [Fact]
    public async Task A_duplicate_lot_is_refused_and_writes_no_outbox_row()
    {
        var store = await OpenSeededAsync();
        await store.Catalog.AddProductAsync(NewProduct(Gtin(1)), ProductMessage(Gtin(1)), Ct);
        await store.Catalog.AddProductAsync(NewProduct(Gtin(2)), ProductMessage(Gtin(2)), Ct);
        await store.Catalog.AddLotAsync(NewLot(Gtin(1), "L1"), LotMessage(Gtin(1), "L1"), Ct);

        await Assert.ThrowsAsync<DuplicateKeyException>(() =>
            store.Catalog.AddLotAsync(NewLot(Gtin(1), "L1") with { Quantity = 1 }, LotMessage(Gtin(1), "failed"), Ct));
        // The same lot number under another GTIN is another lot.
        await store.Catalog.AddLotAsync(NewLot(Gtin(2), "L1"), LotMessage(Gtin(2), "L1"), Ct);

        Assert.Null(await store.Outbox.GetOutboxRowAsync(OutboxKind.Lot, LotKey.Of(Gtin(1), "failed"), Ct));
        Assert.Equal(1250.5m, (await store.Catalog.GetLotAsync(Gtin(1), "L1", Ct))!.Quantity);
        Assert.Equal(2, (await store.Catalog.ListLotsAsync("p1", ct: Ct)).Count);
    }

    [Fact]
    public async Task Location_codes_are_unique_per_producer_and_found_by_gln()
    {
        var store = await OpenSeededAsync();
        var farm = new Location("p1", "farm-1", "Vườn cam Phù Lưu", "farm", "Phù Lưu", "Tuyên Quang", 22.05, 105.2, "8934567000017", T0);
        await store.Catalog.AddLocationAsync(farm, Ct);
        await store.Catalog.AddLocationAsync(farm with { ProducerId = "p2", Gln = null }, Ct);

        await Assert.ThrowsAsync<DuplicateKeyException>(() =>
            store.Catalog.AddLocationAsync(farm with { Name = "again" }, Ct));

        Assert.Equal(farm, await store.Catalog.GetLocationAsync("p1", "farm-1", Ct));
        Assert.Equal(farm, await store.Catalog.FindLocationAsync("8934567000017", Ct));
        Assert.Equal(farm, await store.Catalog.FindLocationAsync("https://id.gs1.org/414/8934567000017", Ct));
        Assert.Equal(farm, await store.Catalog.FindLocationAsync("414/8934567000017", Ct));
        Assert.Equal(farm, await store.Catalog.FindLocationAsync("urn:epc:id:sgln:8934567.00001.0", Ct));
        Assert.Null(await store.Catalog.FindLocationAsync("8934567000024", Ct));
        Assert.Single(await store.Catalog.ListLocationsAsync("p2", Ct));
    }
}
