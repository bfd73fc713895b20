using Traceability.ProducerConsole.Web.Layout;

namespace Traceability.ProducerConsole.Import;

/// <summary>Upload → background validation with progress → preview with per-row errors → commit with progress.</summary>
internal static class ImportPages
{
    public const long MaxFileBytes = 25 * 1024 * 1024;

    public static void MapImportPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/import", (ImportReader reader) => UploadForm(reader, new FieldErrors()));
        console.MapPost("/import", UploadAsync).WithUploadLimits(MaxFileBytes + UploadLimits.FormOverhead);
        console.MapGet("/import/template.csv", (HttpContext ctx) => Results.File(ImportTemplate.Csv(), SpreadsheetFile.CsvType, "mau-nhap-su-kien.csv"));
        console.MapGet("/import/template.xlsx", (HttpContext ctx) => Results.File(ImportTemplate.Xlsx(),
            SpreadsheetFile.XlsxType, "mau-nhap-su-kien.xlsx"));
        console.MapGet("/import/{id}", Show);
        console.MapGet("/import/{id}/status", Status);
        console.MapPost("/import/{id}/commit", CommitAsync);
        console.MapGet("/lots/{gtin}/{lot}/export.csv", ImportTemplate.ExportAsync);
    }

    private static IResult UploadForm(ImportReader reader, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        PageResult.Of<ImportUpload>(new { MaxRows = reader.Limits.MaxRows, Errors = errors }, status);

    private static async Task<IResult> UploadAsync(HttpContext ctx, ImportReader reader, ImportJobs jobs, IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var file = form.Files["file"];
        var errors = new FieldErrors();
        if (file is null || file.Length == 0) errors.Add("file", texts["Import_ChooseFile"]);
        else if (file.Length > MaxFileBytes) errors.Add("file", texts["Import_TooLarge"]);
        if (errors.Count > 0) return UploadForm(reader, errors, StatusCodes.Status400BadRequest);
        var bytes = new byte[file!.Length];
        await using (var upload = file.OpenReadStream()) await upload.ReadExactlyAsync(bytes, ctx.RequestAborted);
        var (rows, error) = reader.Check(bytes);
        if (error is not null)
        {
            errors.Add("file", Refusal(texts, error, reader.Limits));
            return UploadForm(reader, errors, StatusCodes.Status400BadRequest);
        }
        // The job writes its own messages (ImportJobs) in the language of the upload.
        var job = await jobs.StartAsync(ctx.User.ProducerId()!, Path.GetFileName(file.FileName), ConsoleCulture.Lang, bytes, rows, ctx.RequestAborted);
        return Results.Redirect($"/console/import/{job.Id}");
    }

    private static string Refusal(IStringLocalizer<ConsoleTexts> texts, string error, ImportOptions limits) => error switch
    {
        "no-columns" => texts["Import_NoColumns"],
        "too-many-rows" => texts.Format("Import_TooManyRows", limits.MaxRows.ToString("N0")),
        "too-large-unzipped" or "too-many-parts" => texts.Format("Import_TooLargeUnzipped", (limits.MaxUnzippedBytes / 1024 / 1024).ToString("N0")),
        _ => texts["Import_Unreadable"],
    };

    private static async Task<IResult> Status(HttpContext ctx, string id, ImportJobs jobs, IStringLocalizer<ConsoleTexts> texts)
    {
        var job = await jobs.GetAsync(id, ctx.User.ProducerId()!, ctx.RequestAborted);
        if (job is null) return Results.NotFound();
        return Results.Json(new
        {
            phase = job.Phase.ToString().ToLowerInvariant(), percent = job.Percent, total = job.Total, validated = job.Validated,
            events = job.Events, committed = job.Committed, stored = job.Stored, duplicates = job.Duplicates,
            errorRows = job.ErrorRowCount, message = job.Message is null ? null : LocalText.Render(job.Message, texts),
        });
    }

    private static async Task<IResult> Show(HttpContext ctx, string id, ImportJobs jobs) =>
        await jobs.GetAsync(id, ctx.User.ProducerId()!, ctx.RequestAborted) is { } job
            ? PageResult.Of<ImportView>(new { Job = job })
            : PageResult.Of<Notice>(new { TitleKey = "NotFound", TextKey = "Import_Gone", Live = false, Link = "/console/import", LinkKey = "Nav_Import" },
                StatusCodes.Status404NotFound);

    private static async Task<IResult> CommitAsync(HttpContext ctx, string id, ImportJobs jobs)
    {
        if (await Pages.ReadPostAsync(ctx) is null) return Pages.Refused();
        var job = await jobs.GetAsync(id, ctx.User.ProducerId()!, ctx.RequestAborted);
        if (job is null) return Results.Redirect($"/console/import/{Uri.EscapeDataString(id)}");
        if (!await jobs.CommitAsync(job, ctx.RequestAborted) && job.Phase == ImportPhase.Invalid)
            return PageResult.Of<Notice>(new { TitleKey = "Import_CannotSave", TextKey = "Import_HasErrors" }, StatusCodes.Status409Conflict);
        return Results.Redirect($"/console/import/{job.Id}");
    }
}
