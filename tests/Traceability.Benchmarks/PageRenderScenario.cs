using System.Diagnostics;
using System.Text;
using Traceability.Lookup.Api.Pages;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 22: what one rendering of the provenance page costs, in this process on one thread (no host, no
/// HTTP): the demo lot (<see cref="SampleLot"/>) through <see cref="ProvenancePage.Render"/> as the
/// resolver renders a page the first time it is asked for (then the bytes are cached). The first render
/// of the process is reported apart (JIT, the texts' first read); then µs and bytes allocated per
/// render over N renders, alternating the two languages. No limit measured beside it: the target is the
/// hand-written writer the components replaced (0.5–0.6 ms a render on the 2-core VM, session 9), × 1.5.
/// </summary>
internal static class PageRenderScenario
{
    public static Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var renders = context.Quick ? 2_000 : 20_000;
        var first = Stopwatch.StartNew();
        var bytes = Encoding.UTF8.GetByteCount(ProvenancePage.Render(SampleLot.View, "vi"));
        first.Stop();
        for (var i = 0; i < renders / 10; i++) ProvenancePage.Render(SampleLot.View, i % 2 == 0 ? "vi" : "en"); // tiered JIT settles

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < renders; i++) ProvenancePage.Render(SampleLot.View, i % 2 == 0 ? "vi" : "en");
        clock.Stop();
        var perRender = clock.Elapsed.TotalMicroseconds / renders;
        var cpuPerRender = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / renders;
        var bytesPerRender = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)renders;
        Console.WriteLine($"   first render {first.Elapsed.TotalMilliseconds:N1} ms; {perRender:N0} µs and {bytesPerRender:N0} B allocated per render ({bytes:N0} B of HTML)");
        const string target = "≤ 1.5 × the old writer (≈ 900 µs)";
        IReadOnlyList<Row> rows =
        [
            new Row("page-render", "the process's first render of the demo lot's page (JIT, texts read)", first.Elapsed.TotalMicroseconds, "µs",
                "a render once warm", perRender, "report"),
            new Row("page-render", $"one render of the demo lot's page ({bytes:N0} B of HTML), one thread, wall clock, mean of {renders:N0} (vi and en)",
                perRender, "µs", "the old hand-written writer's, session 9 (not measured here)", 550, target),
            new Row("page-render", "the same, CPU time of the process per render (the GC's threads included)", cpuPerRender, "µs",
                "wall clock per render", perRender, "report"),
            new Row("page-render", "bytes allocated per render", bytesPerRender, "B", "bytes of HTML (UTF-16 string: × 2)", bytes * 2, "report"),
        ];
        return Task.FromResult(rows);
    }
}
