namespace Traceability.Lookup.Api.Provenance;

/// <summary>Ordered by precedence: when several sources report, the highest wins.</summary>
public enum LotStatus { Active = 0, Expired = 1, Suspended = 2, Recalled = 3 }

public sealed record LotStatusContext(Producer Producer, Product Product, Lot? Lot, DateTimeOffset Now);

/// <summary>A status a source reports; Recall is set when the status comes from a recall.</summary>
public sealed record StatusFinding(LotStatus Status, RecallView? Recall = null);

/// <summary>
/// A seam for whatever makes a lot not plainly active. Every registered source is asked; the most
/// severe finding wins. The recall feature registers its own source (and calls ILookupCache.Invalidate
/// when a recall is issued).
/// </summary>
public interface ILotStatusSource
{
    ValueTask<StatusFinding?> GetStatusAsync(LotStatusContext context, CancellationToken ct);
}

/// <summary>Expired when the expiry date is before today in Vietnam (UTC+7, no daylight saving).</summary>
public sealed class ExpiryStatusSource : ILotStatusSource
{
    public static DateOnly TodayInVietnam(DateTimeOffset now) => Traceability.Domain.VietnamTime.Today(now);

    /// <summary>The instant a lot with this expiry date becomes expired: the next day begins in Vietnam.</summary>
    public static DateTimeOffset ExpiresAt(DateOnly expiry) => Traceability.Domain.VietnamTime.StartOf(expiry.AddDays(1));

    public ValueTask<StatusFinding?> GetStatusAsync(LotStatusContext context, CancellationToken ct) =>
        ValueTask.FromResult(context.Lot?.ExpiryDate is { } expiry && context.Now >= ExpiresAt(expiry)
            ? new StatusFinding(LotStatus.Expired)
            : null);
}

public sealed class SuspendedProducerStatusSource : ILotStatusSource
{
    public ValueTask<StatusFinding?> GetStatusAsync(LotStatusContext context, CancellationToken ct) =>
        ValueTask.FromResult(context.Producer.Suspended ? new StatusFinding(LotStatus.Suspended) : null);
}

public static class LotStatusNames
{
    public static string ToWire(this LotStatus status) => status switch
    {
        LotStatus.Expired => "expired",
        LotStatus.Suspended => "suspended",
        LotStatus.Recalled => "recalled",
        _ => "active",
    };
}
