using System.ComponentModel.DataAnnotations;

namespace Traceability.Sync;

/// <summary>Bound from "Sync", validated at start.</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>False: the API still answers, but this instance pushes nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Rows leased per round.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a lease lasts; a worker that dies leaves its rows to others after this.</summary>
    [Range(5, 86_400)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Portal calls in flight at once from this instance.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// Rounds in progress at once, sharing the Concurrency slots. A round's lease and its record are
    /// store writes that wait for their flush to disk, about as long as pushing the round takes: with
    /// two lanes both were often writing at once and the slots stood idle; four keep them busy.
    /// </summary>
    [Range(1, 16)]
    public int Lanes { get; set; } = 4;

    /// <summary>Wait between rounds when nothing was due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Delay before the first re-attempt of a row after a transient failure; doubles each attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts of one row.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Attempts after which the backoff stops growing (it stays at its cap). Transient failures never
    /// park a row as failed: only the portal's 400-class answers do.
    /// </summary>
    [Range(1, 60)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How long a row of a kind no pusher handles yet (recalls, for now) waits before it is looked at again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UnsupportedKindDelay { get; set; } = TimeSpan.FromMinutes(10);
}
