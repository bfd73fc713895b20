using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Authority.Api;
using Traceability.Authority.Api.EarlyWarning;
using Traceability.Storage;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 19: what the early-warning engine's live path costs. The engine (the same code the host
/// runs, over a SQLite store in a temporary directory, in this process) observes 1,000,000 consumer
/// scans (quick: 100,000) in the scan log writer's batches of 500: 200 products × 5 lots, 34 provinces,
/// spread over 29 days so that the last days are scored against a real history; 2 % of the scans
/// name a serial (the clone rule reads that serial's scans), 1 % are unknown codes. The figure is the
/// process CPU spent inside the engine per scan; beside it, the CPU the scan log writer already spends
/// storing the same scans (<see cref="IScanStore.AddScansAsync"/>).
/// </summary>
internal static class EarlyWarningCostScenario
{
    private const int BatchSize = 500;

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var total = context.Quick ? 100_000 : 1_000_000;
        var directory = Directory.CreateTempSubdirectory("ew-bench-");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = directory.FullName,
            }).Build();
            var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddLogging()
                .AddMetrics()
                .AddSingleton(TimeProvider.System)
                .AddSingleton<AuthorityTelemetry>();
            services.AddSqliteTraceStore();
            services.AddEarlyWarning();
            await using var provider = services.BuildServiceProvider();
            var catalog = provider.GetRequiredService<ICatalogStore>();
            var scans = provider.GetRequiredService<IScanStore>();
            var engine = provider.GetRequiredService<EarlyWarningEngine>();

            var now = DateTimeOffset.UtcNow;
            await provider.GetRequiredService<IAccountStore>().AddProducerAsync(
                new Producer("p-bench", "HTX Đo đạc", "0100000019", "Xã Phù Lưu", "Tuyên Quang", null, ["8936000"], now),
                new ApiKeyRecord("k-bench", new byte[16], new byte[32], Role.Producer, "p-bench", null, now));
            var gtins = Enumerable.Range(1, 200).Select(i => $"0893600{i:D6}0").Select(g => g[..13] + Check(g[..13])).ToArray();
            foreach (var gtin in gtins)
            {
                await catalog.AddProductAsync(new Product(gtin, "p-bench", new LocalizedText("Sản phẩm"), null, null, null, null, [], null, now, now),
                    new OutboxMessage(OutboxKind.Product, gtin, null, null, null));
                for (var l = 0; l < 5; l++)
                    await catalog.AddLotAsync(new Lot(gtin, $"L{l}", "p-bench", null, DateOnly.FromDateTime(now.UtcDateTime).AddDays(365), 1000, "hộp", null, now),
                        new OutboxMessage(OutboxKind.Lot, LotKey.Of(gtin, $"L{l}"), OutboxKind.Product, gtin, null));
            }
            var provinces = Traceability.Domain.ProvinceMap.Current;
            var random = new Random(19);
            var start = now.AddDays(-29);
            var step = TimeSpan.FromTicks((now - start).Ticks / total);
            TimeSpan engineCpu = TimeSpan.Zero, storeCpu = TimeSpan.Zero;
            var wall = Stopwatch.StartNew();
            var process = Process.GetCurrentProcess();
            for (var done = 0; done < total; done += BatchSize)
            {
                var batch = new ScanRecord[Math.Min(BatchSize, total - done)];
                for (var i = 0; i < batch.Length; i++)
                {
                    var gtin = gtins[random.Next(gtins.Length)];
                    var roll = random.Next(100);
                    var key = roll == 0 ? LotKey.Of(gtin, $"FAKE-{random.Next(1000)}") : LotKey.Of(gtin, $"L{random.Next(5)}");
                    batch[i] = new ScanRecord(start + step * (done + i), key, roll is >= 1 and <= 2 ? $"S{random.Next(5000)}" : null,
                        provinces[random.Next(provinces.Count)], "mobile", $"c{random.Next(200_000)}", Unknown: roll == 0);
                }
                process.Refresh();
                var before = process.TotalProcessorTime;
                await scans.AddScansAsync(batch);
                process.Refresh();
                var stored = process.TotalProcessorTime;
                await engine.ObserveAsync(batch, CancellationToken.None);
                process.Refresh();
                storeCpu += stored - before;
                engineCpu += process.TotalProcessorTime - stored;
                if ((done / BatchSize) % 200 == 0) Console.WriteLine($"   {done:N0} scans, {wall.Elapsed.TotalSeconds:F0} s");
            }
            var (_, alerts) = await provider.GetRequiredService<IEarlyWarningStore>().ListEarlyAlertsAsync(new EarlyAlertQuery(Limit: 1));
            Console.WriteLine($"   {total:N0} scans in {wall.Elapsed.TotalSeconds:F0} s; {alerts} alerts on this uniform traffic (its unknown codes spread over 200 products and 34 provinces)");
            var perScanUs = engineCpu.TotalMicroseconds / total;
            return
            [
                new("early-warning", $"live path CPU per scan ({total:N0} scans, batches of {BatchSize})", perScanUs, "µs",
                    "scan log write, CPU per scan", storeCpu.TotalMicroseconds / total, "< 50 µs (issue 19)"),
                new("early-warning", "scans per second the engine keeps up with (one core)", 1_000_000 / Math.Max(perScanUs, 0.001), "scans/s",
                    "target", 500, "≥ 500 scans/s (issue 19)"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static char Check(string first13)
    {
        var sum = 0;
        for (var i = 0; i < 13; i++) sum += (first13[12 - i] - '0') * (i % 2 == 0 ? 3 : 1);
        return (char)('0' + (10 - sum % 10) % 10);
    }
}
