namespace Traceability.Domain.Epcis;

/// <summary>
/// The instants a captured event may carry: from 2000-01-01T00:00:00Z to one day after the
/// capture. It applies to eventTime, a captured recordTime, errorDeclaration.declarationTime and
/// the sensor times (sensorMetadata time/startTime/endTime, sensorReport time). No supply chain this
/// service traces needs more, and inside it every reader can shift a time by any real offset
/// (−12:00…+14:00) without overflowing DateTimeOffset: before it existed, one producer's event at
/// 9999-12-31T23:59:59Z made another producer's lot page fail for good. The day ahead absorbs clock
/// skew and a producer east of UTC recording "today" before its midnight.
/// </summary>
public static class EventTimeWindow
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(1);

    public static DateTimeOffset Latest(DateTimeOffset now) => now + Ahead;

    public static bool Contains(DateTimeOffset time, DateTimeOffset now) => time >= Earliest && time <= Latest(now);

    /// <summary>The sentence an out-of-window time gets, with the window's bounds.</summary>
    public static string Describe(DateTimeOffset now) =>
        $"The time must lie between {Format(Earliest)} and {Format(Latest(now))} (one day after now).";

    private static string Format(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every time of the event outside the window (or not a date-time), keyed by its path within the event.</summary>
    public static IEnumerable<(string Path, string Message)> Check(EpcisEvent e, DateTimeOffset now)
    {
        if (!Contains(e.EventTime, now)) yield return ("eventTime", Describe(now));
        if (e.RecordTime is { } recorded && !Contains(recorded, now)) yield return ("recordTime", Describe(now));
        if (e.ErrorDeclaration is { } declaration && Time(declaration, "declarationTime", now) is { } de)
            yield return ("errorDeclaration.declarationTime", de);
        if (e.SensorElementList is not { } sensors) yield break;
        for (var i = 0; i < sensors.Count; i++)
        {
            if (sensors[i] is not JsonObject sensor) continue;
            if (sensor["sensorMetadata"] is JsonObject metadata)
                foreach (var field in (string[])["time", "startTime", "endTime"])
                    if (Time(metadata, field, now) is { } me)
                        yield return ($"sensorElementList[{i}].sensorMetadata.{field}", me);
            if (sensor["sensorReport"] is not JsonArray reports) continue;
            for (var j = 0; j < reports.Count; j++)
                if (reports[j] is JsonObject report && Time(report, "time", now) is { } re)
                    yield return ($"sensorElementList[{i}].sensorReport[{j}].time", re);
        }
    }

    // Absent is fine; present must be an EPCIS date-time (with its offset) inside the window.
    private static string? Time(JsonObject owner, string field, DateTimeOffset now)
    {
        if (!owner.TryGetPropertyValue(field, out var node)) return null;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            return $"The {field} must be a date-time string.";
        if (!EpcisJson.TryParseTime(value.GetValue<string>(), out var time, out var error)) return error;
        return Contains(time, now) ? null : Describe(now);
    }
}
