using System.ComponentModel.DataAnnotations;

namespace Traceability.Standalone.Backup;

/// <summary>Configuration section "Backup": scheduled backups of the data directory (off unless Directory is set).</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>Where scheduled backups go, one folder each (traceability-{UTC time}); unset: no scheduled backups.</summary>
    public string? Directory { get; set; }

    /// <summary>Hours between backups; /health reports Degraded when the last one is older than twice this.</summary>
    [Range(0.0005, 24 * 31)]
    public double IntervalHours { get; set; } = 24;

    /// <summary>Backups kept in Directory; older ones are deleted after each new one.</summary>
    [Range(1, 1000)]
    public int Keep { get; set; } = 7;
}
