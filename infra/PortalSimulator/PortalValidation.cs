using System.Globalization;
using Traceability.Domain.Gs1;

namespace Traceability.PortalSimulator;

/// <summary>
/// The checks a strict portal makes. Each returns null when the body is acceptable, otherwise the
/// 400 body (maLoi, thongBao). Referential checks (the parent id exists) are made by the state.
/// </summary>
internal static class PortalValidation
{
    public static readonly HashSet<string> Stages =
        ["vungTrong", "lenhSanXuat", "cheBien", "vanChuyen", "khoTong", "daiLy", "cuaHang"];

    public static readonly HashSet<string> Severities = ["cao", "trungBinh", "thap"];

    public static PortalErrorBody? Product(ProductRequest p)
    {
        if (Missing(p.MaSoThue, "maSoThue") is { } e1) return e1;
        if (!IsTaxCode(p.MaSoThue!))
            return Error("MST_KHONG_HOP_LE", "maSoThue phải có 10 chữ số, hoặc 10 chữ số kèm '-' và 3 chữ số.");
        if (Missing(p.MaBarcode, "maBarcode") is { } e2) return e2;
        if (!Gtin.TryParse(p.MaBarcode, out _, out var gtinError))
            return Error("MA_VACH_KHONG_HOP_LE", $"maBarcode không hợp lệ: {gtinError}");
        if (Missing(p.TenSanPham, "tenSanPham") is { } e3) return e3;
        if (p.TenSanPham!.Length > 500)
            return Error("DU_LIEU_QUA_DAI", "tenSanPham dài quá 500 ký tự.");
        // DESIGN §5: hinhAnh is a public image URL. A path ("/images/….png") is refused as the real
        // portal refuses it; on Linux .NET parses a rooted path as an absolute file: URI, hence the scheme test.
        if (p.HinhAnh is { Length: > 0 } image
            && !(Uri.TryCreate(image, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0))
            return Error("HINH_ANH_KHONG_HOP_LE", "hinhAnh phải là một URL công khai (http/https).");
        return null;
    }

    public static PortalErrorBody? Lot(LotRequest l)
    {
        if (Missing(l.IdSanPham, "idSanPham") is { } e1) return e1;
        if (Missing(l.SoLo, "soLo") is { } e2) return e2;
        if (l.SoLo!.Length > 20)
            return Error("SO_LO_KHONG_HOP_LE", "soLo dài quá 20 ký tự.");
        if (BadDate(l.NgaySanXuat, "ngaySanXuat", out var made) is { } e3) return e3;
        if (BadDate(l.HanSuDung, "hanSuDung", out var expires) is { } e4) return e4;
        if (made is { } m && expires is { } x && x < m)
            return Error("NGAY_KHONG_HOP_LE", "hanSuDung phải sau ngaySanXuat.");
        if (l.SoLuong is < 0)
            return Error("SO_LUONG_KHONG_HOP_LE", "soLuong không được âm.");
        return null;
    }

    public static PortalErrorBody? Event(EventRequest e)
    {
        if (Missing(e.IdLoHang, "idLoHang") is { } e1) return e1;
        if (Missing(e.MaSuKien, "maSuKien") is { } e2) return e2;
        if (Missing(e.CongDoan, "congDoan") is { } e3) return e3;
        if (!Stages.Contains(e.CongDoan!))
            return Error("CONG_DOAN_KHONG_HOP_LE", $"congDoan phải là một trong: {string.Join(", ", Stages)}.");
        if (Missing(e.ThoiGian, "thoiGian") is { } e4) return e4;
        if (!DateTimeOffset.TryParseExact(e.ThoiGian, ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return Error("THOI_GIAN_KHONG_HOP_LE", "thoiGian phải theo ISO 8601 kèm múi giờ.");
        return null;
    }

    public static PortalErrorBody? Recall(RecallRequest r)
    {
        if (Missing(r.IdLoHang, "idLoHang") is { } e1) return e1;
        if (Missing(r.LyDo, "lyDo") is { } e2) return e2;
        if (Missing(r.MucDo, "mucDo") is { } e3) return e3;
        if (!Severities.Contains(r.MucDo!))
            return Error("MUC_DO_KHONG_HOP_LE", "mucDo phải là cao, trungBinh hoặc thap.");
        if (Missing(r.NgayThuHoi, "ngayThuHoi") is { } e4) return e4;
        return BadDate(r.NgayThuHoi, "ngayThuHoi", out _);
    }

    public static PortalErrorBody Error(string code, string message) => new(code, message);

    private static PortalErrorBody? Missing(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? Error("THIEU_TRUONG_BAT_BUOC", $"Thiếu trường bắt buộc {field}.") : null;

    private static PortalErrorBody? BadDate(string? value, string field, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(value))
            return null;
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return Error("NGAY_KHONG_HOP_LE", $"{field} phải theo dạng yyyy-MM-dd.");
        date = d;
        return null;
    }

    private static bool IsTaxCode(string s) =>
        (s.Length == 10 && s.All(char.IsAsciiDigit))
        || (s.Length == 14 && s[10] == '-' && s.Remove(10, 1).All(char.IsAsciiDigit));
}
