using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Traceability.ProducerConsole.Web;
using Traceability.ServiceDefaults.Files;
using Traceability.ServiceDefaults.Http;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Import;

/// <summary>Upload → background validation with progress → preview with per-row errors → commit with progress.</summary>
internal static class ImportPages
{
    public const long MaxFileBytes = 25 * 1024 * 1024;

    public static void MapImportPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/import", (HttpContext ctx) => UploadForm(Page.For(ctx), new FieldErrors()));
        console.MapPost("/import", UploadAsync).WithUploadLimits(MaxFileBytes + UploadLimits.FormOverhead);
        console.MapGet("/import/template.csv", (HttpContext ctx) => Results.File(ImportTemplate.Csv(), SpreadsheetFile.CsvType, "mau-nhap-su-kien.csv"));
        console.MapGet("/import/template.xlsx", (HttpContext ctx) => Results.File(ImportTemplate.Xlsx(),
            SpreadsheetFile.XlsxType, "mau-nhap-su-kien.xlsx"));
        console.MapGet("/import/{id}", Show);
        console.MapGet("/import/{id}/status", Status);
        console.MapPost("/import/{id}/commit", CommitAsync);
        console.MapGet("/lots/{gtin}/{lot}/export.csv", ImportTemplate.ExportAsync);
    }

    private static IResult UploadForm(Page page, FieldErrors errors, int status = StatusCodes.Status200OK)
    {
        var maxRows = page.Context.RequestServices.GetRequiredService<ImportReader>().Limits.MaxRows;
        return
        page.Render(page.T("Nhập sự kiện từ bảng tính", "Import events from a spreadsheet"), H($"""
            <p>{page.T("Mỗi dòng là một sự kiện. Tải tệp mẫu (có hướng dẫn từng cột):", "One row per event. Download a template (with the meaning of each column):")}
            <a href="/console/import/template.xlsx">{page.T("Mẫu Excel (.xlsx)", "Excel template (.xlsx)")}</a> ·
            <a href="/console/import/template.csv">{page.T("Mẫu CSV", "CSV template")}</a></p>
            <form method="post" action="/console/import" enctype="multipart/form-data" class="card">{page.Csrf()}
            {page.Input("file", page.T("Tệp CSV hoặc XLSX", "CSV or XLSX file"), null, errors, "file", required: true,
                hint: page.T($"Tối đa {maxRows:N0} dòng, {MaxFileBytes / 1024 / 1024} MB. Chưa lưu gì cho đến khi bạn xác nhận.",
                    $"Up to {maxRows:N0} rows, {MaxFileBytes / 1024 / 1024} MB. Nothing is saved until you confirm."),
                attributes: Raw("accept=\".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\""))}
            <button type="submit">{page.T("Kiểm tra tệp", "Check the file")}</button>
            </form>
            <h2>{page.T("Các cột", "Columns")}</h2>
            <div class="table"><table><thead><tr><th scope="col">{page.T("Cột", "Column")}</th><th scope="col">{page.T("Ý nghĩa", "Meaning")}</th></tr></thead>
            <tbody>{ImportTemplate.Meanings.Select(m => H($"<tr><td><code>{m.Column}</code></td><td>{(page.Ui.En ? m.En : m.Vi)}</td></tr>"))}</tbody></table></div>
            """), status);
    }

    private static async Task<IResult> UploadAsync(HttpContext ctx, ImportReader reader, ImportJobs jobs)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var file = form.Files["file"];
        var errors = new FieldErrors();
        if (file is null || file.Length == 0) errors.Add("file", page.T("Hãy chọn một tệp.", "Choose a file."));
        else if (file.Length > MaxFileBytes) errors.Add("file", page.T("Tệp quá lớn.", "The file is too large."));
        if (errors.Count > 0) return UploadForm(page, errors, StatusCodes.Status400BadRequest);
        var bytes = new byte[file!.Length];
        await using (var upload = file.OpenReadStream()) await upload.ReadExactlyAsync(bytes, ctx.RequestAborted);
        var (rows, error) = reader.Check(bytes);
        if (error is not null)
        {
            errors.Add("file", Refusal(page, error, reader.Limits));
            return UploadForm(page, errors, StatusCodes.Status400BadRequest);
        }
        var job = await jobs.StartAsync(page.ProducerId, Path.GetFileName(file.FileName), page.Ui, bytes, rows, ctx.RequestAborted);
        return Results.Redirect($"/console/import/{job.Id}");
    }

    private static string Refusal(Page page, string error, ImportOptions limits) => error switch
    {
        "no-columns" => page.T("Không thấy dòng tiêu đề với các cột gtin, lot, bizStep, eventTime… Hãy dùng tệp mẫu.", "No header row with the columns gtin, lot, bizStep, eventTime… Use the template."),
        "too-many-rows" => page.T($"Tệp có hơn {limits.MaxRows:N0} dòng; mỗi lần nhập tối đa {limits.MaxRows:N0} dòng. Hãy chia tệp thành nhiều tệp nhỏ hơn.",
            $"The file has more than {limits.MaxRows:N0} rows; one import takes at most {limits.MaxRows:N0}. Split it into smaller files."),
        "too-large-unzipped" or "too-many-parts" => page.T($"Tệp Excel này khi giải nén vượt quá {limits.MaxUnzippedBytes / 1024 / 1024:N0} MB (hoặc nén bất thường) nên không được đọc. Hãy lưu lại dưới dạng CSV hoặc chia nhỏ tệp.",
            $"This Excel file unzips to more than {limits.MaxUnzippedBytes / 1024 / 1024:N0} MB (or is packed abnormally), so it is not read. Save it as CSV or split it."),
        _ => page.T("Không đọc được tệp; hãy lưu dưới dạng CSV (UTF-8) hoặc XLSX.", "The file cannot be read; save it as CSV (UTF-8) or XLSX."),
    };

    private static async Task<IResult> Status(HttpContext ctx, string id, ImportJobs jobs)
    {
        var page = Page.For(ctx);
        var job = await jobs.GetAsync(id, page.ProducerId, ctx.RequestAborted);
        if (job is null) return Results.NotFound();
        return Results.Json(new
        {
            phase = job.Phase.ToString().ToLowerInvariant(), percent = job.Percent, total = job.Total, validated = job.Validated,
            events = job.Events, committed = job.Committed, stored = job.Stored, duplicates = job.Duplicates,
            errorRows = job.ErrorRowCount, message = job.Message,
        });
    }

    private static async Task<IResult> Show(HttpContext ctx, string id, ImportJobs jobs)
    {
        var page = Page.For(ctx);
        var job = await jobs.GetAsync(id, page.ProducerId, ctx.RequestAborted);
        if (job is null)
            return page.Render(page.T("Không tìm thấy", "Not found"),
                H($"<p class=\"alert\">{page.T("Phiên nhập này không còn; hãy tải tệp lên lại.", "This import is gone; upload the file again.")} <a href=\"/console/import\">{page.T("Nhập tệp", "Import")}</a></p>"),
                StatusCodes.Status404NotFound);
        var title = page.T("Nhập tệp", "Import") + ": " + job.FileName;
        var running = job.Phase is ImportPhase.Validating or ImportPhase.Committing;
        var head = running ? Raw("<meta http-equiv=\"refresh\" content=\"2\">") : Html.Empty;
        var body = job.Phase switch
        {
            ImportPhase.Validating => Progress(page, job, page.T($"Đang kiểm tra {job.Validated:N0}/{job.Total:N0} dòng…", $"Checking {job.Validated:N0}/{job.Total:N0} rows…")),
            ImportPhase.Committing => Progress(page, job, page.T($"Đang lưu {job.Committed:N0}/{job.Events:N0} sự kiện…", $"Storing {job.Committed:N0}/{job.Events:N0} events…")),
            ImportPhase.Invalid => Invalid(page, job),
            ImportPhase.Ready => Ready(page, job),
            ImportPhase.Done => H($"""
                <p class="ok" role="status">{page.T($"Đã lưu {job.Stored:N0} sự kiện mới từ {job.Total:N0} dòng", $"Stored {job.Stored:N0} new events from {job.Total:N0} rows")}{When(job.Duplicates > 0, H($"{page.T($"; {job.Duplicates:N0} sự kiện đã có từ trước", $"; {job.Duplicates:N0} were already stored")}"))}.</p>
                <p><a href="/console/lots">{page.T("Xem lô hàng", "See the lots")}</a> · <a href="/console/import">{page.T("Nhập tệp khác", "Import another file")}</a></p>
                """),
            _ => H($"<p class=\"alert\" role=\"alert\">{job.Message}</p><p><a href=\"/console/import\">{page.T("Nhập tệp", "Import")}</a></p>"),
        };
        return page.Render(title, body, head: head);
    }

    private static Html Progress(Page page, ImportJob job, string text) => H($"""
        <p role="status" id="progress-text">{text}</p>
        <progress max="100" value="{job.Percent}" aria-labelledby="progress-text">{job.Percent}%</progress>
        <p class="hint">{page.T("Trang tự cập nhật.", "This page refreshes by itself.")}</p>
        """);

    /// <summary>
    /// The rows as a table whose first cell says the row number and, for a bad row, each column at
    /// fault and why: on a phone (stacked by console.css, no sideways scrolling) that is what reads first.
    /// </summary>
    private static Html RowsTable(Page page, IEnumerable<(ImportRow? Row, int Number, IReadOnlyList<RowError> Errors)> rows) => H($"""
        <div class="table rows"><table><thead><tr><th scope="col">{page.T("Dòng", "Row")}</th>
        {ImportReader.Columns.Select(c => H($"<th scope=\"col\">{c}</th>"))}</tr></thead>
        <tbody>{rows.Select(r => H($"""
            <tr id="row-{r.Number}"{When(r.Errors.Count > 0, Raw(" class=\"bad\""))}><th scope="row">{page.T("Dòng", "Row")} {r.Number}{When(r.Errors.Count > 0, H($"""
                <ul class="row-errors">{r.Errors.Select(e => H($"<li><code>{e.Column}</code>: {e.Message}</li>"))}</ul>
                """))}</th>
            {ImportReader.Columns.Zip(Cells(r.Row), (c, v) => H($"<td data-label=\"{c}\">{v}</td>"))}</tr>
            """))}</tbody></table></div>
        """);

    private static string?[] Cells(ImportRow? r) =>
        [r?.Gtin, r?.Lot, r?.BizStep, r?.EventTime, r?.Location, r?.Quantity, r?.Uom, r?.InputGtin, r?.InputLot, r?.Note];

    private static Html Invalid(Page page, ImportJob job)
    {
        const int shown = ImportJobs.ShownErrorRows;
        var errors = job.Errors(shown);
        var preview = job.ErrorRowValues;
        return H($"""
            <div class="alert" role="alert"><p>{page.T($"Không lưu gì: {job.ErrorRowCount:N0} dòng có lỗi. Hãy sửa tệp rồi tải lên lại.", $"Nothing was saved: {job.ErrorRowCount:N0} rows have errors. Fix the file and upload it again.")}</p>
            {When(job.Message is not null, H($"<p>{job.Message}</p>"))}</div>
            {When(job.ErrorRowCount > shown, H($"<p>{page.T($"Hiển thị {shown} dòng lỗi đầu tiên.", $"Showing the first {shown} rows with errors.")}</p>"))}
            {RowsTable(page, errors.Select(e => (preview.GetValueOrDefault(e.Row), e.Row, e.Errors)))}
            <p><a class="button" href="/console/import">{page.T("Tải tệp khác", "Upload another file")}</a></p>
            """);
    }

    private static Html Ready(Page page, ImportJob job) => H($"""
        <p class="ok" role="status">{page.T($"Tệp hợp lệ: {job.Total:N0} dòng → {job.Events:N0} sự kiện. Chưa có gì được lưu.", $"The file is valid: {job.Total:N0} rows → {job.Events:N0} events. Nothing is saved yet.")}</p>
        <form method="post" action="/console/import/{job.Id}/commit">{page.Csrf()}
        <button type="submit">{page.T($"Lưu {job.Events:N0} sự kiện", $"Save {job.Events:N0} events")}</button></form>
        <h2>{page.T("Xem trước", "Preview")}</h2>
        {RowsTable(page, job.Preview.Select(r => ((ImportRow?)r, r.Number, (IReadOnlyList<RowError>)[])))}
        """);

    private static async Task<IResult> CommitAsync(HttpContext ctx, string id, ImportJobs jobs)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var job = await jobs.GetAsync(id, page.ProducerId, ctx.RequestAborted);
        if (job is null) return Results.Redirect($"/console/import/{Uri.EscapeDataString(id)}");
        if (!await jobs.CommitAsync(job, ctx.RequestAborted) && job.Phase == ImportPhase.Invalid)
            return page.Render(page.T("Không thể lưu", "Cannot save"),
                H($"<p class=\"alert\" role=\"alert\">{page.T("Tệp có lỗi nên không được lưu.", "The file has errors, so it is not saved.")}</p>"), StatusCodes.Status409Conflict);
        return Results.Redirect($"/console/import/{job.Id}");
    }
}
