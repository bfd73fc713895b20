using Traceability.Benchmarks;

// Usage: dotnet run -c Release --project tests/Traceability.Benchmarks -- [scenario …] [--provider Sqlite|Mongo] [--quick] [--seeds 1,2,3,4,5] [--weeks 6] [--threshold 4]
// Scenarios: capture, capture-erp, lookup (also page, verify, memory), verify, memory (load only), memory-gc, startup, sync, sync-sustained, sync-catchup, qr, qr-bomb, statistics, early-warning-cost, early-warning-eval (--seeds, --weeks, --threshold); default: see Scenarios.Default. Results are printed as a Markdown table and written to BenchmarkResults/results.md.
if (args is [TrivialServer.ServeArgument])
{
    await TrivialServer.ServeAsync(); // the lookup scenario's limit, in a process of its own
    return 0;
}
if (args is [DirectCaller.Argument, var portal, var lotCount, var stack])
{
    await DirectCaller.RunAsync(new Uri(portal), int.Parse(lotCount), Enum.Parse<DirectCaller.Stack>(stack)); // the sync scenario's limit, in a process of its own
    return 0;
}

var scenarios = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(a)).ToList();
var provider = Option("--provider") ?? "Sqlite";
var quick = args.Contains("--quick");
if (scenarios.Count == 0) scenarios = [.. Scenarios.Default];

var total = Stopwatch.StartNew();
var rows = new List<Row>();
var notes = new List<string>();
foreach (var name in scenarios)
{
    if (!Scenarios.All.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"Unknown scenario '{name}'. Known: {string.Join(", ", Scenarios.All.Keys)}");
        return 2;
    }
    Console.WriteLine($"== {name} ({provider}{(quick ? ", quick" : "")})");
    var clock = Stopwatch.StartNew();
    var context = new ScenarioContext(provider, quick) { Seeds = Option("--seeds"), Weeks = Option("--weeks"), Threshold = Option("--threshold") };
    rows.AddRange(await run(context));
    notes.AddRange(context.Notes);
    Console.WriteLine($"   done in {clock.Elapsed.TotalSeconds:F0} s");
}

var table = Row.Markdown(rows, "dotnet run -c Release --project tests/Traceability.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""),
    Environment.ProcessorCount, total.Elapsed, notes);
Console.WriteLine();
Console.WriteLine(table);
Directory.CreateDirectory("BenchmarkResults");
await File.WriteAllTextAsync("BenchmarkResults/results.md", table);
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
bool IsOptionValue(string a) => Array.IndexOf(args, a) is var i and > 0 && args[i - 1] is "--provider" or "--seeds" or "--weeks" or "--threshold";
