namespace Traceability.Sync.Pushing;

/// <summary>
/// Pushes one kind of outbox row to the portal: loads the entity, maps it to the portal DTO and
/// calls the portal. One small class per kind, registered in DI; a kind without a pusher is left
/// pending by the worker.
/// </summary>
public interface IOutboxPusher
{
    OutboxKind Kind { get; }

    /// <summary>
    /// Called once per round, before any <see cref="PushAsync"/>, with the round's rows of this kind,
    /// so a pusher can read their entities in one store call instead of one per row. Optional: a
    /// pusher without it (or whose read failed) reads each row in <see cref="PushAsync"/>.
    /// </summary>
    Task PrepareAsync(IReadOnlyList<OutboxRow> rows, CancellationToken ct) => Task.CompletedTask;

    /// <param name="parentPortalId">The portal id of the row's DependsOn parent, when it has one.</param>
    Task<PortalOutcome> PushAsync(OutboxRow row, string? parentPortalId, CancellationToken ct);
}

internal static class Outcomes
{
    /// <summary>The entity the row announces is not in the store: nothing to push, ever.</summary>
    public static PortalOutcome Missing(OutboxRow row) =>
        new(PortalOutcomeKind.Rejected, null, $"KHONG_TIM_THAY: {row.Kind} {row.Key} is not in the store.");
}
