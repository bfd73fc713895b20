namespace Traceability.PortalSimulator;

// The portal's request bodies as the simulator reads them. Deliberately separate from the client's
// DTOs: a field the client misspells is an unknown member here and gets a 400, as it would on the
// real portal.

public sealed record ProductRequest(
    [property: JsonPropertyName("maSoThue")] string? MaSoThue,
    [property: JsonPropertyName("maBarcode")] string? MaBarcode,
    [property: JsonPropertyName("tenSanPham")] string? TenSanPham,
    [property: JsonPropertyName("donViTinh")] string? DonViTinh,
    [property: JsonPropertyName("xuatXu")] string? XuatXu,
    [property: JsonPropertyName("moTa")] string? MoTa,
    [property: JsonPropertyName("hinhAnh")] string? HinhAnh,
    [property: JsonPropertyName("thuongHieu")] string? ThuongHieu,
    [property: JsonPropertyName("tieuChuanApDung")] IReadOnlyList<string>? TieuChuanApDung);

public sealed record LotRequest(
    [property: JsonPropertyName("idSanPham")] string? IdSanPham,
    [property: JsonPropertyName("soLo")] string? SoLo,
    [property: JsonPropertyName("ngaySanXuat")] string? NgaySanXuat,
    [property: JsonPropertyName("hanSuDung")] string? HanSuDung,
    [property: JsonPropertyName("soLuong")] decimal? SoLuong,
    [property: JsonPropertyName("donViTinh")] string? DonViTinh);

public sealed record EventRequest(
    [property: JsonPropertyName("idLoHang")] string? IdLoHang,
    [property: JsonPropertyName("maSuKien")] string? MaSuKien,
    [property: JsonPropertyName("congDoan")] string? CongDoan,
    [property: JsonPropertyName("thoiGian")] string? ThoiGian,
    [property: JsonPropertyName("maTruyVetSanPham")] string? MaTruyVetSanPham,
    [property: JsonPropertyName("maTruyVetDiaDiem")] string? MaTruyVetDiaDiem,
    [property: JsonPropertyName("tenDiaDiem")] string? TenDiaDiem,
    [property: JsonPropertyName("diaChi")] string? DiaChi,
    [property: JsonPropertyName("moTa")] string? MoTa,
    [property: JsonPropertyName("dinhChinh"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CorrectionRequest? DinhChinh = null);

/// <summary>An event's correction: it comes again under its maSuKien with this (see PortalState.AddEvent).</summary>
public sealed record CorrectionRequest(
    [property: JsonPropertyName("thoiGian")] string? ThoiGian,
    [property: JsonPropertyName("lyDo")] string? LyDo,
    [property: JsonPropertyName("maSuKienDinhChinh")] IReadOnlyList<string>? MaSuKienDinhChinh);

public sealed record RecallRequest(
    [property: JsonPropertyName("idLoHang")] string? IdLoHang,
    [property: JsonPropertyName("lyDo")] string? LyDo,
    [property: JsonPropertyName("mucDo")] string? MucDo,
    [property: JsonPropertyName("ngayThuHoi")] string? NgayThuHoi);

/// <summary>400 and 409 bodies; a 409 also carries the existing id under the resource's id field.</summary>
public sealed record PortalErrorBody(
    [property: JsonPropertyName("maLoi")] string MaLoi,
    [property: JsonPropertyName("thongBao")] string ThongBao);
