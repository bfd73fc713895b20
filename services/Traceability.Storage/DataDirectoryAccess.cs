namespace Traceability.Storage;

/// <summary>
/// The data directory holds producers' phones and e-mails, report messages, inspection notes, keys:
/// it is the service user's only — the directory and its subdirectories 0700, files 0600.
/// </summary>
public static class DataDirectoryAccess
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = (UnixFileMode)0b000_111_111;

    /// <summary>
    /// Creates <paramref name="directory"/> (0700) if missing and takes group and other access away
    /// from it and everything under it, so a directory made by an older version (0755 / 0644) is
    /// closed too. Symbolic links are left alone. No-op on Windows (ACLs, inherited from the parent).
    /// </summary>
    public static void Restrict(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        var root = Directory.CreateDirectory(directory, DirectoryMode);
        Tighten(root, DirectoryMode);
        var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var entry in root.EnumerateFileSystemInfos("*", all))
            Tighten(entry, entry is DirectoryInfo ? DirectoryMode : FileMode);
    }

    /// <summary>Creates a directory (and its parents) only its owner may enter; ACLs on Windows.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, DirectoryMode);
    }

    /// <summary>Writes a new file (never an existing one) only its owner may read and write, synced to disk.</summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> bytes)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        using var stream = new FileStream(path, options);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Creates an empty file that only its owner may read and write, unless it exists.</summary>
    public static void CreatePrivateFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path)) return;
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: it opens the same file.
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(FileSystemInfo entry, UnixFileMode wanted)
    {
        if (entry.LinkTarget is not null || (entry.UnixFileMode & GroupOrOther) == 0) return;
        entry.UnixFileMode = (entry.UnixFileMode & ~GroupOrOther) | wanted;
    }
}
