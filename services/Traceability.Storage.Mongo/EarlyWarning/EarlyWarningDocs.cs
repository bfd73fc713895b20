namespace Traceability.Storage.Mongo.Documents;

/// <summary>One early-warning counter cell (collection <c>ewCounts</c>); _id is the cell's key, so an upsert with $inc is atomic.</summary>
public sealed class SignalCountDoc
{
    public string Id { get; set; } = "";
    public string Signal { get; set; } = "";
    public string Gtin { get; set; } = "";
    public string Lot { get; set; } = "";
    public string Province { get; set; } = "";
    /// <summary>yyyy-MM-dd (Vietnam day): sorts and compares as text.</summary>
    public string Day { get; set; } = "";
    public long Count { get; set; }

    public static string KeyOf(SignalCount c) => string.Join('|', c.Signal, c.Gtin, c.Lot, c.Province, StoredDay.Text(c.Day));

    public SignalCount ToRecord() => new(Signal, Gtin, Lot, Province, StoredDay.Parse(Day), Count);
}

/// <summary>An early-warning alert (collection <c>ewAlerts</c>), its evidence and its life cycle.</summary>
public sealed class EarlyAlertDoc
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Gtin { get; set; } = "";
    public string Lot { get; set; } = "";
    public string Province { get; set; } = "";
    public string Day { get; set; } = "";
    public string? ProducerId { get; set; }
    public double Score { get; set; }
    public long Count { get; set; }
    public double Baseline { get; set; }
    public string ReasonVi { get; set; } = "";
    public string ReasonEn { get; set; } = "";
    public TimeDoc FirstSeen { get; set; } = new();
    public TimeDoc LastSeen { get; set; } = new();
    public string Status { get; set; } = "";
    public string? AcknowledgedBy { get; set; }
    public TimeDoc? AcknowledgedAt { get; set; }
    public string? ClosedBy { get; set; }
    public TimeDoc? ClosedAt { get; set; }
    public string? Outcome { get; set; }
    /// <summary>The webhook's outbox mark: ms since the epoch from which a push is due; absent when none is (a sparse index).</summary>
    [MongoDB.Bson.Serialization.Attributes.BsonIgnoreIfNull]
    public long? PushDue { get; set; }
    /// <summary>The score last delivered to the webhook (a rise of a whole threshold above it pushes again).</summary>
    public double? PushedScore { get; set; }
    public int PushAttempts { get; set; }

    public static EarlyAlertDoc From(EarlyAlert a) => new()
    {
        Id = a.Id, Kind = a.Kind, Subject = a.Subject, Gtin = a.Gtin, Lot = a.Lot, Province = a.Province, Day = StoredDay.Text(a.Day),
        ProducerId = a.ProducerId, Score = a.Score, Count = a.Count, Baseline = a.Baseline, ReasonVi = a.ReasonVi, ReasonEn = a.ReasonEn,
        FirstSeen = TimeDoc.From(a.FirstSeen), LastSeen = TimeDoc.From(a.LastSeen), Status = a.Status,
        AcknowledgedBy = a.AcknowledgedBy, AcknowledgedAt = TimeDoc.From(a.AcknowledgedAt), ClosedBy = a.ClosedBy,
        ClosedAt = TimeDoc.From(a.ClosedAt), Outcome = a.Outcome,
    };

    public EarlyAlert ToRecord() => new(Id, Kind, Subject, Gtin, Lot, Province, StoredDay.Parse(Day), ProducerId, Score, Count, Baseline,
        ReasonVi, ReasonEn, FirstSeen.ToDateTimeOffset(), LastSeen.ToDateTimeOffset(), Status, AcknowledgedBy,
        AcknowledgedAt?.ToDateTimeOffset(), ClosedBy, ClosedAt?.ToDateTimeOffset(), Outcome);
}
