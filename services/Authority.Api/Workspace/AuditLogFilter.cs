namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// The audit log's filters as the page and its export take them from the query string: who (the
/// actor, exactly as logged), what (an action group such as <c>recall.</c>), and a period of
/// calendar days in Vietnam (<c>from</c>, <c>to</c> inclusive, yyyy-MM-dd). The export
/// (<c>/authority/audit/export?format=csv|xlsx</c>, any staff role) writes the same entries through
/// the shared formula-safe <see cref="SpreadsheetFile"/> writer, times in UTC+7 and labelled so.
/// </summary>
public sealed record AuditLogFilter(string? Actor, string? Action, DateOnly? From, DateOnly? To)
{
    public const int PageRows = 500;
    public const int ExportRows = 50_000;

    /// <summary>The action groups offered in the filter (each a prefix of the actions it holds).</summary>
    public static readonly string[] ActionGroups = ["producer.", "staff.", "recall.", "complaint.", "inspection."];

    /// <summary>The filter, or null when a value is not one the form offers (a date that is not yyyy-MM-dd, an unknown group).</summary>
    public static AuditLogFilter? Parse(string? actor, string? action, string? from, string? to)
    {
        actor = string.IsNullOrWhiteSpace(actor) ? null : actor.Trim();
        action = string.IsNullOrWhiteSpace(action) ? null : action.Trim();
        if (actor is { Length: > 200 } || (action is not null && !ActionGroups.Contains(action))) return null;
        if (!TryDate(from, out var f) || !TryDate(to, out var t)) return null;
        return new AuditLogFilter(actor, action, f, t);
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }

    /// <summary>The store's query: days are Vietnam's (UTC+7), the last one included.</summary>
    public AuditQuery ToQuery() => new(Actor, Action, null,
        From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset) : null,
        To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), VietnamTime.Offset) : null);

    /// <summary>This filter as a query string (for the export links), without the leading '?'.</summary>
    public string QueryString() => string.Join('&', new[]
    {
        ("actor", Actor), ("action", Action), ("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
    }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    internal static void MapExport(IEndpointRouteBuilder routes) =>
        routes.MapGet("/authority/audit/export", ExportAsync).RequireAuthorization(WorkspaceAuth.Policy).ExcludeFromDescription();

    private static async Task<IResult> ExportAsync(HttpContext ctx, IAuditStore audit, IStringLocalizer<WorkspaceTexts> t)
    {
        var q = ctx.Request.Query;
        var filter = Parse(q["actor"], q["action"], q["from"], q["to"]);
        var format = q["format"].ToString();
        if (filter is null || format is not ("csv" or "xlsx"))
            return Results.Text(t["BadFilter"], "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        var entries = await audit.QueryAuditAsync(filter.ToQuery(), ExportRows, ctx.RequestAborted);
        string[] columns = [t["Time"] + " (UTC+7)", t["Who"], t["ActionCode"], t["What"], t["Target"], t["Why"], t["Details"]];
        var rows = entries.Select(e => (IReadOnlyList<object?>)
        [
            e.At.ToOffset(VietnamTime.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Actor, e.Action,
            t["Action_" + e.Action].ResourceNotFound ? e.Action : t["Action_" + e.Action].Value, e.Target, e.Reason, e.Details,
        ]);
        ctx.Response.Headers.CacheControl = "no-store";
        var name = $"nhat-ky-thao-tac-{DateTime.UtcNow:yyyyMMdd}";
        return format == "csv"
            ? Results.File(SpreadsheetFile.Csv(columns, rows), SpreadsheetFile.CsvType, name + ".csv")
            : Results.File(SpreadsheetFile.Xlsx(new Sheet("audit", columns, rows)), SpreadsheetFile.XlsxType, name + ".xlsx");
    }
}
