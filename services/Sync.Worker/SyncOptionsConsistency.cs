using Microsoft.Extensions.Options;

namespace Traceability.Sync;

/// <summary>
/// Checks the Sync and Portal options against each other at start; each range alone was fine
/// when <c>Sync:LeaseSeconds=5</c> made 8,000 lease-lost warnings and 8,962 pushes again (issue 16):
/// a round of 100 rows × 4 lanes under the portal's quota of 50 calls/s takes 8 s, longer than its
/// lease, so another lane leased the same rows while they were being pushed.
/// </summary>
internal sealed class SyncOptionsConsistency(IOptions<PortalOptions> portal) : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var errors = Check(options, portal.Value).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// The longest one push may take: the pipeline's total timeout, or every attempt timing out with
    /// the longest wait between them, whichever ends first.
    /// </summary>
    public static TimeSpan LongestCall(PortalOptions p) => TimeSpan.FromTicks(Math.Min(p.TotalTimeout.Ticks,
        (p.MaxRetries + 1) * p.AttemptTimeout.Ticks + p.MaxRetries * p.RetryMaxDelay.Ticks));

    /// <summary>How long the portal's quota takes to let one round of every lane through.</summary>
    public static TimeSpan QuotaTime(SyncOptions s, PortalOptions p) => TimeSpan.FromSeconds(s.BatchSize * s.Lanes / p.RatePerSecond);

    public static IEnumerable<string> Check(SyncOptions s, PortalOptions p)
    {
        var needed = LongestCall(p) + QuotaTime(s, p);
        if (TimeSpan.FromSeconds(s.LeaseSeconds) <= needed)
            yield return $"Sync:LeaseSeconds ({s.LeaseSeconds}) must be longer than one round can take, {needed.TotalSeconds:0.##} s: " +
                $"the longest portal call ({LongestCall(p).TotalSeconds:0.##} s: Portal:TotalTimeout, or (Portal:MaxRetries + 1) × " +
                $"Portal:AttemptTimeout + Portal:MaxRetries × Portal:RetryMaxDelay) plus Sync:BatchSize × Sync:Lanes / " +
                $"Portal:RatePerSecond ({QuotaTime(s, p).TotalSeconds:0.##} s). Otherwise rows are leased again while they are " +
                "being pushed and reach the portal twice. Raise Sync:LeaseSeconds or lower the others.";
        if (s.BackoffBase > s.MaxBackoff)
            yield return $"Sync:BackoffBase ({s.BackoffBase}) must not be longer than Sync:MaxBackoff ({s.MaxBackoff}).";
        if (p.AttemptTimeout > p.TotalTimeout)
            yield return $"Portal:AttemptTimeout ({p.AttemptTimeout}) must not be longer than Portal:TotalTimeout ({p.TotalTimeout}).";
        if (p.RetryBaseDelay > p.RetryMaxDelay)
            yield return $"Portal:RetryBaseDelay ({p.RetryBaseDelay}) must not be longer than Portal:RetryMaxDelay ({p.RetryMaxDelay}).";
    }
}
