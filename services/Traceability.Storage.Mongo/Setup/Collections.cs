namespace Traceability.Storage.Mongo.Setup;

/// <summary>Collection names, and which collection holds each outbox kind.</summary>
public static class Collections
{
    public const string Producers = "producers";
    public const string Inspectors = "inspectors";
    public const string ApiKeys = "apiKeys";
    public const string Products = "products";
    public const string Locations = "locations";
    public const string Lots = "lots";
    public const string Events = "events";
    public const string CaptureJobs = "captureJobs";
    /// <summary>Reserved for the scan log of the verify feature (sharded like events).</summary>
    public const string Scans = "scans";
    /// <summary>One document per day: the salt of that day's client pseudonyms (older ones deleted).</summary>
    public const string ScanSalts = "scanSalts";
    public const string Recalls = "recalls";
    /// <summary>One document per recalled lot: hosts the recall's outbox row for that lot.</summary>
    public const string RecallLots = "recallLots";
    public const string Serials = "serials";
    public const string SigningKeys = "signingKeys";
    public const string Reports = "reports";
    public const string Inspections = "inspections";
    public const string InspectionPhotos = "inspectionPhotos";
    /// <summary>Staff's internal notes on reports, one document per note (only added: the report's history).</summary>
    public const string ReportNotes = "reportNotes";
    /// <summary>The authority workspace's audit log: one document per staff write.</summary>
    public const string Audit = "audit";
    /// <summary>EPCIS named queries, one namespace per owner.</summary>
    public const string NamedQueries = "namedQueries";
    /// <summary>Webhook subscriptions to named queries (cursor and lease per subscription).</summary>
    public const string Subscriptions = "subscriptions";
    /// <summary>The authority's named staff accounts (their keys are in apiKeys, with staffId).</summary>
    public const string Staff = "staff";
    /// <summary>Early-warning counters, one document per (signal, GTIN, lot, province, day).</summary>
    public const string EarlyWarningCounts = "ewCounts";
    /// <summary>Early-warning alerts and their life cycle.</summary>
    public const string EarlyWarningAlerts = "ewAlerts";
    /// <summary>A producer's console users (login and password hash; issue 21 point 8).</summary>
    public const string ProducerUsers = "producerUsers";

    // Plain BSON documents (no class maps), shared by every host over the database.
    /// <summary>The ASP.NET Core Data Protection key ring.</summary>
    public const string KeyRing = "dataProtectionKeys";
    public const string Images = "productImages";
    /// <summary>The change feed, and the counter document its sequence comes from.</summary>
    public const string Changes = "changes";
    public const string Counters = "counters";
    /// <summary>The lookup pages' prepared answers (one per lot or product).</summary>
    public const string LookupViews = "lookupViews";
    /// <summary>Console spreadsheet imports: the job, and its validated chunks ({jobId}:{index}).</summary>
    public const string ImportJobs = "importJobs";
    public const string ImportChunks = "importChunks";
}

/// <summary>
/// The opaque OutboxRow.Id: the kind's one-letter prefix and the host document's _id
/// ("p:{gtin}", "l:{lotKey}", "e:{eventID}"), so an id names its collection without a lookup.
/// </summary>
public static class OutboxIds
{
    public static string Format(OutboxKind kind, string key) => $"{Prefix(kind)}:{key}";

    public static bool TryParse(string? id, out OutboxKind kind, out string key)
    {
        kind = default;
        key = "";
        if (id is null || id.Length < 3 || id[1] != ':') return false;
        OutboxKind? parsed = id[0] switch
        {
            'p' => OutboxKind.Product,
            'l' => OutboxKind.Lot,
            'e' => OutboxKind.Event,
            'r' => OutboxKind.Recall,
            _ => null,
        };
        if (parsed is null) return false;
        kind = parsed.Value;
        key = id[2..];
        return true;
    }

    private static char Prefix(OutboxKind kind) => kind switch
    {
        OutboxKind.Product => 'p',
        OutboxKind.Lot => 'l',
        OutboxKind.Event => 'e',
        OutboxKind.Recall => 'r',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown outbox kind"),
    };
}

/// <summary>
/// Shard keys for a sharded cluster (infra/mongo/shard.js applies the same; a test keeps them equal).
/// Events and scans: hashed lot key, so one lot's history is on one shard and writes spread evenly.
/// Products: hashed GTIN (the _id). Lots: (gtin, lot) ranged, which keeps the unique (gtin, lot)
/// index legal (a unique index must start with the shard key). The other collections are small
/// and stay unsharded on the primary shard.
/// </summary>
public static class ShardKeys
{
    public static readonly IReadOnlyDictionary<string, BsonDocument> ByCollection = new Dictionary<string, BsonDocument>
    {
        [Collections.Events] = new("lotKey", "hashed"),
        [Collections.Scans] = new("lotKey", "hashed"),
        [Collections.Products] = new("_id", "hashed"),
        [Collections.Lots] = new BsonDocument { { "gtin", 1 }, { "lot", 1 } },
    };
}
