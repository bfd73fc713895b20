using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Traceability.Sync.Tests.Infrastructure;

namespace Traceability.Security.Tests;

/// <summary>
/// One capture is one trace: the HTTP request, the capture use case, the store write and, later,
/// the sync worker's push and its HTTP call to the portal (the outbox row carries the traceparent).
/// </summary>
public sealed class TraceTests : IAsyncLifetime
{
    private readonly List<Activity> spans = [];
    private SimulatorHost portal = null!;
    private SecurityApp app = null!;

    public async ValueTask InitializeAsync()
    {
        portal = await SimulatorHost.StartAsync();
        app = new SecurityApp
        {
            Configure = services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)),
            Settings = portal.HostSettings(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task One_capture_produces_one_trace_with_the_capture_store_write_and_portal_call_spans()
    {
        var (_, key, prefix) = await app.RegisterProducerAsync();
        var producer = app.ClientWithKey(key);
        var gtin = SecurityApp.Gtin14(prefix, 3);
        (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Chè" } })).EnsureSuccessStatusCode();
        (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "T1" })).EnsureSuccessStatusCode();
        var document = $$$"""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-10-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00","action":"OBSERVE","bizStep":"shipping","quantityList":[{"epcClass":"https://id.gs1.org/01/{{{gtin}}}/10/T1","quantity":1,"uom":"KGM"}]}]}}""";

        var response = await producer.PostAsync("/epcis/capture", new StringContent(document, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var server = Assert.Single(Spans(), s => s.Kind == ActivityKind.Server && (s.GetTagItem("http.route") as string) == "/epcis/capture");
        // The worker pushes the product, the lot, then the event (its span ends after the portal answered).
        var push = await EventPushAsync(server.TraceId);
        var trace = Spans().Where(s => s.TraceId == server.TraceId).ToList();
        var capture = Assert.Single(trace, s => s.OperationName == "epcis.capture");
        var write = Assert.Single(trace, s => s.Source.Name == "Traceability.Storage.Sqlite" && s.DisplayName == "sqlite CaptureAsync");
        var call = Assert.Single(trace, s => s.Source.Name == "System.Net.Http"
            && (s.GetTagItem("url.full") as string)?.EndsWith("/gw/tochuc/v5/ToChuc_SuKien", StringComparison.Ordinal) == true);
        Assert.Equal(server.SpanId, capture.ParentSpanId);
        Assert.Equal(capture.SpanId, write.ParentSpanId);
        Assert.Equal(push.SpanId, call.ParentSpanId);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(portal.BaseUrl.Port, call.GetTagItem("server.port"));
    }

    private Activity[] Spans()
    {
        lock (spans) return [.. spans];
    }

    /// <summary>The sync worker's span for pushing the captured event, once it has ended.</summary>
    private async Task<Activity> EventPushAsync(ActivityTraceId traceId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var push = Spans().FirstOrDefault(s => s.TraceId == traceId && s.DisplayName == "sync push event");
            if (push is not null) return push;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the event's push is not in the capture's trace");
            await Task.Delay(50, TestContext.Current.CancellationToken); // polling for the worker, not timing it
        }
    }
}
