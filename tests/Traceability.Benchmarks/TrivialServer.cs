using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Traceability.Benchmarks;

/// <summary>
/// The limit for lookups: Kestrel answering a fixed 200-byte JSON, nothing else — in a process of
/// its own, like the host, so both sit on the far side of the same loopback from the load tool and
/// share the two cores with it the same way. (Served from the load tool's own process, it skipped the
/// scheduling between two busy processes that the host's every answer pays: its p99 was the lower.)
/// </summary>
internal sealed class TrivialServer : IAsyncDisposable
{
    /// <summary>The argument that makes this program serve the endpoint (see Program.cs).</summary>
    public const string ServeArgument = "--serve-trivial";

    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes(
        "{\"digitalLink\":\"https://id.example.vn/01/08936001000010/10/CSH-2610-01\",\"status\":\"active\"," +
        "\"product\":{\"gtin\":\"08936001000010\",\"name\":\"Cam sành Hàm Yên\"},\"note\":\"" + new string('x', 44) + "\"}");

    private readonly Process process;
    public Uri BaseAddress { get; }

    private TrivialServer(Process process, Uri baseAddress) => (this.process, BaseAddress) = (process, baseAddress);

    public static int BodyLength => Body.Length;

    /// <summary>Starts this program again as the trivial server and waits for the address it prints.</summary>
    public static async Task<TrivialServer> StartAsync()
    {
        var info = new ProcessStartInfo("dotnet", [typeof(TrivialServer).Assembly.Location, ServeArgument])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var address = await process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException("The trivial server exited at start.");
        return new TrivialServer(process, new Uri(address));
    }

    /// <summary>The child's side: serves until its standard input closes (the parent ended).</summary>
    public static async Task ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/trivial", (HttpContext c) =>
        {
            c.Response.ContentType = "application/json";
            c.Response.ContentLength = Body.Length;
            return c.Response.Body.WriteAsync(Body).AsTask();
        });
        await app.StartAsync();
        Console.WriteLine(app.Urls.First());
        await Console.In.ReadToEndAsync();
    }

    /// <summary>The server process's CPU time so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
