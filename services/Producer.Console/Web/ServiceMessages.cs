using System.Text.RegularExpressions;

namespace Traceability.ProducerConsole.Web;

/// <summary>
/// The shared services speak English; the simple, frequent messages are translated here and
/// anything else is shown as it came (still beside its field).
/// </summary>
internal static class ServiceMessages
{
    /// <summary>The message in the request's language (<see cref="ConsoleCulture"/>).</summary>
    public static string Translate(string message) => Translate(message, ConsoleCulture.IsEnglish);

    public static string Translate(string message, bool english)
    {
        if (english) return message;
        foreach (var (pattern, vi) in Translations)
        {
            var m = pattern.Match(message);
            if (m.Success) return m.Result(vi);
        }
        return message;
    }

    private static readonly (Regex Pattern, string Vi)[] Translations =
    [
        (new(@"^This field is required\.$"), "Trường này bắt buộc."),
        (new(@"^At most (\d+) characters are allowed\.$"), "Tối đa $1 ký tự."),
        (new(@"^GTIN is missing\.$"), "Chưa nhập GTIN."),
        (new(@"^GTIN must have 8, 12, 13 or 14 digits, not (\d+) characters\.$"), "GTIN phải có 8, 12, 13 hoặc 14 chữ số (đang có $1 ký tự)."),
        (new(@"^GTIN must contain digits only\.$"), "GTIN chỉ gồm chữ số."),
        (new(@"^GTIN check digit is wrong: expected (\d), found (.)\.$"), "Số kiểm tra của GTIN sai: phải là $1, đang là $2."),
        (new(@"^GTIN (\d+) is outside your GS1 company prefixes \((.*)\)\.$"), "GTIN $1 không thuộc mã doanh nghiệp GS1 của bạn ($2)."),
        (new(@"^GTIN (\d+) is already registered\.$"), "GTIN $1 đã được đăng ký."),
        (new(@"^GTIN (\d+) is not registered.*$"), "GTIN $1 chưa được đăng ký; hãy tạo sản phẩm trước."),
        (new(@"^GTIN (\d+) belongs to another producer\.$"), "GTIN $1 thuộc nhà sản xuất khác."),
        (new(@"^(Lot|Serial) is missing\.$"), "Chưa nhập số lô."),
        (new(@"^(Lot|Serial) is (\d+) characters long; at most 20 are allowed\.$"), "Số lô dài $2 ký tự; tối đa 20."),
        (new(@"^(Lot|Serial) contains '(.)', which is not allowed.*$"), "Số lô chứa ký tự '$2' không được phép (bộ ký tự GS1 82)."),
        (new(@"^Lot (.+) of GTIN (\d+) already exists\.$"), "Lô $1 của GTIN $2 đã tồn tại."),
        (new(@"^Lot (.+) is not registered.*$"), "Lô $1 chưa được đăng ký."),
        (new(@"^GLN must have exactly 13 digits\.$"), "GLN phải có đúng 13 chữ số."),
        (new(@"^GLN check digit is wrong: expected (\d)\.$"), "Số kiểm tra của GLN sai: phải là $1."),
        (new(@"^The image URL must be.*$"), "Địa chỉ ảnh phải là URL http(s) đầy đủ."),
        (new(@"^At most (\d+) standards are allowed\.$"), "Tối đa $1 tiêu chuẩn."),
        (new(@"^A standard is a name of.*$"), "Mỗi tiêu chuẩn là một tên dài 1–100 ký tự (vd. VietGAP, OCOP 4 sao)."),
        (new(@"^At most (\d+) certificates are allowed\.$"), "Tối đa $1 giấy chứng nhận."),
        (new(@"^The certificate's validity ends before it starts\.$"), "Ngày hết hiệu lực trước ngày bắt đầu hiệu lực."),
        (new(@"^A phone number is digits.*$"), "Số điện thoại gồm chữ số, có thể có dấu cách, chấm, gạch ngang, ngoặc và dấu + ở đầu (tối đa 30 ký tự)."),
        (new(@"^The website must be an absolute http\(s\) URL.*$"), "Trang web phải là địa chỉ đầy đủ bắt đầu bằng http:// hoặc https:// (tối đa 300 ký tự)."),
        (new(@"^The code is required.*$"), "Mã bắt buộc: 1–40 chữ cái không dấu, chữ số, '-', '_' hoặc '.'."),
        (new(@"^The kind must be one of.*$"), "Hãy chọn loại địa điểm."),
        (new(@"^Latitude must be between.*$"), "Vĩ độ phải từ -90 đến 90."),
        (new(@"^Longitude must be between.*$"), "Kinh độ phải từ -180 đến 180."),
        (new(@"^Give both latitude and longitude.*$"), "Nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai."),
        (new(@"^You already have a location with code '(.*?)'.*$"), "Bạn đã có địa điểm mã '$1'."),
        (new(@"^You have no location with code '(.*)'\.$"), "Bạn chưa có địa điểm mã '$1'."),
        (new(@"^The expiry date is before the production date\.$"), "Hạn sử dụng trước ngày sản xuất."),
        (new(@"^The quantity cannot be negative\.$"), "Số lượng không được âm."),
        (new(@"^The quantity must be a non-negative number\.$"), "Số lượng phải là số không âm."),
        (new(@"^The uom must be.*$"), "Đơn vị phải là mã UN/CEFACT 1–3 ký tự (vd. KGM)."),
        (new(@"^A uom needs a quantity\.$"), "Có đơn vị thì phải có số lượng."),
        (new(@"^Event (.*) is about GTIN (\d+), which belongs to another producer\.$"), "Sự kiện nói về GTIN $2 của nhà sản xuất khác."),
        // Personal accounts (ProducerUserService).
        (new(@"^The login is an e-mail address or a phone number.*$"), "Tên đăng nhập là địa chỉ e-mail hoặc số điện thoại (8–15 chữ số, có thể có dấu + ở đầu)."),
        (new(@"^The name is required \(at most (\d+) characters\)\.$"), "Cần nhập họ tên (tối đa $1 ký tự)."),
        (new(@"^The role must be admin or staff\.$"), "Hãy chọn vai trò: quản trị hoặc nhân viên."),
        (new(@"^The login (.+) is already used by another account\.$"), "$1 đã được dùng cho một tài khoản khác."),
        (new(@"^The current password is wrong\.$"), "Mật khẩu hiện tại không đúng."),
        (new(@"^The password needs at least (\d+) characters\.$"), "Mật khẩu cần ít nhất $1 ký tự."),
        (new(@"^The password may have at most (\d+) characters\.$"), "Mật khẩu dài tối đa $1 ký tự."),
        (new(@"^The password must not contain your own e-mail address or phone number\.$"), "Mật khẩu không được chứa e-mail hoặc số điện thoại của chính bạn."),
        (new(@"^The new password must differ from the current one\.$"), "Mật khẩu mới phải khác mật khẩu hiện tại."),
        (new(@"^The two new passwords differ\.$"), "Hai lần nhập mật khẩu mới không giống nhau."),
        (new(@"^You cannot disable your own account.*$"), "Bạn không thể tự khoá tài khoản của mình: hãy nhờ một quản trị viên khác của đơn vị."),
        (new(@"^The user '.*' is (already )?disabled\.$"), "Tài khoản này đã bị khoá."),
        (new(@"^Producer .* has no user .*$"), "Không tìm thấy tài khoản này."),
        // Recalls (RecallService).
        (new(@"^The reason is required \(at most (\d+) characters\): consumers.*$"), "Cần nhập lý do thu hồi (tối đa $1 ký tự): người tiêu dùng và Cổng truy xuất quốc gia thấy lý do này."),
        (new(@"^The severity must be one of.*$"), "Hãy chọn mức độ: cao, trung bình hoặc thấp."),
        (new(@"^Name 1 to (\d+) lots to recall\.$"), "Chọn từ 1 đến $1 lô để thu hồi."),
        (new(@"^GTIN (\d+) belongs to another producer; only its producer.*$"), "GTIN $1 thuộc nhà sản xuất khác; chỉ nhà sản xuất đó hoặc cơ quan quản lý được thu hồi."),
        (new(@"^The reason for ending the recall is required \(at most (\d+) characters\)\.$"), "Cần nhập lý do kết thúc thu hồi (tối đa $1 ký tự)."),
        (new(@"^Recall (.+) has already ended\.$"), "Đợt thu hồi này đã kết thúc."),
        (new(@"^Recall (.+) was issued by the authority.*$"), "Đợt thu hồi này do cơ quan quản lý ra quyết định; chỉ cơ quan quản lý được kết thúc."),
        (new(@"^Recall (.+) was issued by another producer.*$"), "Đợt thu hồi này do nhà sản xuất khác ra quyết định."),
        (new(@"^There is no recall '(.*)'\.$"), "Không tìm thấy đợt thu hồi."),
    ];
}
