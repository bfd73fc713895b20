namespace Traceability.Authority.Api.Reports;

public sealed record CreateReportRequest(string? Code, string? Category, string? Message, string? Contact);

public sealed record ReportAccepted(string Id, string Status);

public sealed record ReportLotView(string Gtin, string Lot);

public sealed record AssigneeView(string Id, string? Name);

/// <summary>
/// A report as staff list it: never the contact (only <see cref="HasContact"/>), which is decrypted
/// in the detail view alone. Overdue: still open <see cref="ReportOptions.OverdueDays"/> after it came in.
/// </summary>
public sealed record ReportView(
    string Id, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Code, string? Gtin, ReportLotView? Lot, string Category,
    string Message, bool HasContact, string Status, AssigneeView? Assignee, string? Outcome, DateTimeOffset DueAt, bool Overdue);

public sealed record ReportList(IReadOnlyList<ReportView> Items);

public sealed record ReportNoteView(DateTimeOffset At, string Author, string Text);

/// <summary>One report with its notes; Contact is set only when it was asked for (and that view audited).</summary>
public sealed record ReportDetails(ReportView Report, string? Contact, IReadOnlyList<ReportNoteView> Notes);

public sealed record UpdateReportRequest(string? Status);

/// <summary>Null fields stay as they are; an empty assignee unassigns; a note is added to the history.</summary>
public sealed record TriageRequest(string? Status, string? Assignee, string? Outcome, string? Note);

/// <summary>
/// Consumer reports (complaints): intake from the public, triage by the authority's staff. Every
/// staff change and every decryption of a complainant's contact goes to the audit log.
/// </summary>
public sealed class ReportService(
    IReportStore store, IAuditStore audit, ContactProtector contacts, IStaffDirectory staff, IOptions<ReportOptions> options, AuthorityTelemetry telemetry,
    EarlyWarningEngine earlyWarning, TimeProvider time)
{
    /// <summary>The triage states in order (the API's and the pages' vocabulary).</summary>
    public static readonly string[] Statuses = [.. Enum.GetValues<ReportStatus>().Select(ReportStatuses.Text)];

    public const int MaxOutcome = 2000;
    public const int MaxNote = 2000;

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
        var report = new ConsumerReport(NewId("r_"), now, code, lotKey, category!, message!,
            contact is null ? null : contacts.Protect(contact), ReportStatus.New, now);
        await store.AddReportAsync(report, ct);
        telemetry.ReportsReceived.Add(1, new KeyValuePair<string, object?>("category", category));
        await earlyWarning.ObserveComplaintAsync(report, ct);
        return Outcome<ReportAccepted>.Ok(new ReportAccepted(report.Id, "new"));
    }

    /// <summary>Newest first. <paramref name="overdue"/> true keeps only overdue ones.</summary>
    public async Task<Outcome<ReportList>> ListAsync(string? status, bool? overdue, int? max, CancellationToken ct)
    {
        ReportStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (ParseStatus(status) is not { } s) return Outcome<ReportList>.Invalid("status", StatusError);
            filter = s;
        }
        var reports = await store.ListReportsAsync(filter, Math.Clamp(max ?? 200, 1, 1000), ct);
        var names = await StaffNamesAsync(ct);
        var views = reports.Select(r => ToView(r, names));
        if (overdue is { } wanted) views = views.Where(v => v.Overdue == wanted);
        return Outcome<ReportList>.Ok(new ReportList([.. views]));
    }

    /// <summary>
    /// Reports about any of <paramref name="gtins"/> (a producer's products), newest first, among
    /// the newest 1000 (the producer page shows recent ones; the queue has them all).
    /// </summary>
    public async Task<IReadOnlyList<ReportView>> ListAboutAsync(IReadOnlySet<string> gtins, int max, CancellationToken ct)
    {
        if (gtins.Count == 0) return [];
        var names = await StaffNamesAsync(ct);
        return [.. (await store.ListReportsAsync(null, 1000, ct)).Select(r => ToView(r, names))
            .Where(v => v.Gtin is not null && gtins.Contains(v.Gtin)).Take(max)];
    }

    /// <summary>
    /// One report with its notes. With <paramref name="revealContact"/> the complainant's contact
    /// is decrypted, and that view is audited (who saw whose contact, when).
    /// </summary>
    public async Task<ReportDetails?> GetAsync(ClaimsPrincipal user, string id, bool revealContact, CancellationToken ct)
    {
        var report = await store.GetReportAsync(id, ct);
        if (report is null) return null;
        string? contact = null;
        if (revealContact && report.ProtectedContact is not null)
        {
            // Recorded before the contact is decrypted: no view without its record.
            await audit.AddAuditAsync(StaffAudit.Entry(user, time.GetUtcNow(), "report.contact_view", Target(id), null, null), ct);
            contact = contacts.Unprotect(report.ProtectedContact);
        }
        var notes = await store.ListReportNotesAsync(id, ct);
        return new ReportDetails(ToView(report, await StaffNamesAsync(ct)), contact,
            [.. notes.Select(n => new ReportNoteView(n.At, n.Author, n.Text))]);
    }

    /// <summary>The PATCH form of triage: a status change alone.</summary>
    public Task<Outcome<ReportView>> SetStatusAsync(ClaimsPrincipal user, string id, UpdateReportRequest r, CancellationToken ct) =>
        r.Status is null
            ? Task.FromResult(Outcome<ReportView>.Invalid("status", StatusError))
            : TriageAsync(user, id, new TriageRequest(r.Status, null, null, null), ct);

    /// <summary>
    /// Moves the report (new → in_review → resolved | rejected; a decided one may go back to
    /// in_review), (un)assigns it, records the outcome and adds a note — all in one audited change.
    /// A decided report needs its outcome.
    /// </summary>
    public async Task<Outcome<ReportView>> TriageAsync(ClaimsPrincipal user, string id, TriageRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        ReportStatus? next = null;
        if (r.Status is not null && (next = ParseStatus(r.Status.Trim())) is null) errors.Add("status", StatusError);
        var outcomeText = r.Outcome?.Trim();
        if (outcomeText?.Length > MaxOutcome) errors.Add("outcome", $"At most {MaxOutcome} characters are allowed.");
        var noteText = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim();
        if (noteText?.Length > MaxNote) errors.Add("note", $"At most {MaxNote} characters are allowed.");
        var members = await staff.ListActiveAsync(ct);
        var assignee = r.Assignee?.Trim();
        if (assignee is { Length: > 0 } && members.All(m => m.Id != assignee))
            errors.Add("assignee", "Choose an active staff member.");
        if (!errors.IsValid) return Outcome<ReportView>.Invalid(errors);

        var report = await store.GetReportAsync(id, ct);
        if (report is null) return Outcome<ReportView>.NotFound($"There is no report '{id}'.");
        var updated = report with
        {
            Status = next ?? report.Status,
            Assignee = assignee is null ? report.Assignee : assignee.Length == 0 ? null : assignee,
            Outcome = outcomeText is null ? report.Outcome : outcomeText.Length == 0 ? null : outcomeText,
        };
        if (updated.Status != report.Status && !Allowed(report.Status, updated.Status))
            return Outcome<ReportView>.Conflict($"A report cannot go from '{StatusText(report.Status)}' to '{StatusText(updated.Status)}'.");
        if (IsDecided(updated.Status) && updated.Outcome is null)
            return Outcome<ReportView>.Invalid("outcome", "Say what was decided before resolving or rejecting a report.");

        var changes = new List<string>();
        if (updated.Status != report.Status) changes.Add($"status: {StatusText(report.Status)} → {StatusText(updated.Status)}");
        if (updated.Assignee != report.Assignee) changes.Add($"assignee: {report.Assignee ?? "–"} → {updated.Assignee ?? "–"}");
        if (updated.Outcome != report.Outcome) changes.Add("outcome: " + (updated.Outcome ?? "–"));
        if (noteText is not null) changes.Add("note");
        var names = members.ToDictionary(m => m.Id, m => m.Name, StringComparer.Ordinal);
        if (changes.Count == 0) return Outcome<ReportView>.Ok(ToView(report, names));

        var now = time.GetUtcNow();
        updated = updated with { UpdatedAt = now };
        var note = noteText is null ? null : new ReportNote(NewId("rn_"), id, now, StaffAudit.Actor(user), noteText);
        // Why: the note when there is one, else the outcome that was decided.
        var entry = StaffAudit.Entry(user, now, "report.triage", Target(id), noteText ?? (updated.Outcome != report.Outcome ? updated.Outcome : null),
            string.Join("; ", changes));
        if (!await store.SaveTriageAsync(updated, note, entry, ct)) return Outcome<ReportView>.NotFound($"There is no report '{id}'.");
        return Outcome<ReportView>.Ok(ToView(updated, names));
    }

    public static string Target(string id) => "report:" + id;

    private const string StatusError = "The status must be one of: new, in_review, resolved, rejected.";

    private static bool IsDecided(ReportStatus s) => s is ReportStatus.Resolved or ReportStatus.Rejected;

    /// <summary>new → in_review → resolved | rejected; a new one may be decided at once, a decided one reopened for review.</summary>
    private static bool Allowed(ReportStatus from, ReportStatus to) => (from, to) switch
    {
        (ReportStatus.New, _) => to != ReportStatus.New,
        (ReportStatus.InReview, _) => IsDecided(to),
        (_, ReportStatus.InReview) => true,
        _ => false,
    };

    private async Task<Dictionary<string, string>> StaffNamesAsync(CancellationToken ct) =>
        (await staff.ListActiveAsync(ct)).ToDictionary(m => m.Id, m => m.Name, StringComparer.Ordinal);

    private ReportView ToView(ConsumerReport r, IReadOnlyDictionary<string, string> names)
    {
        var due = r.CreatedAt.AddDays(options.Value.OverdueDays);
        string? gtin = r.LotKey is null ? null : LotKey.GtinOf(r.LotKey);
        if (gtin is null && r.Code is not null && ScannedCode.TryParse(r.Code, out var scanned, out _)) gtin = scanned.Gtin.Value;
        return new ReportView(r.Id, r.CreatedAt, r.UpdatedAt, r.Code, gtin,
            r.LotKey is null ? null : new ReportLotView(LotKey.GtinOf(r.LotKey), LotKey.LotOf(r.LotKey)),
            r.Category, r.Message, r.ProtectedContact is not null, StatusText(r.Status),
            r.Assignee is null ? null : new AssigneeView(r.Assignee, names.GetValueOrDefault(r.Assignee)), r.Outcome,
            due, !IsDecided(r.Status) && time.GetUtcNow() > due);
    }

    /// <summary>The wire name of a status; "closed" (before triage had outcomes) is read as resolved.</summary>
    internal static ReportStatus? ParseStatus(string text) => text switch
    {
        "new" => ReportStatus.New,
        "in_review" => ReportStatus.InReview,
        "resolved" or "closed" => ReportStatus.Resolved,
        "rejected" => ReportStatus.Rejected,
        _ => null,
    };

    internal static string StatusText(ReportStatus s) => ReportStatuses.Text(s);

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether <paramref name="text"/> has the form of a report id (<c>r_</c> and 16 hex digits, as <see cref="NewId"/> makes them).</summary>
    public static bool IsReportId(string? text) =>
        text is { Length: 18 } && text.StartsWith("r_", StringComparison.Ordinal) && text[2..].All(char.IsAsciiHexDigitLower);
}
