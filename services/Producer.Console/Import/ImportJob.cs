namespace Traceability.ProducerConsole.Import;

public enum ImportPhase { Validating, Invalid, Ready, Committing, Done, Failed }

/// <summary>One reason a row is refused: the spreadsheet column it concerns (as in the header row) and why (rendered in the reader's language).</summary>
public sealed record RowError(string Column, LocalText Message);

/// <summary>
/// An upload being validated or committed. The host working on it holds this object and mutates
/// it; <see cref="ImportJobs"/> writes it to the store (<see cref="ToRecord"/>) every second and at
/// each step, and every other host reads it back from there (<see cref="FromRecord"/>).
/// </summary>
public sealed class ImportJob(string id, string producerId, string fileName, string lang, DateTimeOffset createdAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock gate = new();
    private readonly SortedDictionary<int, List<RowError>> errors = [];
    // A job read back from the store knows how many rows had errors, but holds only the shown ones.
    private int storedErrorRows;

    public string Id { get; } = id;
    public string ProducerId { get; } = producerId;
    public string FileName { get; } = fileName;
    /// <summary>The language of the upload ("vi" or "en"), kept with the job; its texts render in each reader's own language.</summary>
    public string Lang { get; } = lang;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    public ImportPhase Phase { get; set; } = ImportPhase.Validating;
    public int Total { get; set; }
    public int Validated { get; set; }
    public int Events { get; set; }
    public int Committed { get; set; }
    public int Stored { get; set; }
    public int Duplicates { get; set; }
    /// <summary>How many validated chunks are in the store (<see cref="IImportJobStore.GetImportChunkAsync"/>).</summary>
    public int Chunks { get; set; }
    /// <summary>Why the job failed or found nothing to import: sentences rendered when read (<see cref="LocalText"/>).</summary>
    public IReadOnlyList<LocalText>? Message { get; set; }
    public IReadOnlyList<ImportRow> Preview { get; set; } = [];
    /// <summary>The cells of the rows with errors that the page shows.</summary>
    public IReadOnlyDictionary<int, ImportRow> ErrorRowValues { get; set; } = new Dictionary<int, ImportRow>();
    /// <summary>The store's version of the job as this object last read or wrote it.</summary>
    public long Version { get; set; }
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    /// <summary>Set on the working host when another host declared the job interrupted: it stops and writes nothing more.</summary>
    public bool Lost { get; set; }
    /// <summary>One write of this job at a time (the heartbeat and the work both write).</summary>
    internal SemaphoreSlim SaveGate { get; } = new(1, 1);

    public void AddError(int row, string column, LocalText message)
    {
        var error = new RowError(column, message);
        lock (gate)
        {
            if (!errors.TryGetValue(row, out var list)) errors[row] = list = [];
            if (!list.Contains(error)) list.Add(error);
        }
    }

    public int ErrorRowCount
    {
        get { lock (gate) return Math.Max(errors.Count, storedErrorRows); }
    }

    public IReadOnlyList<(int Row, IReadOnlyList<RowError> Errors)> Errors(int max = int.MaxValue)
    {
        lock (gate) return errors.Take(max).Select(e => (e.Key, (IReadOnlyList<RowError>)e.Value.ToList())).ToList();
    }

    public bool Finished => Phase is ImportPhase.Invalid or ImportPhase.Done or ImportPhase.Failed or ImportPhase.Ready;

    public bool Running => Phase is ImportPhase.Validating or ImportPhase.Committing;

    /// <summary>0–100 for the progress bar: validation is the first half when committing follows.</summary>
    public int Percent => Phase switch
    {
        ImportPhase.Validating => Total == 0 ? 0 : (int)(100L * Validated / Total),
        ImportPhase.Committing => Events == 0 ? 0 : (int)(100L * Committed / Events),
        _ => 100,
    };

    /// <summary>What the pages show after validation: the preview, the first error rows and their cells.</summary>
    private sealed record Details(IReadOnlyList<ImportRow> Preview, IReadOnlyList<ErrorRow> Errors, IReadOnlyList<ImportRow> Cells);

    private sealed record ErrorRow(int Row, IReadOnlyList<RowError> Errors);

    /// <summary>The job as stored, one version on from the one this object holds; the details only once validation is over.</summary>
    public ImportJobRecord ToRecord(DateTimeOffset now) => new(Id, ProducerId, FileName, Lang, CreatedAt)
    {
        Phase = Phase.ToString(), Version = Version + 1, Total = Total, Validated = Validated, Events = Events, Committed = Committed,
        Stored = Stored, Duplicates = Duplicates, ErrorRows = ErrorRowCount, Chunks = Chunks,
        Message = Message is null ? null : JsonSerializer.Serialize(Message, Json), UpdatedAt = now,
        Details = Phase == ImportPhase.Validating ? null : JsonSerializer.Serialize(new Details(Preview,
            [.. Errors(ImportJobs.ShownErrorRows).Select(e => new ErrorRow(e.Row, e.Errors))], [.. ErrorRowValues.Values]), Json),
    };

    public static ImportJob FromRecord(ImportJobRecord r)
    {
        var job = new ImportJob(r.Id, r.ProducerId, r.FileName, r.Lang, r.CreatedAt)
        {
            Phase = Enum.Parse<ImportPhase>(r.Phase), Version = r.Version, UpdatedAt = r.UpdatedAt, Total = r.Total, Validated = r.Validated,
            Events = r.Events, Committed = r.Committed, Stored = r.Stored, Duplicates = r.Duplicates, Chunks = r.Chunks, Message = ReadMessage(r.Message),
            storedErrorRows = r.ErrorRows,
        };
        if (r.Details is not null && JsonSerializer.Deserialize<Details>(r.Details, Json) is { } details)
        {
            job.Preview = details.Preview;
            job.ErrorRowValues = details.Cells.ToDictionary(c => c.Number);
            foreach (var row in details.Errors)
                foreach (var error in row.Errors) job.AddError(row.Row, error.Column, error.Message);
        }
        return job;
    }

    /// <summary>A stored message: the texts as JSON, or a plain string an earlier version rendered (shown as it is).</summary>
    private static IReadOnlyList<LocalText>? ReadMessage(string? stored) => stored switch
    {
        null => null,
        ['[', ..] => JsonSerializer.Deserialize<LocalText[]>(stored, Json),
        _ => [LocalText.Service(stored)],
    };
}
