using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Traceability.PortalSimulator;

/// <summary>
/// Holds the current faults (configuration first, then POST /_sim/faults) and draws them per
/// request. The rate limit and latency run on the real clock: they shape the traffic of the
/// process under test, while token expiry follows the injected TimeProvider so tests can jump.
/// </summary>
public sealed class FaultInjector(IOptions<SimulatorOptions> options)
{
    private volatile FaultSettings _settings = options.Value.Faults;
    private readonly Lock _windowGate = new();
    private long _windowStart = Stopwatch.GetTimestamp();
    private double _windowCount;

    public FaultSettings Current => _settings;

    public void Set(FaultSettings settings) => _settings = settings;

    /// <summary>The status to answer instead of serving the request, or null to serve it.</summary>
    public int? DrawError()
    {
        var s = _settings;
        if (s.RateLimitPerSecond > 0 && !TakeRatePermit(s.RateLimitPerSecond))
            return 429;
        if (s.ErrorRate > 0 && Random.Shared.NextDouble() < s.ErrorRate)
            return s.Statuses is { Count: > 0 } statuses ? statuses[Random.Shared.Next(statuses.Count)] : s.Status;
        return null;
    }

    public bool DrawDrop() => _settings.DropRate > 0 && Random.Shared.NextDouble() < _settings.DropRate;

    // A fixed one-second window: simple, and what quota gateways commonly do.
    private bool TakeRatePermit(double perSecond)
    {
        lock (_windowGate)
        {
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _windowCount = 0;
            }
            if (_windowCount + 1 > perSecond)
                return false;
            _windowCount++;
            return true;
        }
    }
}
