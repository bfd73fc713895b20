using Microsoft.Extensions.Configuration;

namespace Traceability.Standalone.Backup;

/// <summary>
/// <c>Traceability.Standalone backup --to DIR</c> and <c>restore --from DIR</c>: run beside the
/// service (backup) or before it starts (restore), with the host's own configuration
/// (appsettings.json, environment, the other command-line options).
/// </summary>
public static class BackupCommands
{
    public static bool Handles(string[] args) => args is ["backup", ..] or ["restore", ..];

    /// <returns>The process exit code: 0 done, 1 refused (the message says why), 2 usage.</returns>
    public static int Run(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var (command, option) = args[0] == "backup" ? ("backup", "--to") : ("restore", "--from");
        var at = Array.IndexOf(args, option);
        if (at < 0 || at + 1 >= args.Length)
        {
            error.WriteLine($"Usage: Traceability.Standalone {command} {option} DIR [--Storage:DataDirectory=PATH]");
            return 2;
        }
        var directory = Path.GetFullPath(args[at + 1]);
        var dataDirectory = StorageOptions.FullDataDirectory(configuration);
        var provider = (configuration["Storage:Provider"] ?? "Sqlite").ToLowerInvariant();
        try
        {
            if (command == "backup")
            {
                if (provider == "mongo") output.WriteLine(MongoNote);
                var folder = DataBackup.Create(dataDirectory, directory, provider, DateTimeOffset.UtcNow);
                var (manifest, _) = DataBackup.Verify(folder);
                output.WriteLine($"Backup written to {folder}");
                output.WriteLine($"  schema {manifest!.Schema ?? "(MongoDB: see mongodump)"}, {manifest.Files.Count} files, " +
                                 string.Join(", ", manifest.Counts.Select(c => $"{c.Value} {c.Key}")));
            }
            else
            {
                var manifest = DataBackup.Restore(directory, dataDirectory);
                output.WriteLine($"Restored the backup of {manifest.CreatedAt:u} into {dataDirectory}");
                output.WriteLine($"  schema {manifest.Schema}, " + string.Join(", ", manifest.Counts.Select(c => $"{c.Value} {c.Key}")));
                if (manifest.Provider == "mongo") output.WriteLine(MongoNote);
            }
            return 0;
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or StoreUnavailableException)
        {
            error.WriteLine($"{command} refused: {e.Message}");
            return 1;
        }
    }

    private const string MongoNote =
        "Storage:Provider is Mongo: the events, catalogue and accounts live in MongoDB — back them up with " +
        "mongodump/mongorestore as infra/mongo/README.md describes, together with the Data Protection key ring " +
        "and product images, which live in MongoDB too (collections dataProtectionKeys, productImages). This backup " +
        "holds only what an earlier version left in the data directory (keys/, images/), if anything.";
}
