using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Traceability.Benchmarks;

/// <summary>The limit for lookups: Kestrel answering a fixed 200-byte JSON, nothing else.</summary>
internal sealed class TrivialServer : IAsyncDisposable
{
    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes(
        "{\"digitalLink\":\"https://id.example.vn/01/08936001000010/10/CSH-2610-01\",\"status\":\"active\"," +
        "\"product\":{\"gtin\":\"08936001000010\",\"name\":\"Cam sành Hàm Yên\"},\"note\":\"" + new string('x', 44) + "\"}");

    private readonly WebApplication app;
    public Uri BaseAddress { get; }

    private TrivialServer(WebApplication app, Uri baseAddress) => (this.app, BaseAddress) = (app, baseAddress);

    public static async Task<TrivialServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/trivial", (HttpContext c) =>
        {
            c.Response.ContentType = "application/json";
            c.Response.ContentLength = Body.Length;
            return c.Response.Body.WriteAsync(Body).AsTask();
        });
        await app.StartAsync();
        var address = app.Urls.First();
        return new TrivialServer(app, new Uri(address));
    }

    public static int BodyLength => Body.Length;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
