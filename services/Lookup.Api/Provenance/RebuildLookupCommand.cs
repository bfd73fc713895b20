namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// <c>Traceability.Standalone rebuild-lookup</c>: rebuilds every lot's lookup read-model row from the
/// events with the host's configuration and store, no server (beside a running service or not: rows it
/// stores are guarded like any other build). Needed only after a repair of the data; a new projection
/// version rebuilds by itself (LookupProjector).
/// </summary>
public static class RebuildLookupCommand
{
    public static bool Handles(string[] args) => args is ["rebuild-lookup", ..];

    /// <returns>The process exit code: 0 done, 1 refused (the message says why).</returns>
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var projector = services.GetRequiredService<LookupProjector>();
        if (!services.GetRequiredService<LookupReadModel>().Enabled)
        {
            await error.WriteLineAsync("rebuild-lookup refused: the configured store has no lookup read model.");
            return 1;
        }
        await output.WriteLineAsync("Rebuilding the lookup read model…");
        await projector.RebuildAsync(output, ct);
        return 0;
    }
}
