using System.Text.Json.Serialization;

namespace Traceability.NationalPortal.Client;

// The portal's wire format (DESIGN §5): Vietnamese field names, dates as yyyy-MM-dd, times as
// ISO 8601 with offset. Ids are opaque strings chosen by the portal.

/// <summary>Marker for the field names; see the records below.</summary>
public static class PortalDtos
{
    /// <summary>congDoan values the portal accepts for an event.</summary>
    public static readonly IReadOnlyList<string> Stages =
        ["vungTrong", "lenhSanXuat", "cheBien", "vanChuyen", "khoTong", "daiLy", "cuaHang"];

    public const string DateFormat = "yyyy-MM-dd";
}

public sealed record TokenRequest(
    [property: AliasAs("grant_type")] string GrantType,
    [property: AliasAs("client_id")] string ClientId,
    [property: AliasAs("client_secret")] string ClientSecret)
{
    // The secret must never reach a log through a record's generated ToString.
    public override string ToString() => $"TokenRequest {{ GrantType = {GrantType}, ClientId = {ClientId} }}";
}

public sealed record PortalToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn)
{
    public override string ToString() => $"PortalToken {{ TokenType = {TokenType}, ExpiresIn = {ExpiresIn} }}";
}

public sealed record PortalProduct(
    [property: JsonPropertyName("maSoThue")] string? MaSoThue,
    [property: JsonPropertyName("maBarcode")] string? MaBarcode,
    [property: JsonPropertyName("tenSanPham")] string? TenSanPham,
    [property: JsonPropertyName("donViTinh")] string? DonViTinh,
    [property: JsonPropertyName("xuatXu")] string? XuatXu,
    [property: JsonPropertyName("moTa")] string? MoTa,
    [property: JsonPropertyName("hinhAnh")] string? HinhAnh,
    [property: JsonPropertyName("thuongHieu")] string? ThuongHieu,
    [property: JsonPropertyName("tieuChuanApDung")] IReadOnlyList<string>? TieuChuanApDung);

public sealed record PortalProductCreated([property: JsonPropertyName("idSanPham")] string? IdSanPham);

public sealed record PortalLot(
    [property: JsonPropertyName("idSanPham")] string? IdSanPham,
    [property: JsonPropertyName("soLo")] string? SoLo,
    [property: JsonPropertyName("ngaySanXuat")] string? NgaySanXuat,
    [property: JsonPropertyName("hanSuDung")] string? HanSuDung,
    [property: JsonPropertyName("soLuong")] decimal? SoLuong,
    [property: JsonPropertyName("donViTinh")] string? DonViTinh);

public sealed record PortalLotCreated([property: JsonPropertyName("idLoHang")] string? IdLoHang);

public sealed record PortalEvent(
    [property: JsonPropertyName("idLoHang")] string? IdLoHang,
    [property: JsonPropertyName("maSuKien")] string? MaSuKien,
    [property: JsonPropertyName("congDoan")] string? CongDoan,
    [property: JsonPropertyName("thoiGian")] string? ThoiGian,
    [property: JsonPropertyName("maTruyVetSanPham")] string? MaTruyVetSanPham,
    [property: JsonPropertyName("maTruyVetDiaDiem")] string? MaTruyVetDiaDiem,
    [property: JsonPropertyName("tenDiaDiem")] string? TenDiaDiem,
    [property: JsonPropertyName("diaChi")] string? DiaChi,
    [property: JsonPropertyName("moTa")] string? MoTa,
    [property: JsonPropertyName("dinhChinh"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PortalCorrection? DinhChinh = null);

/// <summary>
/// An event's correction (EPCIS error declaration): the event is pushed again under the same
/// maSuKien with this object. thoiGian = declarationTime, lyDo = the CBV reason (did_not_occur,
/// incorrect_data), maSuKienDinhChinh = the eventIDs of the corrective events.
/// </summary>
public sealed record PortalCorrection(
    [property: JsonPropertyName("thoiGian")] string ThoiGian,
    [property: JsonPropertyName("lyDo")] string? LyDo,
    [property: JsonPropertyName("maSuKienDinhChinh")] IReadOnlyList<string> MaSuKienDinhChinh);

public sealed record PortalEventCreated([property: JsonPropertyName("idSuKien")] string? IdSuKien);

public sealed record PortalRecall(
    [property: JsonPropertyName("idLoHang")] string? IdLoHang,
    [property: JsonPropertyName("lyDo")] string? LyDo,
    [property: JsonPropertyName("mucDo")] string? MucDo,
    [property: JsonPropertyName("ngayThuHoi")] string? NgayThuHoi);

public sealed record PortalRecallCreated([property: JsonPropertyName("idThuHoi")] string? IdThuHoi);

/// <summary>The portal's error body: 400 (permanent) and 409 (natural key exists) carry it.</summary>
public sealed record PortalError(
    [property: JsonPropertyName("maLoi")] string? MaLoi,
    [property: JsonPropertyName("thongBao")] string? ThongBao);
