using System.Diagnostics;
using System.Net;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Events;
using MongoDB.Driver.Core.Servers;
using Traceability.Storage.Mongo.Telemetry;

namespace Traceability.Storage.Mongo.Tests;

public sealed class TelemetryTests : IDisposable
{
    private readonly List<Activity> stopped = [];
    private readonly ActivityListener listener;
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(1), new DnsEndPoint("mongo-a", 27017)));

    public TelemetryTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Traceability.Storage.Mongo",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();


    [Fact]
    public void A_driver_command_becomes_a_client_span_with_database_attributes()
    {
        var tracer = new CommandTracer();
        var command = new BsonDocument { { "find", "events" }, { "filter", new BsonDocument("_id", "x") } };

        tracer.OnStarted(new CommandStartedEvent("find", command, new DatabaseNamespace("traceability"), 1, 9101, Connection));
        Assert.Null(Activity.Current); // the open command span does not become the caller's ambient span
        tracer.OnSucceeded(new CommandSucceededEvent("find", [], new DatabaseNamespace("traceability"), 1, 9101, Connection, TimeSpan.FromMilliseconds(2)));

        Activity span;
        lock (stopped) span = Assert.Single(stopped, a => a.DisplayName == "find events" && (string?)a.GetTagItem("server.address") == "mongo-a");
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal("mongodb", span.GetTagItem("db.system.name"));
        Assert.Equal("traceability", span.GetTagItem("db.namespace"));
        Assert.Equal("events", span.GetTagItem("db.collection.name"));
        Assert.Equal("find", span.GetTagItem("db.operation.name"));
    }

    [Fact]
    public void A_failed_command_ends_its_span_with_an_error()
    {
        var tracer = new CommandTracer();

        tracer.OnStarted(new CommandStartedEvent("insert", new BsonDocument("insert", "lots"), new DatabaseNamespace("traceability"), 2, 9102, Connection));
        tracer.OnFailed(new CommandFailedEvent("insert", new DatabaseNamespace("traceability"), new TimeoutException("slow"), 2, 9102, Connection, TimeSpan.FromSeconds(1)));

        Activity span;
        lock (stopped) span = Assert.Single(stopped, a => a.DisplayName == "insert lots");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("TimeoutException", span.GetTagItem("error.type"));
    }

    [Fact]
    public void Handshake_and_authentication_commands_are_not_traced()
    {
        var tracer = new CommandTracer();

        tracer.OnStarted(new CommandStartedEvent("saslStart", new BsonDocument("saslStart", 1), new DatabaseNamespace("admin"), 3, 9103, Connection));
        tracer.OnSucceeded(new CommandSucceededEvent("saslStart", [], new DatabaseNamespace("admin"), 3, 9103, Connection, TimeSpan.Zero));

        lock (stopped) Assert.DoesNotContain(stopped, a => a.DisplayName.StartsWith("saslStart", StringComparison.Ordinal));
    }
}
