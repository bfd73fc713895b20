namespace Traceability.Sync.Pushing;

/// <summary>Product row (Key = GTIN-14) → ToChuc_SanPham.</summary>
public sealed class ProductPusher(ICatalogStore catalog, IAccountStore accounts, INationalPortalApi portal) : IOutboxPusher
{
    public OutboxKind Kind => OutboxKind.Product;

    public async Task<PortalOutcome> PushAsync(OutboxRow row, string? parentPortalId, CancellationToken ct)
    {
        if (await catalog.GetProductAsync(row.Key, ct) is not { } product)
            return Outcomes.Missing(row);
        var producer = await accounts.GetProducerAsync(product.ProducerId, ct);
        var response = await portal.CreateProductAsync(ToPortal(product, producer), ct);
        return PortalOutcome.From(response, r => r.IdSanPham);
    }

    public static PortalProduct ToPortal(Product product, Producer? producer) => new(
        MaSoThue: producer?.TaxCode,
        MaBarcode: product.Gtin,
        TenSanPham: product.Name.Vi,
        DonViTinh: product.Unit,
        XuatXu: producer is null ? "Việt Nam" : $"{producer.Province}, Việt Nam",
        MoTa: product.Description?.Vi,
        HinhAnh: product.ImageUrl,
        ThuongHieu: product.Brand,
        TieuChuanApDung: product.Standards.Count > 0 ? product.Standards : null);
}
