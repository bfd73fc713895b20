using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Traceability.Storage.Sqlite;

namespace Traceability.Standalone.Backup;

/// <summary>What a backup holds, written last as manifest.json: a backup without it is incomplete.</summary>
public sealed record BackupManifest(int Format, DateTimeOffset CreatedAt, string Provider, string? Schema, IReadOnlyList<string> Migrations,
    IReadOnlyDictionary<string, long> Counts, IReadOnlyList<BackupFile> Files);

public sealed record BackupFile(string Path, long Bytes, string Sha256);

/// <summary>
/// Backup and restore of a data directory: the SQLite database (online backup API), which holds the
/// Data Protection key ring (without it every complainant's contact and label-signing key in the copy
/// is unreadable) and product images since schema 0010, with a manifest of the schema version, row
/// counts (data_protection_keys and product_images among them) and a SHA-256 of every file, so a
/// restore can prove the copy is whole before it writes anything.
/// </summary>
public static class DataBackup
{
    public const string ManifestFile = "manifest.json";
    public const string FolderPrefix = "traceability-";
    private const int Format = 1;
    /// <summary>
    /// Folders an earlier version kept beside the database (the key ring and images, now in the store).
    /// Still copied when present: a backup taken by this version of a directory no host of it has opened
    /// yet (nothing imported) must stay whole; the first start after a restore imports them.
    /// </summary>
    private static readonly string[] Folders = ["keys", "images"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Backs <paramref name="dataDirectory"/> up into a new folder under <paramref name="parent"/>; returns the folder.</summary>
    public static string Create(string dataDirectory, string parent, string provider, DateTimeOffset now)
    {
        DataDirectoryAccess.Restrict(parent);
        var folder = Path.Combine(parent, FolderPrefix + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        if (Directory.Exists(folder)) folder += "-" + Guid.NewGuid().ToString("N")[..6];
        var partial = folder + ".partial";
        DataDirectoryAccess.CreatePrivateDirectory(partial);
        try
        {
            string? schema = null;
            IReadOnlyList<string> migrations = [];
            IReadOnlyDictionary<string, long> counts = new Dictionary<string, long>();
            var database = Path.Combine(dataDirectory, SqliteDatabase.DatabaseFileName);
            if (provider == "sqlite")
            {
                if (!File.Exists(database)) throw new BackupException($"There is no database at '{database}' (Storage:DataDirectory).");
                SqliteBackup.Copy(database, Path.Combine(partial, SqliteDatabase.DatabaseFileName));
                (migrations, counts) = SqliteBackup.Describe(Path.Combine(partial, SqliteDatabase.DatabaseFileName));
                schema = migrations.Count > 0 ? migrations[^1] : null;
            }
            foreach (var name in Folders)
                CopyTree(Path.Combine(dataDirectory, name), Path.Combine(partial, name));
            var files = Directory.EnumerateFiles(partial, "*", SearchOption.AllDirectories)
                .Select(f => Describe(partial, f)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            var manifest = new BackupManifest(Format, now, provider, schema, migrations, counts, files);
            DataDirectoryAccess.WritePrivateFile(Path.Combine(partial, ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, Json));
            Directory.Move(partial, folder);
            return folder;
        }
        catch
        {
            Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    /// <summary>Everything wrong with the backup in <paramref name="folder"/> (empty: whole, and this version can open it).</summary>
    public static (BackupManifest? Manifest, IReadOnlyList<string> Problems) Verify(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath)) return (null, [$"'{folder}' has no {ManifestFile}: it is not a backup, or the backup did not finish."]);
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(File.ReadAllBytes(manifestPath), Json);
        }
        catch (JsonException e)
        {
            return (null, [$"{ManifestFile} is damaged ({e.Message})."]);
        }
        if (manifest is null || manifest.Format != Format) return (null, [$"{ManifestFile} is not a backup manifest of format {Format}."]);

        var problems = new List<string>();
        foreach (var file in manifest.Files)
        {
            var path = Path.GetFullPath(Path.Combine(folder, file.Path));
            if (!path.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                problems.Add($"{file.Path}: outside the backup.");
            else if (!File.Exists(path)) problems.Add($"{file.Path}: missing.");
            else if (Describe(folder, path) is var actual && (actual.Bytes != file.Bytes || actual.Sha256 != file.Sha256))
                problems.Add($"{file.Path}: damaged (its checksum differs from the manifest's).");
        }
        var database = Path.Combine(folder, SqliteDatabase.DatabaseFileName);
        if (problems.Count == 0 && manifest.Provider == "sqlite")
        {
            if (SqliteBackup.IntegrityCheck(database) is var check && check != "ok") problems.Add($"{SqliteDatabase.DatabaseFileName}: {check}");
            var known = SqliteBackup.KnownMigrations();
            if (manifest.Migrations.FirstOrDefault(m => !known.Contains(m)) is { } newer)
                problems.Add($"The backup was made by a newer version of Traceability (schema {newer}); restore it with that version.");
        }
        return (manifest, problems);
    }

    /// <summary>Restores the backup in <paramref name="folder"/> into the empty or missing <paramref name="dataDirectory"/>.</summary>
    public static BackupManifest Restore(string folder, string dataDirectory)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
            throw new BackupException($"'{dataDirectory}' is not empty: a restore only writes into an empty Storage:DataDirectory, so nothing there is overwritten. Choose a new directory or empty this one.");
        var (manifest, problems) = Verify(folder);
        if (problems.Count > 0) throw new BackupException($"The backup '{folder}' cannot be restored:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));

        // Copied beside the target and renamed into place: a restore that stops half-way leaves no half-filled data directory.
        var staging = dataDirectory.TrimEnd(Path.DirectorySeparatorChar) + ".restoring-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            CopyTree(folder, staging, skip: ManifestFile);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory);
            Directory.Move(staging, dataDirectory);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
        return manifest!;
    }

    /// <summary>The backups under <paramref name="parent"/>, newest first (finished ones only).</summary>
    public static IReadOnlyList<string> List(string parent) =>
        !Directory.Exists(parent) ? []
        : [.. Directory.EnumerateDirectories(parent, FolderPrefix + "*")
            // A backup being written (.partial) has its manifest a moment before it is renamed: not yet a backup.
            .Where(d => !d.EndsWith(".partial", StringComparison.Ordinal) && File.Exists(Path.Combine(d, ManifestFile)))
            .OrderByDescending(d => Path.GetFileName(d), StringComparer.Ordinal)];

    /// <summary>When the backup in <paramref name="folder"/> was made, from its manifest alone (no checksums: cheap).</summary>
    public static DateTimeOffset? CreatedAt(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllBytes(Path.Combine(folder, ManifestFile)), Json)?.CreatedAt;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    private static BackupFile Describe(string root, string path)
    {
        using var stream = File.OpenRead(path);
        return new BackupFile(Path.GetRelativePath(root, path).Replace('\\', '/'), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private static void CopyTree(string from, string to, string? skip = null)
    {
        if (!Directory.Exists(from)) return;
        DataDirectoryAccess.CreatePrivateDirectory(to);
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            DataDirectoryAccess.CreatePrivateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == skip) continue;
            DataDirectoryAccess.WritePrivateFile(Path.Combine(to, relative), File.ReadAllBytes(file));
        }
    }
}

public sealed class BackupException(string message) : Exception(message);
