using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Traceability.Security.Tests;

/// <summary>One capture is one trace: the HTTP request, the capture use case and the store write share a trace id.</summary>
public sealed class TraceTests : IAsyncLifetime
{
    private readonly List<Activity> spans = [];
    private readonly SecurityApp app;

    public TraceTests() => app = new SecurityApp
    {
        Configure = services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)),
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task One_capture_produces_one_trace_with_the_capture_and_store_write_spans()
    {
        var (_, key, prefix) = await app.NewProducerAsync();
        var producer = app.ClientWithKey(key);
        var gtin = SecurityApp.Gtin14(prefix, 3);
        (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Chè" } })).EnsureSuccessStatusCode();
        (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "T1" })).EnsureSuccessStatusCode();
        var document = $$$"""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-10-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00","action":"OBSERVE","bizStep":"shipping","quantityList":[{"epcClass":"https://id.gs1.org/01/{{{gtin}}}/10/T1","quantity":1,"uom":"KGM"}]}]}}""";

        var response = await producer.PostAsync("/epcis/capture", new StringContent(document, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Activity[] all;
        lock (spans) all = [.. spans];
        var server = Assert.Single(all, s => s.Kind == ActivityKind.Server && (s.GetTagItem("http.route") as string) == "/epcis/capture");
        var trace = all.Where(s => s.TraceId == server.TraceId).ToList();
        var capture = Assert.Single(trace, s => s.OperationName == "epcis.capture");
        var write = Assert.Single(trace, s => s.Source.Name == "Traceability.Storage.Sqlite" && s.DisplayName == "sqlite CaptureAsync");
        Assert.Equal(server.SpanId, capture.ParentSpanId);
        Assert.Equal(capture.SpanId, write.ParentSpanId);
    }
}
