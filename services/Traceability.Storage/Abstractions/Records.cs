
namespace Traceability.Storage;

// Storage records: plain data shared by every provider. Providers map them to their own
// rows/documents; services map them to API DTOs. Identifiers are normalised before they get here
// (GTIN in 14 digits, CBV terms in their short form).

/// <summary>Officer and Viewer are the authority's named staff below Admin (issue 18): officers write, viewers only read.</summary>
public enum Role { Admin, Producer, Inspector, Officer, Viewer }

/// <summary>Who an API key belongs to. ProducerId/InspectorId set according to the role.</summary>
public sealed record Principal(string KeyId, Role Role, string? ProducerId, string? InspectorId, string Name);

/// <summary>A stored API key: only the salted hash of its secret part is kept. StaffId: the named staff account it belongs to.</summary>
public sealed record ApiKeyRecord(
    string KeyId, byte[] Salt, byte[] Hash, Role Role, string? ProducerId, string? InspectorId,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null, string? StaffId = null);

/// <summary>
/// Phone and Email are the contact registered with the authority (private: staff and inspectors only);
/// PublicPhone and Website the contact the producer itself publishes on its products' consumer pages.
/// </summary>
public sealed record Producer(
    string Id, string Name, string TaxCode, string Address, string Province, string? Gln,
    IReadOnlyList<string> CompanyPrefixes, DateTimeOffset CreatedAt,
    string? Phone = null, string? Email = null, bool Suspended = false, string? PublicPhone = null, string? Website = null);

public sealed record Inspector(string Id, string Name, string Agency, DateTimeOffset CreatedAt);

public sealed record LocalizedText(string Vi, string? En = null)
{
    public string For(string lang) => lang == "en" && !string.IsNullOrEmpty(En) ? En : Vi;
}

/// <summary>
/// Standards are the names of the standards applied (VietGAP, OCOP 4 sao, …); Certificates the
/// certificates that attest them, with number, issuer and validity (Circular 02/2024's data items).
/// </summary>
public sealed record Product(
    string Gtin, string ProducerId, LocalizedText Name, string? Brand, string? ImageUrl, string? Category,
    LocalizedText? Description, IReadOnlyList<string> Standards, string? Unit, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public IReadOnlyList<Certificate> Certificates { get; init; } = [];
}

/// <summary>A certificate of a standard, e.g. VietGAP no. VG-TQ-0123 issued by a certification body, valid to a date.</summary>
public sealed record Certificate(string Standard, string? Number, string? Issuer, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>Locations are producer-scoped by Code; Gln when the producer has one.</summary>
public sealed record Location(
    string ProducerId, string Code, string Name, string Kind, string? Address, string? Province,
    double? Latitude, double? Longitude, string? Gln, DateTimeOffset CreatedAt);

public sealed record Lot(
    string Gtin, string LotNumber, string ProducerId, DateOnly? ProductionDate, DateOnly? ExpiryDate,
    decimal? Quantity, string? Uom, string? OriginLocation, DateTimeOffset CreatedAt)
{
    public string Key => LotKey.Of(Gtin, LotNumber);
}

public static class LotKey
{
    /// <summary>
    /// The key of a lot everywhere in the store: the Digital Link path `01/{gtin14}/10/{lot}` with
    /// the lot percent-encoded as in the link itself, so it equals the keys the EPCIS parser derives.
    /// </summary>
    public static string Of(string gtin14, string lot) => $"01/{gtin14}/10/{Uri.EscapeDataString(lot)}";

    /// <summary>
    /// Splits a lot key (or a longer key such as a serial's, `…/21/{serial}`) into the GTIN and the
    /// lot number; false for anything else. The one parser of lot keys: nothing else takes them apart.
    /// </summary>
    public static bool TryParse(string key, out string gtin14, out string lot)
    {
        gtin14 = lot = "";
        if (key.Length < 22 || !key.StartsWith("01/", StringComparison.Ordinal) || key.AsSpan(17, 4) is not "/10/"
            || key.AsSpan(3, 14).ContainsAnyExcept(Digits))
            return false;
        gtin14 = key[3..17];
        lot = LotOf(key);
        return lot.Length > 0;
    }

    /// <summary>The GTIN-14 of a lot or product key (`01/{gtin14}…`).</summary>
    public static string GtinOf(string key) => key.Substring(3, 14);

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    /// <summary>The lot number of a lot key (or of a longer key such as a serial's).</summary>
    public static string LotOf(string key)
    {
        var start = key.IndexOf("/10/", StringComparison.Ordinal) + 4;
        var end = key.IndexOf('/', start);
        return Uri.UnescapeDataString(end < 0 ? key[start..] : key[start..end]);
    }
}

/// <summary>One EPCIS event as stored: canonical JSON plus the indexed fields.</summary>
public sealed record StoredEvent(
    string EventId,
    string ProducerId,
    string EventType,
    DateTimeOffset EventTime,
    DateTimeOffset RecordTime,
    string? Action,
    string? BizStep,
    string? Disposition,
    string? ReadPoint,
    string? BizLocation,
    string Json,
    IReadOnlyList<EventKey> Keys,
    string? CaptureId);

/// <summary>
/// An EPCIS error declaration (EPCIS 2.0 §7.4.1.5): the stored event repeated, same eventID, with
/// <c>errorDeclaration</c>. It is kept beside the original event, never over it; reads return the
/// event in its declared state (<see cref="ErrorDeclarations.Declared"/>).
/// </summary>
/// <param name="ErrorDeclaration">The <c>errorDeclaration</c> object as captured (canonical JSON).</param>
/// <param name="Json">The declaring event as captured (canonical JSON, with its own recordTime).</param>
/// <param name="Reason">The reason as a bare CBV term (<c>incorrect_data</c>), or the URI when not a CBV term.</param>
/// <param name="Announce">The outbox row that pushes the declared event again; written only when the declaration is new.</param>
public sealed record StoredDeclaration(
    string EventId,
    string ProducerId,
    DateTimeOffset DeclarationTime,
    string? Reason,
    IReadOnlyList<string> CorrectiveEventIds,
    string ErrorDeclaration,
    string Json,
    DateTimeOffset RecordTime,
    string? CaptureId,
    OutboxMessage? Announce);

/// <summary>An EPCIS query after parsing. Empty lists mean "no filter".</summary>
public sealed record EventQuery
{
    public string? ProducerId { get; init; }  // null = every producer (admin)
    public IReadOnlyList<string> EventTypes { get; init; } = [];
    public DateTimeOffset? GeEventTime { get; init; }
    public DateTimeOffset? LtEventTime { get; init; }
    public DateTimeOffset? GeRecordTime { get; init; }
    public DateTimeOffset? LtRecordTime { get; init; }
    public IReadOnlyList<string> BizSteps { get; init; } = [];
    public IReadOnlyList<string> Dispositions { get; init; } = [];
    public IReadOnlyList<string> BizLocations { get; init; } = [];
    public IReadOnlyList<string> ReadPoints { get; init; } = [];
    /// <summary>ADD, OBSERVE, DELETE (EQ_action); events without an action never match.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];
    public IReadOnlyList<string> EventIds { get; init; } = [];
    /// <summary>Each filter: the event has a key with one of the roles equal to one of the values.</summary>
    public IReadOnlyList<KeyFilter> KeyFilters { get; init; } = [];
    /// <summary>EXISTS_errorDeclaration: only events with an error declaration.</summary>
    public bool ErrorDeclared { get; init; }
    public DateTimeOffset? GeErrorDeclarationTime { get; init; }
    public DateTimeOffset? LtErrorDeclarationTime { get; init; }
    /// <summary>EQ_errorReason: bare CBV terms (<c>did_not_occur</c>) or URIs; events without a declaration never match.</summary>
    public IReadOnlyList<string> ErrorReasons { get; init; } = [];
    /// <summary>EQ_correctiveEventID: the declaration names one of these corrective events.</summary>
    public IReadOnlyList<string> CorrectiveEventIds { get; init; } = [];
    /// <summary>
    /// The parameters no index serves (EXISTS_, extension fields, quantities, sensors…): stores read on in query order
    /// past the events it rejects until the page is full or the events end (<see cref="EventPages"/>).
    /// </summary>
    public EventPredicate? Filter { get; init; }
    public int PerPage { get; init; } = 100;
    /// <summary>eventCountLimit: one page of this many (PerPage), and the API offers no next page (stores ignore it).</summary>
    public int? EventCountLimit { get; init; }
    /// <summary>Opaque continuation from the previous page; it holds the order, and a token of another order is refused (ArgumentException).</summary>
    public string? PageToken { get; init; }
    /// <summary>
    /// A token after the page's last event even when no more events follow yet (a subscription's
    /// cursor: the next round continues after it); none for an empty page.
    /// </summary>
    public bool TokenAfterLastEvent { get; init; }
    /// <summary>orderBy: record time (the default) or event time; equal times go by eventID.</summary>
    public EventOrder OrderBy { get; init; } = EventOrder.RecordTime;
    /// <summary>orderDirection DESC (eventID descending too for equal times); ASC is the default.</summary>
    public bool Descending { get; init; }
}

/// <summary>The fields <see cref="IEventStore.ListEventValuesAsync"/> lists (the EPCIS top-level resources).</summary>
public enum EventValueKind
{
    BizStep,
    Disposition,
    BizLocation,
    ReadPoint,
    /// <summary>Keys of the what-dimension: EPCs, parents, inputs, outputs and their classes.</summary>
    Epc,
}

/// <summary>The orders of <see cref="EventQuery"/> (EPCIS orderBy).</summary>
public enum EventOrder
{
    RecordTime,
    EventTime,
}

/// <summary>The order tags page tokens carry, the same on every provider.</summary>
public static class EventOrderTags
{
    /// <summary>The key roles <see cref="EventValueKind.Epc"/> lists and /epcs/{epc}/events matches.</summary>
    public static IReadOnlyList<EventKeyRole> WhatRoles { get; } =
    [
        EventKeyRole.Epc, EventKeyRole.Parent, EventKeyRole.Input, EventKeyRole.Output,
        EventKeyRole.Class, EventKeyRole.InputClass, EventKeyRole.OutputClass,
    ];

    /// <summary><c>r1</c>: record time ascending (the tag of tokens issued before orderBy), <c>rd</c>, <c>e1</c>, <c>ed</c>.</summary>
    public static string Of(EventQuery q) => (q.OrderBy == EventOrder.EventTime ? "e" : "r") + (q.Descending ? "d" : "1");

    public static bool IsTag(string tag) => tag is "r1" or "rd" or "e1" or "ed";
}

/// <summary>
/// Matches events with a key whose role is in Roles and whose value equals one of Values, or
/// starts with it when the value ends with '*' (EPC pattern).
/// </summary>
public sealed record KeyFilter(IReadOnlyList<EventKeyRole> Roles, IReadOnlyList<string> Values);

public sealed record EventPage(IReadOnlyList<StoredEvent> Events, string? NextPageToken);

public sealed record CaptureJob(
    string CaptureId, string ProducerId, bool Running, bool Success, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, IReadOnlyList<string> Errors, int EventCount, int DuplicateCount,
    string ErrorBehaviour = CaptureJob.Rollback)
{
    /// <summary>GS1-Capture-Error-Behaviour: all events or none (the default).</summary>
    public const string Rollback = "rollback";

    /// <summary>GS1-Capture-Error-Behaviour: the valid events are stored, the job lists the others' errors.</summary>
    public const string Proceed = "proceed";
}

public sealed record CaptureResult(int Stored, int Duplicates);

public enum OutboxKind { Product, Lot, Event, Recall }

public enum OutboxState { Pending, InFlight, Synced, Failed }

/// <summary>
/// A row announcing that an entity must reach the national portal. Key is the entity's natural key
/// (GTIN, LotKey, eventID, recall id); DependsOn names the parent row that must be synced first.
/// </summary>
public sealed record OutboxRow(
    string Id,
    OutboxKind Kind,
    string Key,
    OutboxState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LeaseUntil,
    string? LeaseOwner,
    string? LastError,
    string? PortalId,
    string? TraceParent,
    OutboxKind? DependsOnKind,
    string? DependsOnKey);

/// <summary>What a write asks to be announced: written in the same transaction as the entity.</summary>
public sealed record OutboxMessage(OutboxKind Kind, string Key, OutboxKind? DependsOnKind, string? DependsOnKey, string? TraceParent);

/// <summary>
/// What became of one leased row, for <see cref="IOutboxStore.RecordOutcomesAsync"/>: Synced with the
/// portal's id, Failed with the portal's reason, or released (Pending) until RetryAt.
/// </summary>
public sealed record OutboxOutcome(string Id, OutboxState State, string? PortalId, string? Error, DateTimeOffset? RetryAt)
{
    public static OutboxOutcome Synced(string id, string portalId) => new(id, OutboxState.Synced, portalId, null, null);
    public static OutboxOutcome Failed(string id, string error) => new(id, OutboxState.Failed, null, error, null);
    public static OutboxOutcome Released(string id, DateTimeOffset retryAt, string? error) => new(id, OutboxState.Pending, null, error, retryAt);
}

public sealed record OutboxStatus(long Pending, long InFlight, long Synced, long Failed, double OldestPendingSeconds);
