namespace Traceability.Benchmarks;

/// <summary>Closed-loop load: N workers, each sends its next request when the last one answered.</summary>
internal static class LoadTool
{
    /// <summary>
    /// A pass's figures. <paramref name="CpuMicrosPerRequest"/>: the server's CPU time per request, when the
    /// pass was timed with <see cref="WithCpuAsync"/>; on a shared machine it moves far less than the rate.
    /// </summary>
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, int Requests)
    {
        public double CpuMicrosPerRequest { get; init; }
    }

    /// <summary>Runs a pass and adds the server's CPU time per request (<paramref name="cpu"/>: the server process's CPU time so far).</summary>
    public static async Task<Result> WithCpuAsync(Func<TimeSpan> cpu, Func<Task<Result>> pass)
    {
        var before = cpu();
        var result = await pass();
        return result with { CpuMicrosPerRequest = result.Requests == 0 ? 0 : (cpu() - before).TotalMicroseconds / result.Requests };
    }

    public static Task<Result> RunAsync(HttpClient client, int connections, TimeSpan duration,
        Func<int, HttpRequestMessage> request, Func<HttpResponseMessage, bool> ok)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return MeasureAsync(client, connections, (worker, sent) => Stopwatch.GetTimestamp() < stopAt ? worker + sent * connections : -1, request, ok);
    }

    /// <summary>Requests 0…count-1 once each, on N workers (the first lookup of every lot), with their latencies.</summary>
    public static Task<Result> EachOnceAsync(HttpClient client, int connections, int count,
        Func<int, HttpRequestMessage> request, Func<HttpResponseMessage, bool> ok)
    {
        var next = -1;
        return MeasureAsync(client, connections, (_, _) => Interlocked.Increment(ref next) is var i && i < count ? i : -1, request, ok);
    }

    /// <summary>N workers; each asks <paramref name="next"/> (its index, how many it sent) for its next request's number, -1 to stop.</summary>
    private static async Task<Result> MeasureAsync(HttpClient client, int connections, Func<int, int, int> next,
        Func<int, HttpRequestMessage> request, Func<HttpResponseMessage, bool> ok)
    {
        var latencies = new List<long>[connections];
        long errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async w =>
        {
            var mine = latencies[w] = new List<long>(200_000);
            int n;
            while ((n = next(w, mine.Count)) >= 0)
            {
                using var message = request(n);
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
        return new Result(all.Length / clock.Elapsed.TotalSeconds, Ms(0.50), Ms(0.99), errors, all.Length);
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
