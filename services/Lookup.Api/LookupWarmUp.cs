namespace Traceability.Lookup.Api;

/// <summary>
/// Once the host answers, renders a sample lot (<see cref="SampleLot"/>) the ways a lookup answers it — the page
/// in both languages, the JSON, the linkset, and the read model's row there and back — so that the JIT, the
/// components' metadata, the pages' texts and the serializers' contracts are ready before the first consumers
/// scan after a restart (issue 22: a cold process's first page render took 200–500 ms, paid by a consumer;
/// under the 32 lookups a restarted host meets at once, each waited for the same compilations). Nothing is
/// read or written in the store. Started after the application has started, so it does not delay the
/// first answer; <c>Lookup:WarmUp</c> false turns it off.
/// </summary>
internal sealed partial class LookupWarmUp(IHostApplicationLifetime lifetime, IOptions<LookupOptions> options, ILogger<LookupWarmUp> logger)
    : IHostedService
{
    private Task _run = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WarmUp) lifetime.ApplicationStarted.Register(() => _run = Task.Run(Run, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _run.WaitAsync(cancellationToken);

    private void Run()
    {
        try
        {
            var clock = Stopwatch.StartNew();
            Render(SampleLot.View);
            Log.Done(logger, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex)
        {
            Log.Failed(logger, ex); // a warm-up only: the lookups themselves still answer (and report their own errors)
        }
    }

    /// <summary>Every representation of <paramref name="view"/> a lookup renders (in the resolver's order of likelihood).</summary>
    internal static void Render(ProvenanceView view)
    {
        LookupReadModel.TryDeserialize(LookupReadModel.Serialize(view));
        Responses.JsonBytes(view);
        ProvenancePage.RenderBytes(view, "vi");
        ProvenancePage.RenderBytes(view, "en");
        Responses.JsonBytes(Linkset.Document(view));
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "Lookup warm-up: the sample lot rendered every way in {Milliseconds:N0} ms")]
        public static partial void Done(ILogger logger, double milliseconds);

        [LoggerMessage(LogLevel.Warning, "Lookup warm-up failed; the first lookups pay for it instead")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
