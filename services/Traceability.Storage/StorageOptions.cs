namespace Traceability.Storage;

/// <summary>Which store the services run on and where it keeps its data. Bound from "Storage".</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>"Sqlite" (default, embedded) or "Mongo" (scale-out).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Where the embedded store keeps its database file (and the host its generated keys).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// Free space under which <c>/health</c> reports Degraded: writes may soon answer 507 (the
    /// WAL, a capture's pages and product images need room). 0 turns the threshold off; a write
    /// probe still reports a full disk.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int MinFreeMegabytes { get; set; } = 64;

    public MongoStorageOptions Mongo { get; set; } = new();

    /// <summary>
    /// The absolute data directory as configured (with this class's default), for the features that
    /// keep files beside the store: the admin key, demo keys, product images.
    /// </summary>
    public static string FullDataDirectory(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        Path.GetFullPath(configuration[$"{SectionName}:{nameof(DataDirectory)}"] ?? new StorageOptions().DataDirectory);
}

public sealed class MongoStorageOptions
{
    public string? ConnectionString { get; set; }
    public string Database { get; set; } = "traceability";
}
