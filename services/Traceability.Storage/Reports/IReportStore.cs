namespace Traceability.Storage;

/// <summary>A complaint's triage state: new → in review → resolved or rejected (a decided one may be reopened).</summary>
public enum ReportStatus { New, InReview, Resolved, Rejected }

/// <summary>
/// What a consumer may report: the report API accepts exactly these and the lookup page's form
/// offers them, in this order. <c>safety</c> is food safety (poisoning, a foreign body).
/// </summary>
public static class ReportCategories
{
    public static readonly IReadOnlyList<string> All = ["counterfeit", "wrong_information", "quality", "safety", "other"];
}

public static class ReportStatuses
{
    /// <summary>A status as stored in SQLite and reported by the statistics (<c>new</c>, <c>in_review</c>, <c>closed</c>).</summary>
    public static string Text(ReportStatus status) => status switch
    {
        ReportStatus.New => "new",
        ReportStatus.InReview => "in_review",
        ReportStatus.Rejected => "rejected",
        _ => "resolved",
    };
}

/// <summary>
/// A consumer's report or complaint. ProtectedContact is the contact detail as the service
/// encrypted it (ASP.NET Data Protection payload): the store never sees it in clear text.
/// LotKey is set when the scanned code named a lot; nothing identifying the sender is kept.
/// Assignee is the staff member's id (IStaffDirectory) handling it; Outcome what was decided.
/// </summary>
public sealed record ConsumerReport(
    string Id, DateTimeOffset CreatedAt, string? Code, string? LotKey, string Category, string Message,
    string? ProtectedContact, ReportStatus Status, DateTimeOffset UpdatedAt, string? Assignee = null, string? Outcome = null);

/// <summary>A staff member's internal note on a report; notes are only added, so they are the report's history.</summary>
public sealed record ReportNote(string Id, string ReportId, DateTimeOffset At, string Author, string Text);

/// <summary>
/// One market inspection. ClientRef is the inspector app's own id of the record (unique per
/// inspector), so a record queued offline and sent twice is stored once. Place is the stall or
/// shop where the goods were found, as the inspector names it.
/// </summary>
public sealed record Inspection(
    string Id, string InspectorId, DateTimeOffset CreatedAt, DateTimeOffset InspectedAt, string Code, string? LotKey,
    string Result, string? Notes, double? Latitude, double? Longitude, string? ClientRef, string? PhotoContentType,
    DateTimeOffset? PublishedAt = null, string? Place = null);

/// <summary>
/// Which inspections to list, newest first. Period bounds are on the time of the inspection
/// (From inclusive, To exclusive); PublishedOnly keeps the outcomes staff published.
/// </summary>
public sealed record InspectionQuery(
    string? LotKey = null, string? InspectorId = null, string? Result = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, bool PublishedOnly = false, int Max = 200);

public sealed record InspectionPhoto(string ContentType, byte[] Data);

public interface IReportStore
{
    Task AddReportAsync(ConsumerReport report, CancellationToken ct = default);
    Task<ConsumerReport?> GetReportAsync(string id, CancellationToken ct = default);
    /// <summary>Newest first; status null = every status.</summary>
    Task<IReadOnlyList<ConsumerReport>> ListReportsAsync(ReportStatus? status, int max, CancellationToken ct = default);
    /// <summary>False when there is no such report.</summary>
    Task<bool> SetReportStatusAsync(string id, ReportStatus status, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// Saves a triage change — the report's Status, Assignee, Outcome and UpdatedAt as in
    /// <paramref name="report"/>, the note if any — and its audit entry in one transaction, so no
    /// change stands without its record. False when there is no such report.
    /// </summary>
    Task<bool> SaveTriageAsync(ConsumerReport report, ReportNote? note, AuditEntry entry, CancellationToken ct = default);

    /// <summary>The report's notes, oldest first.</summary>
    Task<IReadOnlyList<ReportNote>> ListReportNotesAsync(string reportId, CancellationToken ct = default);
}

public interface IInspectionStore
{
    /// <exception cref="DuplicateKeyException">the inspector already sent a record with that ClientRef.</exception>
    Task AddInspectionAsync(Inspection inspection, CancellationToken ct = default);
    Task<Inspection?> GetInspectionAsync(string id, CancellationToken ct = default);
    Task<Inspection?> FindInspectionByClientRefAsync(string inspectorId, string clientRef, CancellationToken ct = default);
    /// <summary>Newest first; lotKey null = every lot.</summary>
    Task<IReadOnlyList<Inspection>> ListInspectionsAsync(string? lotKey, int max, CancellationToken ct = default);
    /// <summary>Newest inspected first, filtered as the query says.</summary>
    Task<IReadOnlyList<Inspection>> QueryInspectionsAsync(InspectionQuery query, CancellationToken ct = default);
    /// <summary>
    /// Publishes the inspection's outcome (at <paramref name="publishedAt"/>) or withdraws it (null),
    /// with its audit entry in one transaction. False when there is no such inspection.
    /// </summary>
    Task<bool> SetInspectionPublishedAsync(string id, DateTimeOffset? publishedAt, AuditEntry entry, CancellationToken ct = default);
    /// <summary>Attaches (or replaces) the photo evidence; false when there is no such inspection.</summary>
    Task<bool> SetInspectionPhotoAsync(string id, InspectionPhoto photo, CancellationToken ct = default);
    Task<InspectionPhoto?> GetInspectionPhotoAsync(string id, CancellationToken ct = default);
}
