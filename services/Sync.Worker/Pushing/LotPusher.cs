namespace Traceability.Sync.Pushing;

/// <summary>Lot row (Key = LotKey `01/{gtin14}/10/{lot}`, parent = product) → ToChuc_LoHang.</summary>
public sealed class LotPusher(ICatalogStore catalog, INationalPortalApi portal) : IOutboxPusher
{
    public OutboxKind Kind => OutboxKind.Lot;

    public async Task<PortalOutcome> PushAsync(OutboxRow row, string? parentPortalId, CancellationToken ct)
    {
        if (!LotKey.TryParse(row.Key, out var gtin, out var lotNumber)
            || await catalog.GetLotAsync(gtin, lotNumber, ct) is not { } lot)
            return Outcomes.Missing(row);
        var response = await portal.CreateLotAsync(ToPortal(lot, parentPortalId), ct);
        return PortalOutcome.From(response, r => r.IdLoHang);
    }

    public static PortalLot ToPortal(Lot lot, string? productPortalId) => new(
        IdSanPham: productPortalId,
        SoLo: lot.LotNumber,
        NgaySanXuat: lot.ProductionDate?.ToString(PortalDtos.DateFormat, CultureInfo.InvariantCulture),
        HanSuDung: lot.ExpiryDate?.ToString(PortalDtos.DateFormat, CultureInfo.InvariantCulture),
        SoLuong: lot.Quantity,
        DonViTinh: lot.Uom);
}
