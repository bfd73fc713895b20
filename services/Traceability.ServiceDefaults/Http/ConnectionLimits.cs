using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// Kestrel's connection limits, kept below the process's file limit.
/// <para>
/// Why (issue 16): each TCP connection holds a file descriptor. With no limit, ~19,800 idle
/// connections used up the 20,000 descriptors of the process. Kestrel's accept loop then gets
/// EMFILE, which it treats as a reset connection: it logs at Debug and accepts again at once, a
/// busy loop that serves nobody (so, no log line). Worse, every thread the runtime starts from then
/// on needs descriptors too (a pipe, /proc and /sys reads, seen with strace): the thread cannot be
/// created, the runtime reports "Out of memory." and aborts — memory was not short (RSS 470 MB,
/// 1,800 memory maps, 20 threads). Keeping MaxConcurrentConnections a reserve below the file
/// limit, and <see cref="AcceptGate"/> from accepting more sockets than that while earlier ones
/// are still being closed, keeps the listener, the store and the runtime working, and the host
/// recovers as soon as clients leave.
/// Near that limit <see cref="IdleConnectionEviction"/> closes the longest-silent connection for
/// each new one, so new clients get in at once rather than after the keep-alive timeout.
/// </para>
/// Defaults (each overridable with the standard keys <c>Kestrel:Limits:*</c>): connections = file
/// limit − reserve (10 %, at least 1,024 or a quarter of a small limit) − upgraded connections, at most 50,000 (≈ 8 KB of memory
/// each when idle); 100 upgraded connections; keep-alive 30 s (also the wait for a new
/// connection's first request); request headers 15 s.
/// </summary>
public static partial class ConnectionLimits
{
    public const int ReserveMinimum = 1024;
    public const int UpgradedDefault = 100;
    public const int ConnectionsCap = 50_000;
    public const int UnknownFileLimitConnections = 10_000;

    public static IHostApplicationBuilder AddConnectionLimits(this IHostApplicationBuilder builder)
    {
        var fileLimit = ProcessLimits.RaiseFileLimit();
        var configuration = builder.Configuration;
        builder.Services.AddSingleton(sp => new IdleConnectionEviction(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IdleConnectionEviction>((o, eviction) =>
            {
                var limits = o.Limits;
                limits.MaxConcurrentUpgradedConnections = UpgradedDefault;
                limits.MaxConcurrentConnections = fileLimit is { } files
                    ? Math.Clamp(files - Reserve(files) - UpgradedDefault, 1, ConnectionsCap)
                    : UnknownFileLimitConnections;
                limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
                limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
                // After the defaults, so an operator's Kestrel:Limits:* always wins.
                configuration.GetSection("Kestrel:Limits").Bind(limits);
                if (limits.MaxConcurrentConnections is { } max)
                {
                    eviction.ConnectionLimit = max;
                    o.ConfigureEndpointDefaults(listen => listen.Use(eviction.Middleware));
                }
            })
            .ValidateOnStart();
        GateTheTransport(builder.Services);
        builder.Services.AddSingleton<IValidateOptions<KestrelServerOptions>>(new Validator(fileLimit));
        builder.Services.AddHostedService<ConnectionLimitMonitor>();
        return builder;
    }

    /// <summary>
    /// Puts <see cref="AcceptGate"/> around Kestrel's socket transport, sized to the connections it
    /// may hold (normal and upgraded), so the sockets it accepts never outrun the limits above.
    /// Hosts without that transport (the test server) are left as they are.
    /// </summary>
    private static void GateTheTransport(IServiceCollection services)
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(IConnectionListenerFactory) && !d.IsKeyedService) is not { } transport) return;
        services.Remove(transport);
        services.AddSingleton<IConnectionListenerFactory>(sp =>
        {
            var inner = (IConnectionListenerFactory)(transport.ImplementationInstance
                ?? transport.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, transport.ImplementationType!));
            var limits = sp.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
            return limits.MaxConcurrentConnections is { } connections
                ? new AcceptGate(inner, (int)Math.Min(int.MaxValue, connections + (limits.MaxConcurrentUpgradedConnections ?? 0)))
                : inner;
        });
    }

    /// <summary>Descriptors the defaults keep for the store, logs, key files, outgoing calls and the runtime's threads.</summary>
    public static long Reserve(long fileLimit) => Math.Max(MinimumReserve(fileLimit), fileLimit / 10);

    /// <summary>The least reserve a configured limit must leave (a quarter of a small file limit).</summary>
    public static long MinimumReserve(long fileLimit) => Math.Min(ReserveMinimum, fileLimit / 4);

    private sealed class Validator(long? fileLimit) : IValidateOptions<KestrelServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, KestrelServerOptions options)
        {
            if (fileLimit is not { } files) return ValidateOptionsResult.Success;
            var l = options.Limits;
            var room = files - MinimumReserve(files);
            if (l.MaxConcurrentConnections is { } c && l.MaxConcurrentUpgradedConnections is { } u && c + u <= room)
                return ValidateOptionsResult.Success;
            return ValidateOptionsResult.Fail(
                $"Kestrel:Limits:MaxConcurrentConnections ({l.MaxConcurrentConnections?.ToString() ?? "unlimited"}) + " +
                $"Kestrel:Limits:MaxConcurrentUpgradedConnections ({l.MaxConcurrentUpgradedConnections?.ToString() ?? "unlimited"}) " +
                $"must leave {MinimumReserve(files)} of the process's file limit ({files}) free, or the host stops accepting and aborts " +
                $"when clients use them all: set them to at most {room} together, or raise the limit (ulimit -n, systemd LimitNOFILE=).");
        }
    }

    /// <summary>
    /// Logs, at most every 10 s, how many connections Kestrel refused at its limit (its own
    /// per-connection warning is silenced in appsettings.json: a flood would flood the log).
    /// </summary>
    private sealed partial class ConnectionLimitMonitor(IOptions<KestrelServerOptions> kestrel, IdleConnectionEviction eviction,
        TimeProvider time, ILogger<ConnectionLimitMonitor> logger) : IHostedService, IDisposable
    {
        private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
        private readonly MeterListener _listener = new();
        private ITimer? _timer;
        private long _rejected;

        public Task StartAsync(CancellationToken ct)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Microsoft.AspNetCore.Server.Kestrel" && instrument.Name == "kestrel.rejected_connections")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _rejected, value));
            _listener.Start();
            _timer = time.CreateTimer(_ => Report(), null, Period, Period);
            return Task.CompletedTask;
        }

        private void Report()
        {
            var rejected = Interlocked.Exchange(ref _rejected, 0);
            if (rejected > 0)
                LogLimitReached(logger, rejected, Period.TotalSeconds, kestrel.Value.Limits.MaxConcurrentConnections);
            if (eviction.TakeEvicted() is var evicted and > 0)
                LogIdleEvicted(logger, evicted, Period.TotalSeconds, eviction.Threshold, kestrel.Value.Limits.MaxConcurrentConnections);
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

        public void Dispose()
        {
            _timer?.Dispose();
            _listener.Dispose();
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Connection limit reached: {Rejected} connections refused in the last {Seconds} s (Kestrel:Limits:MaxConcurrentConnections = {Limit})")]
        private static partial void LogLimitReached(ILogger logger, long rejected, double seconds, long? limit);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Connection limit reached: {Evicted} idle connections closed in the last {Seconds} s to let new clients in (eviction starts at {Threshold} of Kestrel:Limits:MaxConcurrentConnections = {Limit})")]
        private static partial void LogIdleEvicted(ILogger logger, long evicted, double seconds, long threshold, long? limit);
    }
}
