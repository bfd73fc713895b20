namespace Traceability.Domain;

/// <summary>
/// Vietnam's 34 provincial-level units in force since 1 July 2025 (Resolution 202/2025/QH15), and
/// which of them contains each of the 63 units of 2008–2025. Records keep the province name they
/// were made with (a producer registered in 2024 may say "Hà Giang"); reports count such a record
/// under the province that contains it today, so a report never shows a province that no longer
/// exists. The table below is the documented mapping (services/Authority.Api/Statistics/README.md).
/// Names are matched without diacritics, case or the "tỉnh"/"thành phố"/"TP" prefix.
/// </summary>
public static class ProvinceMap
{
    /// <summary>Each current province with the pre-merger provinces it contains (itself first when it kept its name).</summary>
    private static readonly (string Current, string[] Former)[] Table =
    [
        // Eleven provinces were not merged.
        ("Hà Nội", []), ("Huế", ["Thừa Thiên Huế"]), ("Lai Châu", []), ("Điện Biên", []), ("Sơn La", []),
        ("Lạng Sơn", []), ("Quảng Ninh", []), ("Thanh Hóa", []), ("Nghệ An", []), ("Hà Tĩnh", []), ("Cao Bằng", []),
        // Twenty-three were formed by merging two or three.
        ("Tuyên Quang", ["Hà Giang"]), ("Lào Cai", ["Yên Bái"]), ("Thái Nguyên", ["Bắc Kạn"]),
        ("Phú Thọ", ["Vĩnh Phúc", "Hòa Bình"]), ("Bắc Ninh", ["Bắc Giang"]), ("Hưng Yên", ["Thái Bình"]),
        ("Hải Phòng", ["Hải Dương"]), ("Ninh Bình", ["Hà Nam", "Nam Định"]), ("Quảng Trị", ["Quảng Bình"]),
        ("Đà Nẵng", ["Quảng Nam"]), ("Quảng Ngãi", ["Kon Tum"]), ("Gia Lai", ["Bình Định"]),
        ("Khánh Hòa", ["Ninh Thuận"]), ("Lâm Đồng", ["Đắk Nông", "Bình Thuận"]), ("Đắk Lắk", ["Phú Yên"]),
        ("TP Hồ Chí Minh", ["Bình Dương", "Bà Rịa - Vũng Tàu", "Vũng Tàu"]), ("Đồng Nai", ["Bình Phước"]),
        ("Tây Ninh", ["Long An"]), ("Cần Thơ", ["Sóc Trăng", "Hậu Giang"]), ("Vĩnh Long", ["Bến Tre", "Trà Vinh"]),
        ("Đồng Tháp", ["Tiền Giang"]), ("Cà Mau", ["Bạc Liêu"]), ("An Giang", ["Kiên Giang"]),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["hochiminh"] = "TP Hồ Chí Minh", ["hcm"] = "TP Hồ Chí Minh", ["saigon"] = "TP Hồ Chí Minh",
        ["hanoi"] = "Hà Nội",
    };

    private static readonly Dictionary<string, string> ByKey = Build();

    /// <summary>The 34 current provinces, in the order of the table (unmerged first).</summary>
    public static IReadOnlyList<string> Current { get; } = [.. Table.Select(p => p.Current)];

    /// <summary>The pre-merger provinces each current one contains (empty when it was not merged), for the documentation and the page.</summary>
    public static IReadOnlyList<(string Current, IReadOnlyList<string> Former)> Mapping { get; } =
        [.. Table.Select(p => (p.Current, (IReadOnlyList<string>)p.Former))];

    /// <summary>
    /// The current province that contains <paramref name="name"/> (a current or a pre-merger name, with
    /// or without diacritics and prefix), or null when the name is not a province.
    /// </summary>
    public static string? CurrentOf(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var key = Key(name);
        if (Aliases.TryGetValue(key, out var alias)) return alias;
        return ByKey.GetValueOrDefault(key);
    }

    /// <summary>
    /// The current province that <paramref name="name"/> names itself (its name or a common short form,
    /// such as "TP HCM"), or null for anything else, a pre-merger name included: what a filter accepts.
    /// </summary>
    public static string? Named(string? name)
    {
        var current = CurrentOf(name);
        if (current is null) return null;
        var key = Key(name!);
        return key == Key(current) || Aliases.ContainsKey(key) ? current : null;
    }

    /// <summary>A province name's comparison key: letters and digits only, no diacritics, no "tỉnh"/"thành phố"/"TP" prefix.</summary>
    public static string Key(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
        }
        var key = sb.ToString();
        foreach (var prefix in new[] { "thanhpho", "tinh", "tp" })
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length + 2) return key[prefix.Length..];
        return key;
    }

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (current, former) in Table)
        {
            map[Key(current)] = current;
            foreach (var f in former) map[Key(f)] = current;
        }
        return map;
    }
}
