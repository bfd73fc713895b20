namespace Traceability.Domain.DigitalLinks;

/// <summary>
/// Vietnamese for the reasons the GS1 parsers give (Gtin, Gs1Syntax, DigitalLink, ScannedCode),
/// which stay English in the API's problem details. Shown to people — the inspector app's and the
/// page's "mã không hợp lệ" — so a mistyped code is explained in their language. One entry per
/// parser message; a test parses a malformed code of every kind and checks each is translated.
/// </summary>
public static class CodeMessages
{
    private static readonly (Regex English, string Vietnamese)[] Table =
    [
        (new("^The code is empty\\.$"), "Mã trống."),
        (new("^The code is longer than 2048 characters\\.$"), "Mã dài hơn 2048 ký tự."),
        (new("^The code is not an http\\(s\\) GS1 Digital Link URI or a path starting with /01/\\.$"), "Mã không phải đường dẫn GS1 Digital Link (http/https) hay đường dẫn bắt đầu bằng /01/."),
        (new("^The path has no GTIN \\(/01/\\{gtin\\}\\)\\.$"), "Đường dẫn không có mã GTIN (/01/{gtin})."),
        (new("^The path ends with '(.*)' without a value\\.$"), "Đường dẫn kết thúc bằng '$1' mà không có giá trị."),
        (new("^The value of AI (\\S+) is not correctly percent-encoded\\.$"), "Giá trị của AI $1 mã hóa phần trăm không đúng."),
        (new("^AI (\\S+) is not a key qualifier of a GTIN \\(allowed: 22, 10, 21\\)\\.$"), "AI $1 không phải thành phần khóa của GTIN (chỉ cho phép 22, 10, 21)."),
        (new("^Key qualifiers must appear once each, in the order /22/, /10/, /21/\\.$"), "Các thành phần khóa chỉ xuất hiện một lần, theo thứ tự /22/, /10/, /21/."),
        (new("^CPV must have 1–20 characters\\.$"), "CPV phải có từ 1 đến 20 ký tự."),
        (new("^The query attribute '(.*)' is not correctly percent-encoded\\.$"), "Thuộc tính '$1' mã hóa phần trăm không đúng."),
        (new("^The expiry date \\(AI 17\\) must be YYMMDD\\.$"), "Hạn sử dụng (AI 17) phải có dạng YYMMDD."),
        (new("^GTIN is missing\\.$"), "Thiếu mã GTIN."),
        (new("^GTIN must have 8, 12, 13 or 14 digits, not (\\d+) characters\\.$"), "Mã GTIN phải có 8, 12, 13 hoặc 14 chữ số, không phải $1 ký tự."),
        (new("^GTIN must contain digits only\\.$"), "Mã GTIN chỉ gồm chữ số."),
        (new("^GTIN check digit is wrong: expected (\\d), found (.)\\.$"), "Số kiểm tra của mã GTIN sai: phải là $1, nhưng là $2 — có thể nhập nhầm hoặc mã giả."),
        (new("^(Lot|Serial) is missing\\.$"), "Thiếu ${1:vi}."),
        (new("^(Lot|Serial) is (\\d+) characters long; at most 20 are allowed\\.$"), "${1:vi} dài $2 ký tự; tối đa 20 ký tự."),
        (new("^(Lot|Serial) contains '(.)', which is not allowed in GS1 AI values \\(character set 82\\)\\.$"), "${1:vi} chứa ký tự '$2', không được phép trong mã GS1 (bộ ký tự 82)."),
        (new("^The element string has no GTIN \\(AI 01\\)\\.$"), "Chuỗi phần tử không có mã GTIN (AI 01)."),
        (new("^Expected '\\(' at position (\\d+)\\.$"), "Thiếu dấu '(' ở vị trí $1."),
        (new("^An application identifier is not closed with '\\)'\\.$"), "Một mã AI không được đóng bằng ')'."),
        (new("^'\\((.*)\\)' is not an application identifier\\.$"), "'($1)' không phải mã định danh ứng dụng (AI)."),
        (new("^AI \\((\\S+)\\) appears twice\\.$"), "AI ($1) xuất hiện hai lần."),
        (new("^The element string ends in the middle of an application identifier\\.$"), "Chuỗi phần tử kết thúc giữa chừng một mã AI."),
        (new("^The code is not a GS1 Digital Link, element string or GTIN \\(unexpected '(.*)'\\)\\.$"), "Mã không phải GS1 Digital Link, chuỗi phần tử GS1 hay mã GTIN (gặp '$1')."),
        (new("^AI \\((\\S+)\\) needs (\\d+) digits\\.$"), "AI ($1) cần $2 chữ số."),
    ];

    /// <summary>The Vietnamese sentence for a parser's English reason (the English itself if it is not one of them).</summary>
    public static string Vietnamese(string english)
    {
        foreach (var (pattern, vi) in Table)
        {
            var m = pattern.Match(english);
            if (!m.Success) continue;
            var text = vi.Replace("${1:vi}", m.Groups[1].Value == "Lot" ? "Số lô" : "Số sê-ri", StringComparison.Ordinal);
            for (var g = m.Groups.Count - 1; g >= 1; g--) text = text.Replace("$" + g, m.Groups[g].Value, StringComparison.Ordinal);
            return text;
        }
        return english;
    }

    /// <summary>Whether <paramref name="english"/> is one of the parser's reasons (the translation test uses it).</summary>
    public static bool IsKnown(string english) => Table.Any(t => t.English.IsMatch(english));
}
