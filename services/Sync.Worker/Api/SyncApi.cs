using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Traceability.Sync.Api;

/// <summary>DESIGN §4.7: what is stuck and why, and the operator's retry. Admin only.</summary>
public static class SyncApi
{
    public static RouteGroupBuilder MapSyncApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/sync").WithTags("Sync").RequireAuthorization("admin");
        group.MapGet("/status", GetStatus).WithName("GetSyncStatus").WithSummary("Outbox counts by state");
        group.MapGet("/failed", ListFailed).WithName("ListFailedSync").WithSummary("Rows the portal rejected, with its reason");
        group.MapPost("/failed/{id}/retry", Retry).WithName("RetryFailedSync").WithSummary("Queue a failed row again");
        return group;
    }

    public static async Task<Ok<SyncStatusResponse>> GetStatus(IOutboxStore outbox, TimeProvider time, CancellationToken ct)
    {
        var s = await outbox.GetStatusAsync(time.GetUtcNow(), ct);
        return TypedResults.Ok(new SyncStatusResponse(s.Pending, s.InFlight, s.Synced, s.Failed, Math.Round(s.OldestPendingSeconds, 1)));
    }

    public static async Task<Ok<IReadOnlyList<FailedRowResponse>>> ListFailed(IOutboxStore outbox, int? max, CancellationToken ct)
    {
        var rows = await outbox.ListFailedAsync(Math.Clamp(max ?? 100, 1, 1000), ct);
        return TypedResults.Ok<IReadOnlyList<FailedRowResponse>>([.. rows.Select(FailedRowResponse.From)]);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Retry(string id, IOutboxStore outbox, TimeProvider time,
        CancellationToken ct) =>
        await outbox.RetryFailedAsync(id, time.GetUtcNow(), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"No failed sync row with id '{id}'.");
}

public sealed record SyncStatusResponse(long Pending, long InFlight, long Synced, long Failed, double OldestPendingSeconds);

public sealed record FailedRowResponse(string Id, string Kind, string Key, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, string? DependsOnKind, string? DependsOnKey)
{
    public static FailedRowResponse From(OutboxRow r) => new(
        r.Id, r.Kind.ToString().ToLowerInvariant(), r.Key, r.Attempts, r.LastError, r.CreatedAt,
        r.DependsOnKind?.ToString().ToLowerInvariant(), r.DependsOnKey);
}
