using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Domain.Epcis;
using Traceability.Domain.Gs1;
using Traceability.Ingestion.Api.Catalog;
using Traceability.Ingestion.Api.Epcis;
using Traceability.ProducerConsole.Events;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;

namespace Traceability.ProducerConsole.Import;

/// <summary>
/// Spreadsheet import: validate every row first (the same EPCIS parser and ownership rules the
/// capture uses), and only when no row has an error, capture the events through
/// <see cref="CaptureService"/> in documents of at most <c>Capture:MaxEventsPerCapture</c> events.
///
/// All-or-nothing: a file with any bad row stores nothing. A valid file larger than one capture is
/// stored in several captures, each atomic; since everything was validated beforehand, a later
/// capture can only fail for reasons outside the file (the store going away, the host stopping).
/// Then the job reports which rows were stored, and uploading the same file again completes it:
/// events carry no eventID, so each gets its CBV 2.0 hash and rows already stored count as
/// duplicates instead of being stored twice.
///
/// Jobs live in this process's memory for an hour; a restart forgets them (the upload is redone).
/// </summary>
public sealed partial class ImportJobs(
    ICatalogStore catalog, CaptureService capture, IOptions<CaptureOptions> captureOptions, ImportReader reader, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<ImportJobs> logger)
{
    public const int ShownErrorRows = 500;
    private const int PreviewRows = 20;
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, ImportJob> jobs = new();
    // One import works at a time: the host is shared with the live API.
    private readonly SemaphoreSlim worker = new(1, 1);

    public ImportJob? Get(string id, string producerId) =>
        jobs.TryGetValue(id, out var job) && job.ProducerId == producerId ? job : null;

    /// <summary>
    /// Starts validating the rows of <paramref name="file"/> (which <see cref="ImportReader.Check"/>
    /// accepted with <paramref name="rows"/> data rows) in the background and returns the job to poll.
    /// The rows are read from the file as they are validated, never all held at once.
    /// </summary>
    public ImportJob Start(string producerId, string fileName, Ui ui, byte[] file, int rows)
    {
        foreach (var old in jobs.Values.Where(j => time.GetUtcNow() - j.CreatedAt > KeepFor)) jobs.TryRemove(old.Id, out _);
        var job = new ImportJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), producerId, fileName, ui, time.GetUtcNow())
        {
            Total = rows,
        };
        jobs[job.Id] = job;
        _ = Task.Run(() => RunAsync(job, ct => ValidateAsync(job, file, ct)));
        return job;
    }

    /// <summary>Commits a validated job; false when it is not ready (invalid, running or done).</summary>
    public bool Commit(ImportJob job)
    {
        lock (job)
        {
            if (job.Phase != ImportPhase.Ready) return false;
            job.Phase = ImportPhase.Committing;
        }
        _ = Task.Run(() => RunAsync(job, ct => CommitAsync(job, ct)));
        return true;
    }

    private async Task RunAsync(ImportJob job, Func<CancellationToken, Task> work)
    {
        var ct = lifetime.ApplicationStopping;
        try
        {
            await worker.WaitAsync(ct);
            try { await work(ct); }
            finally { worker.Release(); }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogImportFailed(logger, e, job.Id);
            job.Message = (e.IsDiskFull()
                ? job.Ui.T("Máy chủ hết dung lượng lưu trữ; hãy thử lại sau.", "The server's storage is full; try again later.")
                : job.Ui.T("Nhập dữ liệu bị gián đoạn.", "The import was interrupted.")) + " " + StoredSoFar(job);
            job.Phase = ImportPhase.Failed;
        }
    }

    private static string StoredSoFar(ImportJob job) => job.Committed == 0
        ? job.Ui.T("Chưa có dòng nào được lưu.", "No row was stored.")
        : job.Ui.T($"{job.Committed} sự kiện đầu đã được lưu; hãy tải lại đúng tệp này để hoàn tất (các dòng đã lưu không bị lưu lặp).",
            $"The first {job.Committed} events were stored; upload the same file again to complete it (stored rows are not stored twice).");

    private async Task CommitAsync(ImportJob job, CancellationToken ct)
    {
        foreach (var chunk in job.Chunks)
        {
            using var document = JsonDocument.Parse(chunk.Document);
            var outcome = await capture.CaptureDocumentAsync(job.ProducerId, document.RootElement, ct);
            if (!outcome.IsOk)
            {
                job.Message = job.Ui.T($"Lưu các dòng {chunk.FirstRow}–{chunk.LastRow} thất bại: ", $"Storing rows {chunk.FirstRow}–{chunk.LastRow} failed: ")
                    + job.Ui.Error(outcome.Message ?? string.Join(" ", outcome.Errors?.SelectMany(e => e.Value).Take(3) ?? []))
                    + " " + StoredSoFar(job);
                job.Phase = ImportPhase.Failed;
                return;
            }
            job.Committed += chunk.EventCount;
            // The capture job counts the document's events; DuplicateCount of them were already stored.
            job.Stored += outcome.Value!.Job.EventCount - outcome.Value.Job.DuplicateCount;
            job.Duplicates += outcome.Value.Job.DuplicateCount;
        }
        job.Phase = ImportPhase.Done;
    }

    private sealed record Pending(EventDraft Draft, List<int> Rows);

    private async Task ValidateAsync(ImportJob job, byte[] file, CancellationToken ct)
    {
        var ui = job.Ui;
        var locations = (await catalog.ListLocationsAsync(job.ProducerId, ct)).ToDictionary(l => l.Code, StringComparer.OrdinalIgnoreCase);
        var lots = new Dictionary<string, Lot?>(StringComparer.Ordinal);
        var chunkSize = captureOptions.Value.MaxEventsPerCapture;
        var batch = new List<Pending>(Math.Min(chunkSize, job.Total));
        var preview = new List<ImportRow>(PreviewRows);
        Pending? last = null;

        foreach (var row in reader.Rows(file))
        {
            ct.ThrowIfCancellationRequested();
            if (preview.Count < PreviewRows) preview.Add(row);
            var draft = await ReadRowAsync(job, row, locations, lots, ct);
            job.Validated++;
            if (draft is null) continue;
            // Rows of one processing step with several inputs: same output, time and place → one TransformationEvent.
            if (last is not null && draft.Step.IsTransformation && last.Draft.Step.IsTransformation
                && SameOutput(last.Draft, draft))
            {
                last.Rows.Add(row.Number);
                batch[^1] = last = new Pending(last.Draft with { Inputs = [.. last.Draft.Inputs, .. draft.Inputs] }, last.Rows);
                continue;
            }
            if (batch.Count == chunkSize)
            {
                CloseChunk(job, batch);
                batch = new List<Pending>(chunkSize);
            }
            batch.Add(last = new Pending(draft, [row.Number]));
        }
        if (batch.Count > 0) CloseChunk(job, batch);
        job.Preview = preview;
        job.Events = job.Chunks.Sum(c => c.EventCount);
        if (job.ErrorRowCount > 0)
        {
            job.Chunks.Clear(); // nothing of an invalid file is ever captured
            var shown = job.Errors(ShownErrorRows).Select(e => e.Row).ToHashSet();
            job.ErrorRowValues = reader.Rows(file).Where(r => shown.Contains(r.Number)).ToDictionary(r => r.Number);
            job.Phase = ImportPhase.Invalid;
        }
        else if (job.Validated == 0)
        {
            job.Message = ui.T("Tệp không có dòng dữ liệu nào.", "The file has no data rows.");
            job.Phase = ImportPhase.Invalid;
        }
        else
        {
            job.Phase = ImportPhase.Ready;
        }
    }

    /// <summary>Runs the EPCIS parser (the capture's own validation) over a chunk and keeps it as a document.</summary>
    private void CloseChunk(ImportJob job, List<Pending> batch)
    {
        var document = EventBuilder.Document(batch.Select(p => EventBuilder.Event(p.Draft)), time.GetUtcNow());
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document);
        using var parsed = JsonDocument.Parse(bytes);
        var result = EpcisJson.ParseDocument(parsed.RootElement);
        foreach (var (path, messages) in result.Errors)
        {
            var m = EventIndex().Match(path);
            var rowsOfEvent = m.Success && int.TryParse(m.Groups[1].Value, out var i) && i < batch.Count ? batch[i].Rows : [batch[0].Rows[0]];
            var column = ColumnOf(m.Success ? path[m.Length..].TrimStart('.') : path);
            foreach (var message in messages)
                foreach (var row in rowsOfEvent) job.AddError(row, column, job.Ui.Error(message));
        }
        job.Chunks.Add(new ImportChunk(bytes, batch.Select(p => (IReadOnlyList<int>)p.Rows).ToList()));
    }

    private async Task<EventDraft?> ReadRowAsync(ImportJob job, ImportRow row, Dictionary<string, Location> locations,
        Dictionary<string, Lot?> lots, CancellationToken ct)
    {
        var ui = job.Ui;
        var before = job.ErrorRowCount;
        var ok = true;
        void Error(string column, string message)
        {
            ok = false;
            job.AddError(row.Number, column, message);
        }

        if (!Gtin.TryParse(row.Gtin, out var gtin, out var gtinError)) Error("gtin", ui.Error(gtinError!));
        if (!Gs1Syntax.IsValidLot(row.Lot, out var lotError)) Error("lot", ui.Error(lotError!));
        if (ok)
        {
            var key = LotKey.Of(gtin.Value, row.Lot!);
            if (!lots.TryGetValue(key, out var lot)) lots[key] = lot = await catalog.GetLotAsync(gtin.Value, row.Lot!, ct);
            if (lot is null)
                Error("lot", ui.T($"Lô {row.Lot} của GTIN {gtin.Value} chưa được đăng ký.", $"Lot {row.Lot} of GTIN {gtin.Value} is not registered."));
            else if (lot.ProducerId != job.ProducerId)
                Error("lot", ui.T($"Lô {row.Lot} thuộc nhà sản xuất khác.", $"Lot {row.Lot} belongs to another producer."));
        }

        var step = Step.Find(row.BizStep);
        var hasInput = row.InputGtin is not null || row.InputLot is not null;
        if (step is null)
            Error("bizStep", row.BizStep is null
                ? ui.T("Thiếu công đoạn.", "The step is missing.")
                : ui.T($"Công đoạn không rõ: '{row.BizStep}'.", $"Unknown step: '{row.BizStep}'."));
        else if (step.IsTransformation && !hasInput)
            Error("inputGtin", ui.T("Chế biến cần inputGtin và inputLot.", "Processing needs inputGtin and inputLot."));
        else if (!step.IsTransformation && hasInput)
            Error("inputGtin", ui.T("Chỉ công đoạn chế biến mới có nguyên liệu đầu vào.", "Only processing has inputs."));

        var at = ParseTime(row.EventTime);
        if (at is null)
            Error("eventTime", row.EventTime is null
                ? ui.T("Thiếu thời gian.", "The time is missing.")
                : ui.T($"Thời gian không hợp lệ: '{row.EventTime}' (dùng 2026-11-23T08:30 hoặc 23/11/2026 08:30).",
                    $"Not a valid time: '{row.EventTime}' (use 2026-11-23T08:30 or 23/11/2026 08:30)."));
        else if (!EventTimeWindow.Contains(at.Value, time.GetUtcNow()))
            Error("eventTime", ui.T($"Thời gian '{row.EventTime}' nằm ngoài khoảng cho phép (từ 01/01/2000 đến một ngày sau hiện tại).",
                $"The time '{row.EventTime}' is outside the allowed window (2000-01-01 to one day after now)."));

        string? location = null;
        if (row.Location is { } code)
        {
            if (locations.TryGetValue(code, out var own)) location = LocationIdentifier.ForEvent(own);
            else if (code.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || code.StartsWith("414/", StringComparison.Ordinal)
                || code.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) location = code;
            else Error("location", ui.T($"Bạn chưa có địa điểm mã '{code}'.", $"You have no location with code '{code}'."));
        }

        decimal? quantity = null;
        if (row.Quantity is { } q)
        {
            if (decimal.TryParse(q.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d >= 0) quantity = d;
            else Error("quantity", ui.T($"Số lượng không hợp lệ: '{q}'.", $"Not a valid quantity: '{q}'."));
        }

        LotRef? input = null;
        if (hasInput && step is { IsTransformation: true })
        {
            if (!Gtin.TryParse(row.InputGtin, out var inGtin, out var inGtinError)) Error("inputGtin", ui.Error(inGtinError!));
            else if (!Gs1Syntax.IsValidLot(row.InputLot, out var inLotError)) Error("inputLot", ui.Error(inLotError!));
            else input = new LotRef(inGtin.Value, row.InputLot!);
        }
        if (row.Note is { Length: > 500 }) Error("note", ui.T("Tối đa 500 ký tự.", "At most 500 characters."));

        if (!ok || job.ErrorRowCount != before) return null;
        return new EventDraft(new LotRef(gtin.Value, row.Lot!, quantity, row.Uom), step!, at!.Value, location,
            input is null ? [] : [input], row.Note);
    }

    /// <summary>
    /// The spreadsheet column an EPCIS error path came from (<c>quantityList[0].uom</c> → <c>uom</c>): the
    /// user fixes cells, not JSON. Paths the form mapping does not know stay as they are.
    /// </summary>
    internal static string ColumnOf(string path) => EventForm.FieldOf("eventList[0]." + path) switch
    {
        "time" => "eventTime",
        "inputs" => "inputGtin",
        "note" or "trc:note" => "note",
        var field => field,
    };

    private static bool SameOutput(EventDraft a, EventDraft b) =>
        a.Lot == b.Lot && a.Time == b.Time && a.Time.Offset == b.Time.Offset && a.Location == b.Location && a.Note == b.Note;

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm", "d/M/yyyy H:mm", "dd/MM/yyyy", "d/M/yyyy",
    ];

    /// <summary>ISO 8601 with an offset keeps it (lossless export → import); a local time is Vietnam time.</summary>
    internal static DateTimeOffset? ParseTime(string? text)
    {
        if (text is null) return null;
        if (WithOffset().IsMatch(text))
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact) ? exact : null;
        return DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? EventForm.InVietnam(local)
            : null;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex WithOffset();

    [GeneratedRegex(@"^eventList\[(\d+)\]")]
    private static partial Regex EventIndex();

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed")]
    private static partial void LogImportFailed(ILogger logger, Exception exception, string jobId);
}
