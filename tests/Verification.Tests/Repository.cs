namespace Traceability.Verification.Tests;

/// <summary>The repository the tests run from, and the Node.js binary on PATH if there is one.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>`node` on PATH, or null: the .NET SDK alone builds and tests the service, Node is optional.</summary>
    public static string? Node { get; } = FindOnPath("node");

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (System.IO.File.Exists(Path.Combine(d.FullName, "Traceability.sln"))) return d.FullName;
        throw new InvalidOperationException("The repository root (Traceability.sln) was not found above the test binaries.");
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? [name + ".exe", name + ".cmd"] : new[] { name })
            {
                var path = Path.Combine(dir, candidate);
                if (System.IO.File.Exists(path)) return path;
            }
        }
        return null;
    }
}
