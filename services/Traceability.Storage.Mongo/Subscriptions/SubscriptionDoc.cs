namespace Traceability.Storage.Mongo.Documents;

/// <summary>A webhook subscription to a named query (collection <c>subscriptions</c>); times as UTC ticks for the worker's comparisons.</summary>
public sealed class SubscriptionDoc
{
    public string Id { get; set; } = "";
    public string Owner { get; set; } = "";
    public string QueryName { get; set; } = "";
    public string Destination { get; set; } = "";
    public string? ProtectedSignatureToken { get; set; }
    public bool ReportIfEmpty { get; set; }
    public string? Schedule { get; set; }
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc Since { get; set; } = new();
    public string? Cursor { get; set; }
    public TimeDoc? LastDeliveryAt { get; set; }
    public string? LastError { get; set; }
    public int Failures { get; set; }
    /// <summary>UTC ticks; 0 = due now.</summary>
    public long NextAttemptAt { get; set; }
    public string? LeaseHolder { get; set; }
    /// <summary>UTC ticks; 0 = not leased.</summary>
    public long LeasedUntil { get; set; }

    public static SubscriptionDoc From(Subscription s) => new()
    {
        Id = s.Id, Owner = s.Owner, QueryName = s.QueryName, Destination = s.Destination, ProtectedSignatureToken = s.ProtectedSignatureToken,
        ReportIfEmpty = s.ReportIfEmpty, Schedule = s.Schedule, CreatedAt = TimeDoc.From(s.CreatedAt), Since = TimeDoc.From(s.Since), Cursor = s.Cursor,
        LastDeliveryAt = s.LastDeliveryAt is { } d ? TimeDoc.From(d) : null, LastError = s.LastError, Failures = s.Failures,
        NextAttemptAt = s.NextAttemptAt?.UtcTicks ?? 0,
    };

    public Subscription ToRecord() => new(Id, Owner, QueryName, Destination, ProtectedSignatureToken, ReportIfEmpty,
        CreatedAt.ToDateTimeOffset(), Since.ToDateTimeOffset(), Cursor, LastDeliveryAt?.ToDateTimeOffset(), LastError, Failures,
        NextAttemptAt == 0 ? null : new DateTimeOffset(NextAttemptAt, TimeSpan.Zero), Schedule);
}
