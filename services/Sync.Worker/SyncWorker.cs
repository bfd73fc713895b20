using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Sync.Pushing;

namespace Traceability.Sync;

/// <summary>
/// Drains the outbox to the national portal. Each round leases a batch (the store only hands out
/// rows whose parent is synced, and never one row to two workers), pushes up to Concurrency rows
/// at once, and records the round's outcomes together: success or 409 → Synced with the portal id;
/// 400-class → Failed with the portal's reason; anything else → released with exponential backoff.
/// At shutdown, rows not finished are released so another instance can take them at once.
/// </summary>
public sealed partial class SyncWorker(
    IServiceScopeFactory scopes,
    IOptions<SyncOptions> options,
    SyncTelemetry telemetry,
    TimeProvider time,
    ILogger<SyncWorker> logger) : BackgroundService
{
    /// <summary>When the gauges' snapshot was last taken (UTC ticks); lanes claim the next one with a compare-exchange.</summary>
    private long _statusTakenAt = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>Portal calls in flight at once, across the lanes.</summary>
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency);

    /// <summary>
    /// This instance's name, unique per process and per worker: its lanes lease as {Owner}/1,
    /// {Owner}/2 and so on, a direct <see cref="RunOnceAsync(CancellationToken)"/> as Owner.
    /// </summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(logger);
            return;
        }
        // The lanes share the Concurrency slots: while some lease or record their rounds, the others'
        // pushes keep the slots busy. Each lane leases under an owner of its own, as a separate
        // instance would, so a lease one lane lost can never be recorded by another.
        await Task.WhenAll(Enumerable.Range(1, options.Value.Lanes).Select(lane => RunLaneAsync($"{Owner}/{lane}", stoppingToken)));
    }

    private async Task RunLaneAsync(string owner, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var processed = 0;
            try
            {
                processed = await RunOnceAsync(owner, stoppingToken);
                await ObserveStatusAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A store hiccup must not kill the worker; the next round tries again.
                LogRoundFailed(logger, ex);
            }
            if (processed > 0)
                continue;
            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Leases one batch and pushes it. Returns the number of rows leased (0 = nothing due).</summary>
    public Task<int> RunOnceAsync(CancellationToken stoppingToken) => RunOnceAsync(Owner, stoppingToken);

    private async Task<int> RunOnceAsync(string owner, CancellationToken stoppingToken)
    {
        var o = options.Value;
        // A scope per round: the store and the typed portal client may be scoped/transient, and the
        // HttpClient factory rotates handlers only for clients resolved anew.
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutboxStore>();
        var pushers = scope.ServiceProvider.GetServices<IOutboxPusher>().ToDictionary(p => p.Kind);
        var rows = await outbox.LeaseAsync(owner, o.BatchSize, time.GetUtcNow(), TimeSpan.FromSeconds(o.LeaseSeconds), stoppingToken);
        if (rows.Count == 0)
            return 0;
        await PrepareAsync(pushers, rows);
        // A round's rows share few parents (a lot's events come together): each parent is read once.
        var parents = new ConcurrentDictionary<(OutboxKind, string), Task<OutboxRow?>>();
        var outcomes = new OutboxOutcome[rows.Count];
        // The loop itself is not cancelled: every leased row must reach Synced/Failed/released.
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = CancellationToken.None },
            async (i, _) =>
            {
                await _slots.WaitAsync(CancellationToken.None);
                try
                {
                    outcomes[i] = await ProcessAsync(outbox, pushers, parents, rows[i], stoppingToken);
                }
                finally
                {
                    _slots.Release();
                }
            });
        // One store call (one transaction in SQLite) for the round. A crash before it leaves the
        // rows leased; they are pushed again after the lease expires and the portal answers 409
        // with the id it already holds, so each still reaches the portal once.
        var lost = await outbox.RecordOutcomesAsync(owner, outcomes, time.GetUtcNow(), CancellationToken.None);
        foreach (var row in rows.Where(r => lost.Contains(r.Id)))
            LogLeaseLost(logger, row.Id, row.Kind, row.Key);
        return rows.Count;
    }

    /// <summary>Lets each pusher read its rows' entities in one call. Not cancelled, like the pushes.</summary>
    private async Task PrepareAsync(Dictionary<OutboxKind, IOutboxPusher> pushers, IReadOnlyList<OutboxRow> rows)
    {
        foreach (var kind in rows.GroupBy(r => r.Kind))
        {
            if (!pushers.TryGetValue(kind.Key, out var pusher))
                continue;
            try
            {
                await pusher.PrepareAsync([.. kind], CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not fatal: the pusher reads row by row, and a row that cannot be read is retried.
                LogPrepareFailed(logger, kind.Key, ex);
            }
        }
    }

    private async Task<OutboxOutcome> ProcessAsync(IOutboxStore outbox, Dictionary<OutboxKind, IOutboxPusher> pushers,
        ConcurrentDictionary<(OutboxKind, string), Task<OutboxRow?>> parents, OutboxRow row, CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested)
            return Release(row, time.GetUtcNow(), "released at shutdown", countRetry: false);
        if (!pushers.TryGetValue(row.Kind, out var pusher))
        {
            telemetry.Pushed(row.Kind, "unsupported");
            return Release(row, time.GetUtcNow() + options.Value.UnsupportedKindDelay,
                $"No pusher for {row.Kind} rows yet; left pending.", countRetry: false);
        }

        using var activity = SyncTelemetry.StartPush(row);
        PortalOutcome outcome;
        try
        {
            string? parentId = null;
            if (row.DependsOnKind is { } parentKind && row.DependsOnKey is { } parentKey)
            {
                parentId = (await parents.GetOrAdd((parentKind, parentKey),
                    p => outbox.GetOutboxRowAsync(p.Item1, p.Item2, stoppingToken)))?.PortalId;
                if (parentId is null)
                {
                    // The store only leases rows whose parent is synced; a missing id means the
                    // parent was reset in between. Wait for it rather than push an orphan.
                    return Handle(row, PortalOutcome.Transient($"parent {parentKind} {parentKey} has no portal id yet"), activity);
                }
            }
            outcome = await pusher.PushAsync(row, parentId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "shutdown");
            return Release(row, time.GetUtcNow(), "released at shutdown", countRetry: false);
        }
        catch (PortalAuthenticationException ex)
        {
            outcome = PortalOutcome.Transient(ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Timeouts, open circuit, dropped connections that Refit did not capture.
            outcome = PortalOutcome.Transient($"{ex.GetType().Name}: {ex.Message}");
        }
        return Handle(row, outcome, activity);
    }

    private OutboxOutcome Handle(OutboxRow row, PortalOutcome outcome, Activity? activity)
    {
        activity?.SetTag("traceability.sync.outcome", outcome.Kind.ToString());
        switch (outcome.Kind)
        {
            case PortalOutcomeKind.Created or PortalOutcomeKind.AlreadyExists:
                telemetry.Pushed(row.Kind, outcome.Kind == PortalOutcomeKind.Created ? "created" : "already_exists");
                activity?.SetTag("traceability.portal.id", outcome.PortalId);
                return OutboxOutcome.Synced(row.Id, outcome.PortalId!);
            case PortalOutcomeKind.Rejected:
                telemetry.Pushed(row.Kind, "rejected");
                activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
                LogRejected(logger, row.Kind, row.Key, outcome.Error);
                return OutboxOutcome.Failed(row.Id, outcome.Error ?? "rejected");
            default:
                telemetry.Pushed(row.Kind, "transient");
                activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
                LogTransient(logger, row.Kind, row.Key, row.Attempts + 1, outcome.Error);
                return Release(row, time.GetUtcNow() + Backoff(row.Attempts), outcome.Error, countRetry: true);
        }
    }

    private OutboxOutcome Release(OutboxRow row, DateTimeOffset retryAt, string? error, bool countRetry)
    {
        if (countRetry)
            telemetry.Retried(row.Kind);
        return OutboxOutcome.Released(row.Id, retryAt, error);
    }

    /// <summary>BackoffBase × 2^attempts, the exponent capped at MaxAttempts, at most MaxBackoff, ±20 % jitter.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var exponent = Math.Clamp(attempts, 0, o.MaxAttempts);
        var delay = Math.Min(o.BackoffBase.TotalMilliseconds * Math.Pow(2, exponent), o.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    /// <summary>
    /// Refreshes the gauges' snapshot, at most once a second for all lanes together: the snapshot counts
    /// the whole outbox by state (an index scan of every row ever written), and with the lanes each
    /// checking a plain field after every round, two or more of them often took it in the same second.
    /// </summary>
    private async Task ObserveStatusAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var taken = Interlocked.Read(ref _statusTakenAt);
        if (now.UtcTicks - taken < TimeSpan.TicksPerSecond
            || Interlocked.CompareExchange(ref _statusTakenAt, now.UtcTicks, taken) != taken)
            return;
        await using var scope = scopes.CreateAsyncScope();
        telemetry.Observe(await scope.ServiceProvider.GetRequiredService<IOutboxStore>().GetStatusAsync(now, ct));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Cancelling ExecuteAsync makes in-flight pushes stop and release their rows; base waits for it.
        await base.StopAsync(cancellationToken);
        LogStopped(logger, Owner);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync to the national portal is disabled (Sync:Enabled = false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync round failed; retrying after the poll interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading a round's {Kind} rows together failed; reading them one by one")]
    private static partial void LogPrepareFailed(ILogger logger, OutboxKind kind, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal rejected {Kind} {Key}: {Reason}")]
    private static partial void LogRejected(ILogger logger, OutboxKind kind, string key, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Push of {Kind} {Key} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogTransient(ILogger logger, OutboxKind kind, string key, int attempt, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease on outbox row {Id} ({Kind} {Key}) was lost before the outcome was recorded")]
    private static partial void LogLeaseLost(ILogger logger, string id, OutboxKind kind, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync worker {Owner} stopped")]
    private static partial void LogStopped(ILogger logger, string owner);
}
