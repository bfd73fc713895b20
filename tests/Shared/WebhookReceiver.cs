using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Traceability.Testing;

/// <summary>One call a <see cref="WebhookReceiver"/> received: its body, the signature header it was asked to read, and the status it answered.</summary>
public sealed record WebhookCall(string Body, string? Signature, int Status);

/// <summary>
/// A webhook endpoint on 127.0.0.1 (any free port) that records every call and answers
/// <c>failStatus</c> to the first <c>failFirst</c> of them, 204 after. Linked into the test projects
/// that test outgoing webhooks (tests/Shared).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<WebhookCall> _calls = new();
    private readonly int _failFirst;
    private readonly int _failStatus;
    private int _received;

    private WebhookReceiver(WebApplication app, int failFirst, int failStatus) => (_app, _failFirst, _failStatus) = (app, failFirst, failStatus);

    public string Url => _app.Urls.First() + "/hook";

    /// <summary>Every call, in the order received.</summary>
    public IReadOnlyList<WebhookCall> Calls => [.. _calls];

    /// <summary>The calls answered 2xx.</summary>
    public IReadOnlyList<WebhookCall> Delivered => [.. _calls.Where(c => c.Status < 300)];

    public static async Task<WebhookReceiver> StartAsync(string signatureHeader, int failFirst = 0, int failStatus = 503)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, failFirst, failStatus);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var status = Interlocked.Increment(ref receiver._received) <= receiver._failFirst ? receiver._failStatus : StatusCodes.Status204NoContent;
            receiver._calls.Enqueue(new WebhookCall(body, request.Headers[signatureHeader].FirstOrDefault(), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> calls were delivered (answered 2xx) and returns the last of them.</summary>
    public async Task<WebhookCall> DeliveredAsync(int count, TimeSpan within, CancellationToken ct)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); Delivered.Count < count; await Task.Delay(50, ct))
            if (waited.Elapsed > within) throw new TimeoutException($"{Delivered.Count} of {count} webhook calls delivered within {within.TotalSeconds} s.");
        return Delivered[count - 1];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
