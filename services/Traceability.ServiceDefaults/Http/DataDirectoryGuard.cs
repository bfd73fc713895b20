namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// At start, takes group and other access away from the data directory and what is in it (files an
/// older version made 0644); what the process creates afterwards is 0600 / 0700 by its umask
/// (<see cref="ProcessLimits.RestrictNewFilesToOwner"/>). An entry it may not change is logged, not fatal:
/// the directory may sit on a file system without Unix modes.
/// </summary>
internal sealed partial class DataDirectoryGuard(IConfiguration configuration, ILogger<DataDirectoryGuard> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        var directory = StorageOptions.FullDataDirectory(configuration);
        try
        {
            DataDirectoryAccess.Restrict(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCannotRestrict(logger, directory, ex.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make the data directory {Directory} private to this user ({Reason}); check its owner and mode (0700, files 0600)")]
    private static partial void LogCannotRestrict(ILogger logger, string directory, string reason);
}
