using Traceability.Domain.Gs1;

namespace Traceability.Authority.Api.Trace;

/// <summary>`GET /api/v1/trace/{gtin}/{lot}?format=json|csv|xlsx` (admin): one step back, one step forward.</summary>
public static class TraceApi
{
    public static IEndpointRouteBuilder MapTraceApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/trace/{gtin}/{**lot}", Export).WithTags("Trace").WithName("TraceExport")
            .RequireAuthorization(Policies.Staff)
            .WithSummary("Every event of a lot and of the lots one step back and forward, one row per event with the FSMA 204 / Circular 02 key data elements (admin). ?format=json|csv|xlsx&lang=en|vi (vi: Vietnamese column headers)")
            .Produces<TraceReport>().Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: SpreadsheetFile.XlsxType);
        return routes;
    }

    private static async Task<IResult> Export(string gtin, string lot, string? format, string? lang, HttpRequest request,
        TraceBuilder builder, AuthorityTelemetry telemetry, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!Gtin.TryParse(gtin, out var g, out var gtinError)) errors.Add("gtin", gtinError!);
        if (!Gs1Syntax.IsValidLot(lot, out var lotError)) errors.Add("lot", lotError!);
        format = (format ?? FromAccept(request.Headers.Accept.ToString())).ToLowerInvariant();
        if (format is not ("json" or "csv" or "xlsx")) errors.Add("format", "The format must be json, csv or xlsx.");
        if (lang is not (null or "" or "en" or "vi")) errors.Add("lang", "The language of the headers must be en or vi.");
        if (!errors.IsValid) return Problem.Validation(errors);

        using var activity = AuthorityTelemetry.Source.StartActivity("trace export");
        activity?.SetTag("trace.format", format);
        var report = await builder.BuildAsync(g.Value, lot, ct);
        if (report is null) return Problem.NotFound($"Lot {lot} of GTIN {g.Value} is neither registered nor named in any event.");
        telemetry.TraceExports.Add(1, new KeyValuePair<string, object?>("format", format));

        var name = $"trace-{g.Value}-{FileSafe(lot)}";
        return format switch
        {
            "csv" => TypedResults.File(TraceFiles.Csv(report.Rows, lang == "vi"), SpreadsheetFile.CsvType, name + ".csv"),
            "xlsx" => TypedResults.File(TraceFiles.Xlsx(report.Rows, lang == "vi"), SpreadsheetFile.XlsxType, name + ".xlsx"),
            _ => TypedResults.Ok(report),
        };
    }

    private static string FromAccept(string accept) =>
        accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? "csv"
        : accept.Contains("spreadsheetml", StringComparison.OrdinalIgnoreCase) ? "xlsx"
        : "json";

    private static string FileSafe(string lot) => new([.. lot.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
}
