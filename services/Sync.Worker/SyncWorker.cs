using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.NationalPortal.Client;
using Traceability.Storage;
using Traceability.Sync.Pushing;

namespace Traceability.Sync;

/// <summary>
/// Drains the outbox to the national portal. Each round leases a batch (the store only hands out
/// rows whose parent is synced, and never one row to two workers), pushes up to Concurrency rows
/// at once, and records each outcome: success or 409 → Synced with the portal id; 400-class →
/// Failed with the portal's reason; anything else → released with exponential backoff. At
/// shutdown, rows not finished are released so another instance can take them at once.
/// </summary>
public sealed partial class SyncWorker(
    IServiceScopeFactory scopes,
    IOptions<SyncOptions> options,
    SyncTelemetry telemetry,
    TimeProvider time,
    ILogger<SyncWorker> logger) : BackgroundService
{
    private DateTimeOffset _statusTakenAt = DateTimeOffset.MinValue;

    /// <summary>This instance's lease owner: unique per process and per worker.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            LogDisabled(logger);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var processed = 0;
            try
            {
                processed = await RunOnceAsync(stoppingToken);
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
                await Task.Delay(o.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Leases one batch and pushes it. Returns the number of rows leased (0 = nothing due).</summary>
    public async Task<int> RunOnceAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        // A scope per round: the store and the typed portal client may be scoped/transient, and the
        // HttpClient factory rotates handlers only for clients resolved anew.
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutboxStore>();
        var pushers = scope.ServiceProvider.GetServices<IOutboxPusher>().ToDictionary(p => p.Kind);
        var rows = await outbox.LeaseAsync(Owner, o.BatchSize, time.GetUtcNow(), TimeSpan.FromSeconds(o.LeaseSeconds), stoppingToken);
        if (rows.Count == 0)
            return 0;
        // The loop itself is not cancelled: every leased row must reach Synced/Failed/released.
        await Parallel.ForEachAsync(rows,
            new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = CancellationToken.None },
            async (row, _) => await ProcessAsync(outbox, pushers, row, stoppingToken));
        return rows.Count;
    }

    private async Task ProcessAsync(IOutboxStore outbox, Dictionary<OutboxKind, IOutboxPusher> pushers,
        OutboxRow row, CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested)
        {
            await ReleaseAsync(outbox, row, time.GetUtcNow(), "released at shutdown", countRetry: false);
            return;
        }
        if (!pushers.TryGetValue(row.Kind, out var pusher))
        {
            telemetry.Pushed(row.Kind, "unsupported");
            await ReleaseAsync(outbox, row, time.GetUtcNow() + options.Value.UnsupportedKindDelay,
                $"No pusher for {row.Kind} rows yet; left pending.", countRetry: false);
            return;
        }

        using var activity = SyncTelemetry.StartPush(row);
        PortalOutcome outcome;
        try
        {
            string? parentId = null;
            if (row.DependsOnKind is { } parentKind && row.DependsOnKey is { } parentKey)
            {
                parentId = (await outbox.GetOutboxRowAsync(parentKind, parentKey, stoppingToken))?.PortalId;
                if (parentId is null)
                {
                    // The store only leases rows whose parent is synced; a missing id means the
                    // parent was reset in between. Wait for it rather than push an orphan.
                    outcome = PortalOutcome.Transient($"parent {parentKind} {parentKey} has no portal id yet");
                    await HandleAsync(outbox, row, outcome, activity);
                    return;
                }
            }
            outcome = await pusher.PushAsync(row, parentId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "shutdown");
            await ReleaseAsync(outbox, row, time.GetUtcNow(), "released at shutdown", countRetry: false);
            return;
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
        await HandleAsync(outbox, row, outcome, activity);
    }

    private async Task HandleAsync(IOutboxStore outbox, OutboxRow row, PortalOutcome outcome, Activity? activity)
    {
        var now = time.GetUtcNow();
        activity?.SetTag("traceability.sync.outcome", outcome.Kind.ToString());
        switch (outcome.Kind)
        {
            case PortalOutcomeKind.Created or PortalOutcomeKind.AlreadyExists:
                telemetry.Pushed(row.Kind, outcome.Kind == PortalOutcomeKind.Created ? "created" : "already_exists");
                activity?.SetTag("traceability.portal.id", outcome.PortalId);
                if (!await outbox.MarkSyncedAsync(row.Id, Owner, outcome.PortalId!, now, CancellationToken.None))
                    LogLeaseLost(logger, row.Id, row.Kind, row.Key);
                break;
            case PortalOutcomeKind.Rejected:
                telemetry.Pushed(row.Kind, "rejected");
                activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
                LogRejected(logger, row.Kind, row.Key, outcome.Error);
                if (!await outbox.MarkFailedAsync(row.Id, Owner, outcome.Error ?? "rejected", now, CancellationToken.None))
                    LogLeaseLost(logger, row.Id, row.Kind, row.Key);
                break;
            default:
                telemetry.Pushed(row.Kind, "transient");
                activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
                LogTransient(logger, row.Kind, row.Key, row.Attempts + 1, outcome.Error);
                await ReleaseAsync(outbox, row, now + Backoff(row.Attempts), outcome.Error, countRetry: true);
                break;
        }
    }

    private async Task ReleaseAsync(IOutboxStore outbox, OutboxRow row, DateTimeOffset retryAt, string? error, bool countRetry)
    {
        if (countRetry)
            telemetry.Retried(row.Kind);
        if (!await outbox.ReleaseAsync(row.Id, Owner, retryAt, error, CancellationToken.None))
            LogLeaseLost(logger, row.Id, row.Kind, row.Key);
    }

    /// <summary>BackoffBase × 2^attempts, the exponent capped at MaxAttempts, at most MaxBackoff, ±20 % jitter.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var exponent = Math.Clamp(attempts, 0, o.MaxAttempts);
        var delay = Math.Min(o.BackoffBase.TotalMilliseconds * Math.Pow(2, exponent), o.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    /// <summary>Refreshes the gauges' snapshot, at most once a second.</summary>
    private async Task ObserveStatusAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now - _statusTakenAt < TimeSpan.FromSeconds(1))
            return;
        _statusTakenAt = now;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal rejected {Kind} {Key}: {Reason}")]
    private static partial void LogRejected(ILogger logger, OutboxKind kind, string key, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Push of {Kind} {Key} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogTransient(ILogger logger, OutboxKind kind, string key, int attempt, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease on outbox row {Id} ({Kind} {Key}) was lost before the outcome was recorded")]
    private static partial void LogLeaseLost(ILogger logger, string id, OutboxKind kind, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync worker {Owner} stopped")]
    private static partial void LogStopped(ILogger logger, string owner);
}
