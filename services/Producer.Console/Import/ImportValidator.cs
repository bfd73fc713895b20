using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Traceability.ProducerConsole.Import;

/// <summary>
/// The validation half of an import: reads the rows of the file as they come (never all at once),
/// checks each with the rules the console's event form uses, turns the valid ones into EPCIS
/// documents of at most <c>Capture:MaxEventsPerCapture</c> events, runs the capture's own EPCIS
/// parser over each and stores it (compressed) beside the job, so any host can commit it.
/// </summary>
public sealed partial class ImportValidator(
    ICatalogStore catalog, IImportJobStore store, IOptions<CaptureOptions> captureOptions, ImportReader reader, TimeProvider time)
{
    private const int PreviewRows = 20;

    private sealed record Pending(EventDraft Draft, List<int> Rows);

    public async Task ValidateAsync(ImportJob job, byte[] file, CancellationToken ct)
    {
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
                await CloseChunkAsync(job, batch, ct);
                batch = new List<Pending>(chunkSize);
            }
            batch.Add(last = new Pending(draft, [row.Number]));
        }
        if (batch.Count > 0) await CloseChunkAsync(job, batch, ct);
        job.Preview = preview;
        if (job.ErrorRowCount > 0)
        {
            // Nothing of an invalid file is ever captured (chunks stop being stored at the first error).
            await store.DeleteImportChunksAsync(job.Id, ct);
            job.Chunks = 0;
            var shown = job.Errors(ImportJobs.ShownErrorRows).Select(e => e.Row).ToHashSet();
            job.ErrorRowValues = reader.Rows(file).Where(r => shown.Contains(r.Number)).ToDictionary(r => r.Number);
            job.Phase = ImportPhase.Invalid;
        }
        else if (job.Validated == 0)
        {
            job.Message = [LocalText.Of("Import_NoDataRows")];
            job.Phase = ImportPhase.Invalid;
        }
        else
        {
            job.Phase = ImportPhase.Ready;
        }
    }

    /// <summary>Runs the EPCIS parser (the capture's own validation) over a chunk and, while the file has no error, stores it.</summary>
    private async Task CloseChunkAsync(ImportJob job, List<Pending> batch, CancellationToken ct)
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
                foreach (var row in rowsOfEvent) job.AddError(row, column, LocalText.Service(message));
        }
        job.Events += batch.Count;
        if (job.ErrorRowCount > 0) return;
        await store.PutImportChunkAsync(new ImportChunkRecord(job.Id, job.Chunks, Pack(bytes), batch.Count, batch[0].Rows[0], batch[^1].Rows[^1]), ct);
        job.Chunks++;
    }

    /// <summary>
    /// Chunks are stored gzipped: EPCIS JSON shrinks about tenfold, which keeps a chunk of 10,000
    /// events far below MongoDB's 16 MB document limit and the SQLite file small.
    /// </summary>
    internal static byte[] Pack(byte[] document)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest)) gzip.Write(document);
        return packed.ToArray();
    }

    internal static byte[] Unpack(byte[] stored)
    {
        using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var document = new MemoryStream();
        gzip.CopyTo(document);
        return document.ToArray();
    }

    private async Task<EventDraft?> ReadRowAsync(ImportJob job, ImportRow row, Dictionary<string, Location> locations,
        Dictionary<string, Lot?> lots, CancellationToken ct)
    {
        var before = job.ErrorRowCount;
        var ok = true;
        void Error(string column, LocalText message)
        {
            ok = false;
            job.AddError(row.Number, column, message);
        }

        if (!Gtin.TryParse(row.Gtin, out var gtin, out var gtinError)) Error("gtin", LocalText.Service(gtinError!));
        if (!Gs1Syntax.IsValidLot(row.Lot, out var lotError)) Error("lot", LocalText.Service(lotError!));
        if (ok)
        {
            var key = LotKey.Of(gtin.Value, row.Lot!);
            if (!lots.TryGetValue(key, out var lot)) lots[key] = lot = await catalog.GetLotAsync(gtin.Value, row.Lot!, ct);
            if (lot is null)
                Error("lot", LocalText.Of("Import_LotNotRegistered", row.Lot!, gtin.Value));
            else if (lot.ProducerId != job.ProducerId)
                Error("lot", LocalText.Of("Import_LotOfOther", row.Lot!));
        }

        var step = Step.Find(row.BizStep);
        var hasInput = row.InputGtin is not null || row.InputLot is not null;
        if (step is null)
            Error("bizStep", row.BizStep is null
                ? LocalText.Of("Import_StepMissing")
                : LocalText.Of("Import_StepUnknown", row.BizStep));
        else if (step.IsTransformation && !hasInput)
            Error("inputGtin", LocalText.Of("Import_ProcessingNeedsInput"));
        else if (!step.IsTransformation && hasInput)
            Error("inputGtin", LocalText.Of("Import_OnlyProcessingInputs"));

        var at = ParseTime(row.EventTime);
        if (at is null)
            Error("eventTime", row.EventTime is null
                ? LocalText.Of("Import_TimeMissing")
                : LocalText.Of("Import_TimeInvalid", row.EventTime));
        else if (!EventTimeWindow.Contains(at.Value, time.GetUtcNow()))
            Error("eventTime", LocalText.Of("Import_TimeOutside", row.EventTime!));

        string? location = null;
        if (row.Location is { } code)
        {
            if (locations.TryGetValue(code, out var own)) location = LocationIdentifier.ForEvent(own);
            else if (code.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || code.StartsWith("414/", StringComparison.Ordinal)
                || code.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) location = code;
            else Error("location", LocalText.Of("Import_NoLocation", code));
        }

        decimal? quantity = null;
        if (row.Quantity is { } q)
        {
            if (decimal.TryParse(q.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d >= 0) quantity = d;
            else Error("quantity", LocalText.Of("Import_QuantityInvalid", q));
        }

        LotRef? input = null;
        if (hasInput && step is { IsTransformation: true })
        {
            if (!Gtin.TryParse(row.InputGtin, out var inGtin, out var inGtinError)) Error("inputGtin", LocalText.Service(inGtinError!));
            else if (!Gs1Syntax.IsValidLot(row.InputLot, out var inLotError)) Error("inputLot", LocalText.Service(inLotError!));
            else input = new LotRef(inGtin.Value, row.InputLot!);
        }
        if (row.Note is { Length: > 500 }) Error("note", LocalText.Of("Event_NoteTooLong"));

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
}
