namespace Traceability.Storage.Mongo.Documents;

/// <summary>
/// A DateTimeOffset as stored: a BSON date for people and tools, the exact UTC ticks for queries,
/// sorting and a lossless round trip (BSON dates keep milliseconds only), and the original offset
/// (EPCIS keeps the producer's local offset, e.g. +07:00).
/// </summary>
public sealed class TimeDoc
{
    public DateTime Date { get; set; }
    public long Ticks { get; set; }
    public int Offset { get; set; }

    public static TimeDoc From(DateTimeOffset value) => new()
    {
        Date = value.UtcDateTime,
        Ticks = value.UtcTicks,
        Offset = (int)value.Offset.TotalMinutes,
    };

    public static TimeDoc? From(DateTimeOffset? value) => value is { } v ? From(v) : null;

    public DateTimeOffset ToDateTimeOffset() =>
        new DateTimeOffset(Ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(Offset));
}
