namespace Traceability.Authority.Api.Statistics;

/// <summary>
/// <c>GET /api/v1/statistics?from&amp;to&amp;province[&amp;format=json|xlsx|pdf]</c> for staff (a staff
/// session or an admin key), and the same files for the workspace page at
/// <c>/authority/report/export</c> (under /authority, where the staff session cookie is sent).
/// </summary>
internal static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder routes)
    {
        // The API takes keys only (401 without one, not the workspace's redirect to its sign-in form): any staff role reads.
        routes.MapGet("/api/v1/statistics", Respond).WithTags("Statistics").WithName("Statistics")
            .RequireAuthorization(Policies.Staff)
            .WithSummary("The periodic report (staff): producers, products, lots, events, portal sync, consumer scans, recalls, complaints and inspections " +
                "of the Vietnam days from..to (yyyy-MM-dd, both included; default: this year to today) in one current province or all. ?format=json|xlsx|pdf")
            .Produces<StatisticsReport>().Produces(StatusCodes.Status200OK, contentType: SpreadsheetFile.XlsxType)
            .Produces(StatusCodes.Status200OK, contentType: ReportFiles.PdfType);
        routes.MapGet("/authority/report/export", Respond).RequireAuthorization(StaffRoles.ReadPolicy).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> Respond(HttpRequest request, StatisticsService service, TimeProvider time,
        IStringLocalizer<WorkspaceTexts> texts, CancellationToken ct)
    {
        var q = request.Query;
        var format = q["format"].ToString() is { Length: > 0 } f ? f.ToLowerInvariant() : "json";
        var parsed = StatisticsPeriod.Parse(q["from"], q["to"], q["province"], VietnamTime.Today(time.GetUtcNow()));
        if (format is not ("json" or "xlsx" or "pdf"))
            return Problem.Validation(new Dictionary<string, string[]>(parsed.Errors ?? new Dictionary<string, string[]>())
                { ["format"] = ["The format must be json, xlsx or pdf."] });
        if (!parsed.IsOk) return parsed.ToProblem();

        var report = await service.BuildAsync(parsed.Value!, ct);
        var name = $"bao-cao-truy-xuat-{report.From}-{report.To}";
        switch (format)
        {
            case "xlsx":
                return TypedResults.File(ReportFiles.Xlsx(report, texts), SpreadsheetFile.XlsxType, name + ".xlsx");
            case "pdf":
                try
                {
                    return TypedResults.File(ReportFiles.Pdf(report, texts), ReportFiles.PdfType, name + ".pdf");
                }
                catch (FileNotFoundException ex)
                {
                    // The host lacks the font: say what to install rather than fail without a reason.
                    return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "PDF unavailable", detail: ex.Message);
                }
            default:
                return TypedResults.Ok(report);
        }
    }
}
