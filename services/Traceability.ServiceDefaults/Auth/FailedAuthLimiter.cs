using System.Collections.Concurrent;

namespace Traceability.ServiceDefaults.Auth;

/// <summary>
/// Counts failed authentications per client address in fixed windows (<see cref="AuthOptions.FailureLimit"/>
/// per <see cref="AuthOptions.FailureWindowSeconds"/>). Once a client used up its failures, every
/// request of it that presents a key to an endpoint needing one is refused with 429 until the window
/// ends — a valid key too, or the refusals would tell a guesser when it is right. Warnings are rate-limited as well: the
/// first failure and the block of each client per window, and at most <see cref="WarningsPerWindow"/>
/// lines per window overall, so a flood from many addresses cannot flood the log.
/// </summary>
public sealed partial class FailedAuthLimiter(IOptions<AuthOptions> options, TimeProvider time, ILogger<FailedAuthLimiter> logger)
{
    public const int WarningsPerWindow = 20;

    /// <summary>Entries kept before expired ones are swept (bounds memory under a spread-out flood).</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Window> _clients = new();
    private readonly Window _warnings = new();

    private sealed class Window
    {
        public long Start;
        public int Count;
        public int Suppressed;
    }

    /// <summary>How long <paramref name="context"/>'s client must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(HttpContext context)
    {
        var o = options.Value;
        if (o.FailureLimit <= 0 || !_clients.TryGetValue(ClientKey(context), out var window)) return null;
        lock (window)
        {
            var left = WindowEnd(window) - time.GetTimestamp();
            return window.Count >= o.FailureLimit && left > 0 ? time.GetElapsedTime(0, left) : null;
        }
    }

    /// <summary>Counts one failed authentication of <paramref name="context"/>'s client with key <paramref name="presented"/>.</summary>
    public void RecordFailure(HttpContext context, string presented)
    {
        var o = options.Value;
        if (o.FailureLimit <= 0) return;
        if (_clients.Count > SweepAbove) Sweep();
        var client = ClientKey(context);
        var window = _clients.GetOrAdd(client, _ => new Window());
        int count;
        lock (window)
        {
            Roll(window);
            count = ++window.Count;
        }
        var keyId = KeyIdPrefix(presented);
        if (count == 1 && MayWarn(out var suppressed)) LogFirstFailure(logger, client, keyId, context.Request.Path, suppressed);
        else if (count == o.FailureLimit && MayWarn(out suppressed)) LogBlocked(logger, client, count, o.FailureWindowSeconds, keyId, suppressed);
        else LogFailure(logger, client, keyId, count);
    }

    /// <summary>Starts a new window when the current one has ended.</summary>
    private void Roll(Window window)
    {
        var now = time.GetTimestamp();
        if (window.Start != 0 && now < WindowEnd(window)) return;
        window.Start = now;
        window.Count = 0;
    }

    private long WindowEnd(Window window) =>
        window.Start + (long)(options.Value.FailureWindowSeconds * (double)time.TimestampFrequency);

    private bool MayWarn(out int suppressed)
    {
        lock (_warnings)
        {
            var fresh = _warnings.Start == 0 || time.GetTimestamp() >= WindowEnd(_warnings);
            if (fresh) (_warnings.Start, _warnings.Count) = (time.GetTimestamp(), 0);
            suppressed = fresh ? _warnings.Suppressed : 0;
            if (fresh) _warnings.Suppressed = 0;
            if (++_warnings.Count <= WarningsPerWindow) return true;
            _warnings.Suppressed++;
            return false;
        }
    }

    private void Sweep()
    {
        var now = time.GetTimestamp();
        foreach (var (client, window) in _clients)
            if (now >= WindowEnd(window)) _clients.TryRemove(client, out _);
    }

    /// <summary>
    /// The first 8 characters of the key id of a <c>trc_{keyId}_{secret}</c> key — enough to find
    /// the key in the store, never the secret — restricted to letters and digits (it is the client's text).
    /// </summary>
    public static string KeyIdPrefix(string presented) => ApiKeys.TrySplit(presented, out var keyId, out _)
        ? new string([.. keyId.Take(8).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '?')])
        : "(not a trc_ key)";

    /// <summary>Sets the Retry-After header (whole seconds, rounded up) and returns its value.</summary>
    public static int SetRetryAfter(HttpContext context, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    // Behind a reverse proxy every client shares the proxy's address unless forwarded headers are enabled (see RateLimits).
    private static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed authentication from {Client} with key id {KeyIdPrefix} on {Path} ({Suppressed} warnings suppressed before this one)")]
    private static partial void LogFirstFailure(ILogger logger, string client, string keyIdPrefix, string path, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {Client} made {Count} failed authentications (last key id {KeyIdPrefix}): its requests with a key are refused with 429 for up to {WindowSeconds} s ({Suppressed} warnings suppressed before this one)")]
    private static partial void LogBlocked(ILogger logger, string client, int count, int windowSeconds, string keyIdPrefix, int suppressed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Failed authentication from {Client} with key id {KeyIdPrefix} ({Count} in this window)")]
    private static partial void LogFailure(ILogger logger, string client, string keyIdPrefix, int count);
}
