using System.Collections.ObjectModel;
using OpenTelemetry.Trace;
using Traceability.Sync.Tests.Infrastructure;

namespace Traceability.Security.Tests;

/// <summary>
/// One capture is one trace: the HTTP request, the capture use case, the store write and, later,
/// the sync worker's push and its HTTP call to the portal (the outbox row carries the traceparent).
/// </summary>
public sealed class TraceTests : IAsyncLifetime
{
    private readonly SpanLog spans = new();
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

        // The trace is ours from the start, so spans of tests running beside this one never match.
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/epcis/capture")
        {
            Content = new StringContent(document, Encoding.UTF8, "application/json"),
            Headers = { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" } },
        };

        var response = await producer.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // The server span ends just after the response is sent; the worker pushes the product, the lot,
        // then the event, and its span ends after the portal answered.
        var server = await EndedSpanAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Server);
        Assert.Equal("/epcis/capture", server.GetTagItem("http.route"));
        var push = await EndedSpanAsync(s => s.TraceId == traceId && s.DisplayName == "sync push event");
        var trace = spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
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

    /// <summary>The first span matching <paramref name="match"/>, once it has ended and been exported.</summary>
    private async Task<Activity> EndedSpanAsync(Func<Activity, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var span = spans.Snapshot().FirstOrDefault(match);
            if (span is not null) return span;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the expected span is not in the capture's trace");
            await Task.Delay(50, TestContext.Current.CancellationToken); // polling for the span to end, not timing it
        }
    }

    /// <summary>The exporter adds spans from the host's threads while the test reads them.</summary>
    private sealed class SpanLog : Collection<Activity>
    {
        public Activity[] Snapshot()
        {
            lock (this) return [.. this];
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (this) base.InsertItem(index, item);
        }
    }
}
