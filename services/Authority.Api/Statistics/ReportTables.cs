namespace Traceability.Authority.Api.Statistics;

/// <summary>One section of the report as a table: the page shows it, the XLSX makes it a sheet, the PDF draws it.</summary>
/// <param name="Id">A stable identifier (the page's anchors and the tests).</param>
/// <param name="SheetName">At most 31 characters, none of <c>[]:*?/\</c> (an Excel sheet name).</param>
public sealed record ReportTable(string Id, string Title, string SheetName, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The report's sections in the reader's language (the workspace's texts), the one source of every
/// label the page, the XLSX and the PDF print, so the three always show the same numbers.
/// </summary>
public static class ReportTables
{
    public static IReadOnlyList<ReportTable> Build(StatisticsReport r, IStringLocalizer<WorkspaceTexts> t)
    {
        string Name(string prefix, string code)
        {
            var text = t[$"{prefix}_{code}"];
            return text.ResourceNotFound ? code : text.Value;
        }
        var lang = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "vi";
        string Result(string code) => Verdicts.Precedence.Contains(code) ? Verdicts.Name(code).For(lang) : Name("Report_Result", code);
        string[] pair = [t["Report_Item"], t["Report_Count"]];
        static object?[] Row(string label, object? value) => [label, value];

        return
        [
            new("producers", t["Report_Producers"], t["Report_SheetProducers"], pair,
            [
                Row(t["Report_ProducersRegistered"], r.Producers.Registered), Row(t["Report_ProducersTotal"], r.Producers.Total),
                Row(t["Report_ProducersActive"], r.Producers.Active), Row(t["Report_ProducersSuspended"], r.Producers.Suspended),
            ]),
            new("catalog", t["Report_Catalog"], t["Report_SheetCatalog"], pair,
            [
                Row(t["Report_Products"], r.Catalog.Products), Row(t["Report_Lots"], r.Catalog.Lots), Row(t["Report_Events"], r.Catalog.Events),
            ]),
            new("sync", t["Report_Sync"], t["Report_SheetSync"], pair,
            [
                Row(t["Report_SyncSynced"], r.Sync.Synced), Row(t["Report_SyncFailed"], r.Sync.Failed),
                Row(t["Report_SyncPending"], r.Sync.Pending), Row(t["Report_SyncOldest"], r.Sync.OldestPendingSeconds),
            ]),
            new("scans", t["Report_Scans"], t["Report_SheetScans"], pair,
            [
                Row(t["Report_ScansTotal"], r.Scans.Total), Row(t["Report_ScansUnknown"], r.Scans.UnknownCode),
            ]),
            new("scans-by-province", t["Report_ScansByProvince"], t["Report_SheetScansByProvince"], [t["Province"], t["Report_Count"]],
                [.. r.Scans.ByProvince.Select(p => Row(p.Province ?? t["Report_NoProvince"], p.Count))]),
            new("scans-by-day", t["Report_ScansByDay"], t["Report_SheetScansByDay"], [t["Report_Day"], t["Report_Count"]],
                [.. r.Scans.ByDay.Select(d => Row(DayText(d.Day), d.Count))]),
            new("recalls", t["Report_Recalls"], t["Report_SheetRecalls"], pair,
            [
                Row(t["Report_RecallsIssued"], r.Recalls.Issued), Row(t["Report_RecallsEnded"], r.Recalls.Ended),
            ]),
            new("complaints", t["Report_Complaints"], t["Report_SheetComplaints"], pair,
            [
                Row(t["Report_ComplaintsTotal"], r.Complaints.Total),
                .. r.Complaints.ByCategory.Select(c => Row($"{t["Report_Category"]}: {Name("Report_Category", c.Name)}", c.Count)),
                .. r.Complaints.ByStatus.Select(s => Row($"{t["Report_Status"]}: {Name("Report_ComplaintStatus", s.Name)}", s.Count)),
                Row(t["Report_MedianDays"], r.Complaints.MedianDaysToResolve),
            ]),
            new("inspections", t["Report_Inspections"], t["Report_SheetInspections"], pair,
            [
                Row(t["Report_InspectionsTotal"], r.Inspections.Total),
                .. r.Inspections.ByResult.Select(x => Row($"{t["Report_Result"]}: {Result(x.Name)}", x.Count)),
                Row(t["Report_Published"], r.Inspections.PublishedOutcomes),
            ]),
        ];
    }

    /// <summary>A Vietnam day as people write it (dd/MM/yyyy).</summary>
    public static string DayText(string isoDay) =>
        DateOnly.ParseExact(isoDay, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A time in Vietnam, labelled with its offset (the report is read away from any clock).</summary>
    public static string TimeText(DateTimeOffset time) =>
        // A time within 7 hours of the calendar's end (stored before the capture window existed) has no Vietnam time: shown in UTC.
        time.UtcDateTime <= DateTime.MaxValue - VietnamTime.Offset
            ? time.ToOffset(VietnamTime.Offset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) + " (UTC+7)"
            : time.UtcDateTime.ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) + " (UTC)";

    /// <summary>The values as the page and the PDF print them: numbers with the culture's digit grouping, a missing value as a dash.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "—",
        long n => n.ToString("N0", CultureInfo.CurrentCulture),
        double d => d.ToString("0.##", CultureInfo.CurrentCulture),
        _ => Convert.ToString(value, CultureInfo.CurrentCulture) ?? "",
    };
}
