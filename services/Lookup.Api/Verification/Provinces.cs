namespace Traceability.Lookup.Api.Verification;

/// <summary>
/// Vietnam's provinces (the 63 of 2008–2025; every province name after the 2025 merger is one of
/// them) with the coordinates of their administrative centres, approximate to ~1 km — enough to
/// judge whether a package could have travelled between two scans. Names are matched without
/// diacritics, case or the "tỉnh"/"thành phố"/"TP" prefix.
/// </summary>
public static class Provinces
{
    private static readonly (string Name, double Lat, double Lon)[] Table =
    [
        ("Hà Nội", 21.028, 105.854), ("TP Hồ Chí Minh", 10.776, 106.700), ("Hải Phòng", 20.845, 106.688),
        ("Đà Nẵng", 16.054, 108.202), ("Cần Thơ", 10.045, 105.747), ("An Giang", 10.386, 105.435),
        ("Bà Rịa - Vũng Tàu", 10.496, 107.168), ("Bắc Giang", 21.273, 106.194), ("Bắc Kạn", 22.147, 105.834),
        ("Bạc Liêu", 9.294, 105.727), ("Bắc Ninh", 21.186, 106.076), ("Bến Tre", 10.241, 106.376),
        ("Bình Định", 13.776, 109.224), ("Bình Dương", 10.980, 106.652), ("Bình Phước", 11.535, 106.883),
        ("Bình Thuận", 10.928, 108.102), ("Cà Mau", 9.177, 105.150), ("Cao Bằng", 22.666, 106.258),
        ("Đắk Lắk", 12.667, 108.038), ("Đắk Nông", 12.004, 107.690), ("Điện Biên", 21.386, 103.023),
        ("Đồng Nai", 10.957, 106.843), ("Đồng Tháp", 10.460, 105.633), ("Gia Lai", 13.983, 108.000),
        ("Hà Giang", 22.823, 104.984), ("Hà Nam", 20.541, 105.914), ("Hà Tĩnh", 18.343, 105.906),
        ("Hải Dương", 20.940, 106.331), ("Hậu Giang", 9.784, 105.470), ("Hòa Bình", 20.817, 105.338),
        ("Hưng Yên", 20.646, 106.051), ("Khánh Hòa", 12.239, 109.197), ("Kiên Giang", 10.012, 105.081),
        ("Kon Tum", 14.350, 108.000), ("Lai Châu", 22.396, 103.458), ("Lâm Đồng", 11.940, 108.458),
        ("Lạng Sơn", 21.853, 106.761), ("Lào Cai", 22.486, 103.970), ("Long An", 10.535, 106.413),
        ("Nam Định", 20.434, 106.177), ("Nghệ An", 18.679, 105.681), ("Ninh Bình", 20.251, 105.975),
        ("Ninh Thuận", 11.565, 108.988), ("Phú Thọ", 21.322, 105.402), ("Phú Yên", 13.088, 109.309),
        ("Quảng Bình", 17.468, 106.622), ("Quảng Nam", 15.573, 108.474), ("Quảng Ngãi", 15.120, 108.792),
        ("Quảng Ninh", 20.951, 107.073), ("Quảng Trị", 16.816, 107.100), ("Sóc Trăng", 9.603, 105.980),
        ("Sơn La", 21.327, 103.914), ("Tây Ninh", 11.310, 106.098), ("Thái Bình", 20.450, 106.342),
        ("Thái Nguyên", 21.594, 105.848), ("Thanh Hóa", 19.807, 105.776), ("Thừa Thiên Huế", 16.463, 107.590),
        ("Tiền Giang", 10.360, 106.360), ("Trà Vinh", 9.935, 106.345), ("Tuyên Quang", 21.823, 105.214),
        ("Vĩnh Long", 10.254, 105.972), ("Vĩnh Phúc", 21.310, 105.597), ("Yên Bái", 21.722, 104.911),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["hochiminh"] = "TP Hồ Chí Minh", ["hcm"] = "TP Hồ Chí Minh", ["saigon"] = "TP Hồ Chí Minh",
        ["hue"] = "Thừa Thiên Huế", ["vungtau"] = "Bà Rịa - Vũng Tàu", ["hanoi"] = "Hà Nội",
    };

    private static readonly Dictionary<string, (string Name, double Lat, double Lon)> ByKey =
        Table.ToDictionary(p => Key(p.Name), p => p, StringComparer.Ordinal);

    public static int Count => Table.Length;

    /// <summary>Every province's canonical name, in the table's order (for pickers).</summary>
    public static IEnumerable<string> Names => Table.Select(p => p.Name);

    /// <summary>The province's canonical name and centre, or null when the name is not a province.</summary>
    public static (string Name, double Lat, double Lon)? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var key = Key(name);
        if (Aliases.TryGetValue(key, out var canonical)) key = Key(canonical);
        return ByKey.TryGetValue(key, out var p) ? p : null;
    }

    /// <summary>The province whose centre is nearest to a GPS position (an attested scan's place).</summary>
    public static (string Name, double Lat, double Lon) Nearest(double lat, double lon) =>
        Table.MinBy(p => DistanceKm(lat, lon, p.Lat, p.Lon));

    /// <summary>Great-circle distance in km (haversine, mean Earth radius).</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6371.0;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    // One normalisation of province names for the whole service (Traceability.Domain).
    private static string Key(string name) => ProvinceMap.Key(name);
}
