namespace Traceability.Storage.Mongo.Documents;

/// <summary>A recall (collection recalls, _id = recall id). Lots are lot numbers.</summary>
public sealed class RecallDoc
{
    public string Id { get; set; } = "";
    public string Gtin { get; set; } = "";
    public List<string> Lots { get; set; } = [];
    public string Reason { get; set; } = "";
    public string Severity { get; set; } = "";
    public string IssuedBy { get; set; } = "";
    public string? ProducerId { get; set; }
    public TimeDoc IssuedAt { get; set; } = new();
    public TimeDoc? LiftedAt { get; set; }
    public string? EndedBy { get; set; }
    public string? EndReason { get; set; }

    public static RecallDoc From(Recall r) => new()
    {
        Id = r.Id, Gtin = r.Gtin, Lots = [.. r.Lots], Reason = r.Reason, Severity = r.Severity, IssuedBy = r.IssuedBy,
        ProducerId = r.ProducerId, IssuedAt = TimeDoc.From(r.IssuedAt), LiftedAt = r.LiftedAt is { } l ? TimeDoc.From(l) : null,
        EndedBy = r.EndedBy, EndReason = r.EndReason,
    };

    public Recall ToRecord() => new(Id, Gtin, Lots, Reason, Severity, IssuedBy, ProducerId, IssuedAt.ToDateTimeOffset(),
        LiftedAt?.ToDateTimeOffset(), EndedBy, EndReason);
}

/// <summary>
/// One recalled lot of a recall (collection recallLots, _id = `{recallId}/{lotKey}` = the outbox key):
/// it hosts the recall's outbox row for that lot, and answers "is this lot recalled" by lotKey.
/// </summary>
public sealed class RecallLotDoc : IOutboxHost
{
    public string Id { get; set; } = "";
    public string RecallId { get; set; } = "";
    public string LotKey { get; set; } = "";
    public bool Active { get; set; } = true;
    public TimeDoc IssuedAt { get; set; } = new();
    public OutboxDoc? Outbox { get; set; }
}


/// <summary>An issued serial (collection serials, _id = `{lotKey}/21/{serial}`).</summary>
public sealed class SerialDoc
{
    public string Id { get; set; } = "";
    public string Gtin { get; set; } = "";
    public string Lot { get; set; } = "";
    public string Serial { get; set; } = "";
    public string KeyId { get; set; } = "";
    public TimeDoc IssuedAt { get; set; } = new();

    public static string IdOf(string gtin14, string lot, string serial) => $"{Storage.LotKey.Of(gtin14, lot)}/21/{Uri.EscapeDataString(serial)}";

    public static SerialDoc From(IssuedSerial s) => new()
    {
        Id = IdOf(s.Gtin, s.Lot, s.Serial), Gtin = s.Gtin, Lot = s.Lot, Serial = s.Serial, KeyId = s.KeyId, IssuedAt = TimeDoc.From(s.IssuedAt),
    };

    public IssuedSerial ToRecord() => new(Gtin, Lot, Serial, KeyId, IssuedAt.ToDateTimeOffset());
}

/// <summary>A label-signing key (collection signingKeys, _id = key id); the private key is stored encrypted by the service.</summary>
public sealed class SigningKeyDoc
{
    public string Id { get; set; } = "";
    public string Algorithm { get; set; } = "";
    public byte[] PublicKey { get; set; } = [];
    public byte[] ProtectedPrivateKey { get; set; } = [];
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc? RetiredAt { get; set; }

    public static SigningKeyDoc From(SigningKeyRecord k) => new()
    {
        Id = k.KeyId, Algorithm = k.Algorithm, PublicKey = k.PublicKey, ProtectedPrivateKey = k.ProtectedPrivateKey,
        CreatedAt = TimeDoc.From(k.CreatedAt), RetiredAt = k.RetiredAt is { } r ? TimeDoc.From(r) : null,
    };

    public SigningKeyRecord ToRecord() => new(Id, Algorithm, PublicKey, ProtectedPrivateKey, CreatedAt.ToDateTimeOffset(), RetiredAt?.ToDateTimeOffset());
}
