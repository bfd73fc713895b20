using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Traceability.Domain.DigitalLinks;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;

namespace Traceability.Authority.Api.Reports;

public sealed record CreateReportRequest(string? Code, string? Category, string? Message, string? Contact);

public sealed record ReportAccepted(string Id, string Status);

public sealed record ReportLotView(string Gtin, string Lot);

public sealed record ReportView(
    string Id, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Code, ReportLotView? Lot, string Category,
    string Message, string? Contact, string Status);

public sealed record ReportList(IReadOnlyList<ReportView> Items);

public sealed record UpdateReportRequest(string? Status);

public sealed class ReportService(
    IReportStore store, ContactProtector contacts, IOptions<ReportOptions> options, AuthorityTelemetry telemetry, TimeProvider time)
{
    public async Task<Outcome<ReportAccepted>> SubmitAsync(CreateReportRequest r, CancellationToken ct)
    {
        var o = options.Value;
        var errors = new ValidationErrors();
        var category = r.Category?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(category)) errors.Add("category", "Choose a category.");
        else if (!ReportCategories.All.Contains(category)) errors.Add("category", $"The category must be one of: {string.Join(", ", ReportCategories.All)}.");
        var message = r.Message?.Trim();
        if (string.IsNullOrEmpty(message)) errors.Add("message", "Say what is wrong.");
        else if (message.Length > o.MaxMessageLength) errors.Add("message", $"At most {o.MaxMessageLength} characters are allowed.");
        var contact = string.IsNullOrWhiteSpace(r.Contact) ? null : r.Contact.Trim();
        if (contact?.Length > o.MaxContactLength) errors.Add("contact", $"At most {o.MaxContactLength} characters are allowed.");
        var code = string.IsNullOrWhiteSpace(r.Code) ? null : r.Code.Trim();
        if (code?.Length > 500) errors.Add("code", "At most 500 characters are allowed.");
        if (!errors.IsValid) return Outcome<ReportAccepted>.Invalid(errors);

        // A report about a code that is not a Digital Link (a counterfeit label) is still taken.
        string? lotKey = code is not null && DigitalLink.TryParse(code, out var link, out _) && link.Lot is not null
            ? LotKey.Of(link.Gtin.Value, link.Lot)
            : null;
        var now = time.GetUtcNow();
        var report = new ConsumerReport(NewId(), now, code, lotKey, category!, message!,
            contact is null ? null : contacts.Protect(contact), ReportStatus.New, now);
        await store.AddReportAsync(report, ct);
        telemetry.ReportsReceived.Add(1, new KeyValuePair<string, object?>("category", category));
        return Outcome<ReportAccepted>.Ok(new ReportAccepted(report.Id, "new"));
    }

    public async Task<Outcome<ReportList>> ListAsync(string? status, int? max, CancellationToken ct)
    {
        ReportStatus? filter = null;
        if (status is not null)
        {
            if (ParseStatus(status) is not { } s) return Outcome<ReportList>.Invalid("status", StatusError);
            filter = s;
        }
        var reports = await store.ListReportsAsync(filter, Math.Clamp(max ?? 200, 1, 1000), ct);
        return Outcome<ReportList>.Ok(new ReportList(reports.Select(ToView).ToList()));
    }

    public async Task<Outcome<ReportView>> SetStatusAsync(string id, UpdateReportRequest r, CancellationToken ct)
    {
        if (r.Status is null || ParseStatus(r.Status) is not { } next)
            return Outcome<ReportView>.Invalid("status", StatusError);
        var report = await store.GetReportAsync(id, ct);
        if (report is null) return Outcome<ReportView>.NotFound($"There is no report '{id}'.");
        if (report.Status != next)
        {
            if (!Allowed(report.Status, next))
                return Outcome<ReportView>.Conflict($"A report cannot go from '{StatusText(report.Status)}' to '{r.Status}'.");
            var now = time.GetUtcNow();
            await store.SetReportStatusAsync(id, next, now, ct);
            report = report with { Status = next, UpdatedAt = now };
        }
        return Outcome<ReportView>.Ok(ToView(report));
    }

    private const string StatusError = "The status must be one of: new, in_review, closed.";

    /// <summary>new → in_review → closed; a report may be closed at once, and a closed one reopened for review.</summary>
    private static bool Allowed(ReportStatus from, ReportStatus to) => (from, to) switch
    {
        (ReportStatus.New, ReportStatus.InReview) => true,
        (ReportStatus.New, ReportStatus.Closed) => true,
        (ReportStatus.InReview, ReportStatus.Closed) => true,
        (ReportStatus.Closed, ReportStatus.InReview) => true,
        _ => false,
    };

    private ReportView ToView(ConsumerReport r) => new(r.Id, r.CreatedAt, r.UpdatedAt, r.Code,
        r.LotKey is null ? null : new ReportLotView(r.LotKey.Substring(3, 14), LotKey.LotOf(r.LotKey)),
        r.Category, r.Message, r.ProtectedContact is null ? null : contacts.Unprotect(r.ProtectedContact), StatusText(r.Status));

    internal static ReportStatus? ParseStatus(string text) => text switch
    {
        "new" => ReportStatus.New,
        "in_review" => ReportStatus.InReview,
        "closed" => ReportStatus.Closed,
        _ => null,
    };

    internal static string StatusText(ReportStatus s) => s switch
    {
        ReportStatus.New => "new",
        ReportStatus.InReview => "in_review",
        _ => "closed",
    };

    private static string NewId() => $"r_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    /// <summary>Whether <paramref name="text"/> has the form of a report id (<see cref="NewId"/>).</summary>
    public static bool IsReportId(string? text) =>
        text is { Length: 18 } && text.StartsWith("r_", StringComparison.Ordinal) && text[2..].All(char.IsAsciiHexDigitLower);
}
