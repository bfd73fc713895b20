namespace Traceability.Lookup.Api.Pages;

/// <summary>How the pages write dates, times, places and coordinates: the same in both languages (Vietnamese conventions).</summary>
internal static class PageFormat
{
    private static readonly TimeSpan Vietnam = Traceability.Domain.VietnamTime.Offset;

    public static string? Date(DateOnly? d) => d?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>The day of an instant in Vietnam.</summary>
    public static string Date(DateTimeOffset t) => Date(Traceability.Domain.VietnamTime.Today(t))!;

    // A time stored before capture checked its window (9999-12-31T23:59:59Z) has no Vietnam time: show it in UTC.
    public static string DateTime(DateTimeOffset t) =>
        (t.UtcDateTime <= System.DateTime.MaxValue - Vietnam ? t.ToOffset(Vietnam) : t.ToUniversalTime())
            .ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string Place(PlaceView p) => p.Province is null ? p.Name : $"{p.Name}, {p.Province}";

    public static string Coordinates(double lat, double lon) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(lat):0.####}° {(lat >= 0 ? 'N' : 'S')}, {Math.Abs(lon):0.####}° {(lon >= 0 ? 'E' : 'W')}");

    /// <summary>The geo: URI's coordinates (more digits than shown: a map opens on the spot).</summary>
    public static string GeoUri(double lat, double lon) =>
        string.Create(CultureInfo.InvariantCulture, $"geo:{lat:0.#####},{lon:0.#####}");

    /// <summary>tel: takes digits and a leading + only; the number shows as the producer wrote it.</summary>
    public static string TelUri(string phone) => "tel:" + new string(phone.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
}
