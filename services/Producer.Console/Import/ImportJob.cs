using Traceability.ProducerConsole.Web;

namespace Traceability.ProducerConsole.Import;

public enum ImportPhase { Validating, Invalid, Ready, Committing, Done, Failed }

/// <summary>One reason a row is refused: the spreadsheet column it concerns (as in the header row) and why, in the job's language.</summary>
public sealed record RowError(string Column, string Message);

/// <summary>A validated chunk: one EPCIS document (UTF-8 JSON) and the spreadsheet rows of each of its events.</summary>
public sealed record ImportChunk(byte[] Document, IReadOnlyList<IReadOnlyList<int>> RowsOfEvent)
{
    public int EventCount => RowsOfEvent.Count;
    public int FirstRow => RowsOfEvent[0][0];
    public int LastRow => RowsOfEvent[^1][^1];
}

/// <summary>An upload being validated or committed, kept in memory for an hour (DESIGN: stateless hosts; see ImportJobs).</summary>
public sealed class ImportJob(string id, string producerId, string fileName, Ui ui, DateTimeOffset createdAt)
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<int, List<RowError>> errors = [];

    public string Id { get; } = id;
    public string ProducerId { get; } = producerId;
    public string FileName { get; } = fileName;
    public Ui Ui { get; } = ui;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    public ImportPhase Phase { get; set; } = ImportPhase.Validating;
    public int Total { get; set; }
    public int Validated { get; set; }
    public int Events { get; set; }
    public int Committed { get; set; }
    public int Stored { get; set; }
    public int Duplicates { get; set; }
    public string? Message { get; set; }
    public IReadOnlyList<ImportRow> Preview { get; set; } = [];
    /// <summary>The cells of the rows with errors that the page shows.</summary>
    public IReadOnlyDictionary<int, ImportRow> ErrorRowValues { get; set; } = new Dictionary<int, ImportRow>();
    public List<ImportChunk> Chunks { get; } = [];

    public void AddError(int row, string column, string message)
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
        get { lock (gate) return errors.Count; }
    }

    public IReadOnlyList<(int Row, IReadOnlyList<RowError> Errors)> Errors(int max = int.MaxValue)
    {
        lock (gate) return errors.Take(max).Select(e => (e.Key, (IReadOnlyList<RowError>)e.Value.ToList())).ToList();
    }

    public bool Finished => Phase is ImportPhase.Invalid or ImportPhase.Done or ImportPhase.Failed or ImportPhase.Ready;

    /// <summary>0–100 for the progress bar: validation is the first half when committing follows.</summary>
    public int Percent => Phase switch
    {
        ImportPhase.Validating => Total == 0 ? 0 : (int)(100L * Validated / Total),
        ImportPhase.Committing => Events == 0 ? 0 : (int)(100L * Committed / Events),
        _ => 100,
    };
}
