using System.Collections.Concurrent;
using System.Diagnostics;
using MongoDB.Driver.Core.Events;

namespace Traceability.Storage.Mongo.Telemetry;

/// <summary>
/// The provider's ActivitySource. Spans: one per store operation ("mongo capture", …) and one
/// client span per driver command, made from the driver's command events, so a trace shows every
/// round trip under the request that caused it. (The driver's own "MongoDB.Driver" source, 3.7+,
/// can be added as well; this one needs no driver switch and names the store.)
/// </summary>
public static class MongoStoreTelemetry
{
    public const string Name = "Traceability.Storage.Mongo";

    public static readonly ActivitySource Source = new(Name);

    public static Activity? StartOperation(string operation) =>
        Source.StartActivity("mongo " + operation, ActivityKind.Internal);
}

/// <summary>Turns driver command events into client spans (OpenTelemetry database semantic conventions).</summary>
public sealed class CommandTracer
{
    // The driver's commands that carry secrets or are internal chatter.
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "hello", "isMaster", "saslStart", "saslContinue", "getnonce", "authenticate", "ping", "buildInfo",
        "endSessions", "killCursors",
    };

    private readonly ConcurrentDictionary<int, Activity> inFlight = new();

    public void Subscribe(MongoDB.Driver.Core.Configuration.ClusterBuilder builder)
    {
        builder.Subscribe<CommandStartedEvent>(OnStarted);
        builder.Subscribe<CommandSucceededEvent>(OnSucceeded);
        builder.Subscribe<CommandFailedEvent>(OnFailed);
    }

    public void OnStarted(CommandStartedEvent e)
    {
        if (Ignored.Contains(e.CommandName)) return;
        // The span ends in another callback, possibly on another flow: keep it out of
        // Activity.Current so later spans of the caller do not nest under a finished command.
        var ambient = Activity.Current;
        var activity = MongoStoreTelemetry.Source.StartActivity(e.CommandName, ActivityKind.Client);
        Activity.Current = ambient;
        if (activity is null) return;
        activity.SetTag("db.system.name", "mongodb");
        activity.SetTag("db.operation.name", e.CommandName);
        activity.SetTag("db.namespace", e.DatabaseNamespace?.DatabaseName);
        if (e.Command is { } command && command.TryGetValue(e.CommandName, out var target) && target.IsString)
        {
            activity.SetTag("db.collection.name", target.AsString);
            activity.DisplayName = $"{e.CommandName} {target.AsString}";
        }
        if (e.ConnectionId?.ServerId?.EndPoint is System.Net.DnsEndPoint dns)
        {
            activity.SetTag("server.address", dns.Host);
            activity.SetTag("server.port", dns.Port);
        }
        inFlight[e.RequestId] = activity;
    }

    public void OnSucceeded(CommandSucceededEvent e)
    {
        if (inFlight.TryRemove(e.RequestId, out var activity))
        {
            activity.SetStatus(ActivityStatusCode.Ok);
            activity.Dispose();
        }
    }

    public void OnFailed(CommandFailedEvent e)
    {
        if (inFlight.TryRemove(e.RequestId, out var activity))
        {
            activity.SetStatus(ActivityStatusCode.Error, e.Failure?.Message);
            activity.SetTag("error.type", e.Failure?.GetType().Name);
            activity.Dispose();
        }
    }
}
