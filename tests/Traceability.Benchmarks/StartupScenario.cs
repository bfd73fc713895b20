namespace Traceability.Benchmarks;

/// <summary>
/// Issue 22 point 5: from starting the host's process to its first answered lookup (what a province
/// waits for after a restart or an update), on an empty store (a lookup of an unknown lot: the
/// 404 is the answer) and on a loaded one (1,000,000 events; quick: 50,000), restarted on the same
/// data. Median of three starts each. The limit: the same measure for a Kestrel process that
/// answers a fixed JSON (the benchmark program started as the trivial server).
/// </summary>
internal static class StartupScenario
{
    private const int Starts = 3;

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var lots = context.Quick ? 5_000 : 100_000;
        var trivial = await MedianAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            await using var server = await TrivialServer.StartAsync();
            using var client = new HttpClient();
            await FirstAnswerAsync(client, new Uri(server.BaseAddress, "/trivial"), HttpStatusCode.OK);
            return clock.Elapsed.TotalMilliseconds;
        });
        Console.WriteLine($"   trivial server: {trivial:N0} ms");

        var empty = await MedianAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            using var host = await HostProcess.StartAsync(context.Provider);
            using var client = host.Client(null);
            await FirstAnswerAsync(client, new Uri(host.BaseAddress, "/01/08938888000015/10/L0"), HttpStatusCode.NotFound);
            return clock.Elapsed.TotalMilliseconds;
        });
        Console.WriteLine($"   empty store: {empty:N0} ms");

        var host = await HostProcess.StartAsync(context.Provider, dataRoot: HostProcess.MemoryBackedRoot);
        try
        {
            var gtin = await LookupScenario.LoadAsync(host, lots);
            var loaded = await MedianAsync(async () =>
            {
                var clock = Stopwatch.StartNew();
                var restarted = await host.RestartAsync(new Dictionary<string, string>()); // kills the running one, then starts on its data
                host.Dispose();
                host = restarted;
                using var client = host.Client(null);
                await FirstAnswerAsync(client, new Uri(host.BaseAddress, $"/01/{gtin}/10/L{lots / 2}"), HttpStatusCode.OK);
                return clock.Elapsed.TotalMilliseconds;
            });
            Console.WriteLine($"   loaded store: {loaded:N0} ms");
            var events = lots * LookupScenario.EventsPerLot;
            const string limitName = "a Kestrel process answering a fixed JSON, start to first answer";
            return
            [
                new Row("startup", $"process start to the first answered lookup, empty store (median of {Starts}), {context.Provider}",
                    empty, "ms", limitName, trivial, "report"),
                new Row("startup", $"process start to the first answered lookup, {events:N0}-event store (median of {Starts} restarts), {context.Provider}",
                    loaded, "ms", limitName, trivial, "report"),
            ];
        }
        finally
        {
            host.Dispose();
        }
    }

    private static async Task<double> MedianAsync(Func<Task<double>> measure)
    {
        var times = new List<double>();
        for (var i = 0; i < Starts; i++) times.Add(await measure());
        return times.Order().ElementAt(Starts / 2);
    }

    /// <summary>Asks until the answer is <paramref name="expected"/>: the host answers /health before every module is warm.</summary>
    private static async Task FirstAnswerAsync(HttpClient client, Uri uri, HttpStatusCode expected)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(120); await Task.Delay(10))
        {
            try
            {
                using var response = await client.SendAsync(LookupScenario.Get(uri, "application/json"));
                if (response.StatusCode == expected) return;
            }
            catch (HttpRequestException) { }
        }
        throw new TimeoutException($"{uri} did not answer {(int)expected} within 120 s.");
    }
}
