namespace Traceability.Security.Tests;

/// <summary>The repository the tests run from (for the deployment files they exercise).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (System.IO.File.Exists(Path.Combine(d.FullName, "Traceability.sln"))) return d.FullName;
        throw new InvalidOperationException("Traceability.sln not found above the test binaries.");
    }
}
