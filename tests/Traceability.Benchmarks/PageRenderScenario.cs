using Traceability.Benchmarks.OldPage;
using Traceability.Lookup.Api.Pages;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 22 point 1: what one rendering of the provenance page costs, in this process on one thread (no host,
/// no HTTP): the sample lot (<see cref="SampleLot"/>, the demo's orange lot with every section) through
/// <see cref="ProvenancePage.Render"/>, as the resolver renders a page the first time it is asked for (then
/// the bytes are cached: <see cref="ProvenancePage.RenderBytes"/>), alternating the two languages. The limit: the hand-written writer the Razor
/// components replaced (a frozen copy, OldPage/), the same lot, measured the same way in the same run.
/// Each is timed in 20 batches and the median batch reported (a batch that another process interrupted
/// does not move it); bytes allocated are this thread's. The process's first render of each (JIT, the
/// texts' first read) is reported apart.
/// </summary>
internal static class PageRenderScenario
{
    private const int Batches = 20;

    public static Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var renders = context.Quick ? 4_000 : 40_000;
        var view = SampleLot.View;
        // Bytes, as the resolver caches a page: the components write UTF-8 directly; the old writer's string was encoded.
        var components = Measure("Razor components", lang => ProvenancePage.RenderBytes(view, lang), renders);
        var old = Measure("the old writer", lang => Encoding.UTF8.GetBytes(OldProvenancePage.Render(view, lang)), renders);
        const string limitName = "the hand-written writer they replaced (OldPage/, same lot, same run)";
        IReadOnlyList<Row> rows =
        [
            new Row("page-render", $"one render of the sample lot's page ({components.Bytes:N0} B of HTML), one thread, median of {Batches} batches of {renders / Batches:N0} (vi and en)",
                components.Micros, "µs", limitName, old.Micros, "≤ 150 % (issue 22)"),
            new Row("page-render", "bytes allocated per render", components.Allocated, "B", limitName, old.Allocated, "report"),
            new Row("page-render", "the process's first render (JIT, texts read)", components.First, "µs", limitName, old.First, "report"),
        ];
        return Task.FromResult(rows);
    }

    private static (double Micros, double Allocated, double First, int Bytes) Measure(string name, Func<string, byte[]> render, int renders)
    {
        var first = Stopwatch.StartNew();
        var bytes = render("vi").Length;
        first.Stop();
        for (var i = 0; i < renders / 4; i++) render(i % 2 == 0 ? "vi" : "en"); // tiered JIT settles

        var batches = new List<double>();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var b = 0; b < Batches; b++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < renders / Batches; i++) render(i % 2 == 0 ? "vi" : "en");
            batches.Add(clock.Elapsed.TotalMicroseconds / (renders / Batches));
        }
        var perRender = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)(renders / Batches * Batches);
        batches.Sort();
        Console.WriteLine($"   {name}: first render {first.Elapsed.TotalMilliseconds:N1} ms; median {batches[Batches / 2]:N1} µs (best batch {batches[0]:N1}), {perRender:N0} B allocated per render, {bytes:N0} B of HTML");
        return (batches[Batches / 2], perRender, first.Elapsed.TotalMicroseconds, bytes);
    }
}
