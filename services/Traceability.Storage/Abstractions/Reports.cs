namespace Traceability.Storage;

public enum ReportStatus { New, InReview, Closed }

public static class ReportStatuses
{
    /// <summary>A status as stored in SQLite and reported by the statistics (<c>new</c>, <c>in_review</c>, <c>closed</c>).</summary>
    public static string Text(ReportStatus status) => status switch
    {
        ReportStatus.New => "new",
        ReportStatus.InReview => "in_review",
        _ => "closed",
    };
}

/// <summary>
/// A consumer's report or complaint. ProtectedContact is the contact detail as the service
/// encrypted it (ASP.NET Data Protection payload): the store never sees it in clear text.
/// LotKey is set when the scanned code named a lot; nothing identifying the sender is kept.
/// </summary>
public sealed record ConsumerReport(
    string Id, DateTimeOffset CreatedAt, string? Code, string? LotKey, string Category, string Message,
    string? ProtectedContact, ReportStatus Status, DateTimeOffset UpdatedAt);

/// <summary>
/// One market inspection. ClientRef is the inspector app's own id of the record (unique per
/// inspector), so a record queued offline and sent twice is stored once.
/// </summary>
public sealed record Inspection(
    string Id, string InspectorId, DateTimeOffset CreatedAt, DateTimeOffset InspectedAt, string Code, string? LotKey,
    string Result, string? Notes, double? Latitude, double? Longitude, string? ClientRef, string? PhotoContentType);

public sealed record InspectionPhoto(string ContentType, byte[] Data);

public interface IReportStore
{
    Task AddReportAsync(ConsumerReport report, CancellationToken ct = default);
    Task<ConsumerReport?> GetReportAsync(string id, CancellationToken ct = default);
    /// <summary>Newest first; status null = every status.</summary>
    Task<IReadOnlyList<ConsumerReport>> ListReportsAsync(ReportStatus? status, int max, CancellationToken ct = default);
    /// <summary>False when there is no such report.</summary>
    Task<bool> SetReportStatusAsync(string id, ReportStatus status, DateTimeOffset at, CancellationToken ct = default);
}

public interface IInspectionStore
{
    /// <exception cref="DuplicateKeyException">the inspector already sent a record with that ClientRef.</exception>
    Task AddInspectionAsync(Inspection inspection, CancellationToken ct = default);
    Task<Inspection?> GetInspectionAsync(string id, CancellationToken ct = default);
    Task<Inspection?> FindInspectionByClientRefAsync(string inspectorId, string clientRef, CancellationToken ct = default);
    /// <summary>Newest first; lotKey null = every lot.</summary>
    Task<IReadOnlyList<Inspection>> ListInspectionsAsync(string? lotKey, int max, CancellationToken ct = default);
    /// <summary>Attaches (or replaces) the photo evidence; false when there is no such inspection.</summary>
    Task<bool> SetInspectionPhotoAsync(string id, InspectionPhoto photo, CancellationToken ct = default);
    Task<InspectionPhoto?> GetInspectionPhotoAsync(string id, CancellationToken ct = default);
}
