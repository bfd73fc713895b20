namespace Traceability.Domain;

/// <summary>Vietnam's civil time: UTC+7 all year (no daylight saving). The one place the offset is declared.</summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);

    /// <summary>The instant a day begins in Vietnam (00:00 UTC+7).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);
}
