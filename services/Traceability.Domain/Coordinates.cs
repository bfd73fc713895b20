namespace Traceability.Domain;

/// <summary>A GPS position as clients send it (verify, inspections): both or neither, each in range.</summary>
public static class Coordinates
{
    /// <summary>What is wrong with the position, by field (latitude, longitude); empty when it is usable or absent.</summary>
    public static IEnumerable<(string Field, string Message)> Problems(double? latitude, double? longitude)
    {
        if (latitude is { } lat && (double.IsNaN(lat) || lat is < -90 or > 90)) yield return ("latitude", "The latitude must be between -90 and 90.");
        if (longitude is { } lon && (double.IsNaN(lon) || lon is < -180 or > 180)) yield return ("longitude", "The longitude must be between -180 and 180.");
        if (latitude.HasValue != longitude.HasValue)
            yield return (latitude.HasValue ? "longitude" : "latitude", "Send both latitude and longitude, or neither.");
    }
}
