using System.Globalization;
using Traceability.NationalPortal.Client;
using Traceability.Storage;

namespace Traceability.Sync.Pushing;

/// <summary>Lot row (Key = LotKey `01/{gtin14}/10/{lot}`, parent = product) → ToChuc_LoHang.</summary>
public sealed class LotPusher(ICatalogStore catalog, INationalPortalApi portal) : IOutboxPusher
{
    public OutboxKind Kind => OutboxKind.Lot;

    public async Task<PortalOutcome> PushAsync(OutboxRow row, string? parentPortalId, CancellationToken ct)
    {
        if (!TryParseLotKey(row.Key, out var gtin, out var lotNumber)
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

    /// <summary>`01/{gtin14}/10/{lot, percent-encoded}` (LotKey.Of) → the GTIN and the lot number.</summary>
    public static bool TryParseLotKey(string key, out string gtin14, out string lot)
    {
        gtin14 = lot = "";
        if (key.Length <= 21 || !key.StartsWith("01/", StringComparison.Ordinal) || key.AsSpan(17, 4) is not "/10/")
            return false;
        gtin14 = key[3..17];
        lot = LotKey.LotOf(key);
        return true;
    }
}
