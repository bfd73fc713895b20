using System.Diagnostics;

namespace Traceability.Benchmarks;

/// <summary>Closed-loop load: N workers, each sends its next request when the last one answered.</summary>
internal static class LoadTool
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

    public static async Task<Result> RunAsync(HttpClient client, int connections, TimeSpan duration,
        Func<int, HttpRequestMessage> request, Func<HttpResponseMessage, bool> ok)
    {
        var latencies = new List<long>[connections];
        long errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async w =>
        {
            var mine = latencies[w] = new List<long>(200_000);
            var n = w;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                using var message = request(n);
                n += connections;
                var start = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                await response.Content.LoadIntoBufferAsync();
                mine.Add(Stopwatch.GetTimestamp() - start);
                if (!ok(response)) Interlocked.Increment(ref errors);
            }
        }));
        clock.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new Result(all.Length / clock.Elapsed.TotalSeconds, Ms(0.50), Ms(0.99), errors);
    }

    /// <summary>Runs <paramref name="work"/> for items 0..count-1 on <paramref name="concurrency"/> workers.</summary>
    public static Task ForEachAsync(int count, int concurrency, Func<int, Task> work)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await work(i);
        }));
    }
}
