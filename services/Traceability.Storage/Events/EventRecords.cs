namespace Traceability.Storage;

// Plain data shared by every provider: providers map it to their rows/documents, services to API DTOs.
// Identifiers are normalised before they get here (GTIN in 14 digits, CBV terms in their short form).

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
