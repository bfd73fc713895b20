using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.HtmlRendering;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Traceability.Lookup.Api.Pages;

/// <summary>
/// Renders a page component to HTML once; the resolver keeps the bytes with the cached projection
/// and serves them until the lot changes, so a component is never rendered per request on that path.
/// The renderer has its own few services (the texts, the encoder), so the bytes — and the ETag over
/// them — are the same in every host and in tests that render a page without one.
/// </summary>
internal static class PageRenderer
{
    private static readonly CultureInfo Vietnamese = new("vi");
    private static readonly CultureInfo English = new("en");
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    /// <summary>A thread's output buffer is dropped rather than kept once a page made it larger than this.</summary>
    private const int KeptBufferBytes = 256 * 1024;

    private static readonly ServiceProvider Services = new ServiceCollection()
        // One localizer for every component of every page, each language's texts read once (CachedTexts): it
        // reads the culture at each lookup, so it can be shared, and a text costs a dictionary read.
        .AddSingleton<IStringLocalizer<LookupTexts>>(new CachedTexts())
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        // Vietnamese letters as themselves, not as &#x…; entities (a third of the bytes); markup characters are still encoded.
        .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All))
        .BuildServiceProvider();

    // The page written straight into UTF-8 bytes, through a buffer each thread keeps: ToHtmlString's
    // StringWriter grew a StringBuilder chunk by chunk, then the string was copied into bytes — about half
    // of what a render allocated (issue 22).
    [ThreadStatic] private static Utf8Output? t_output;

    /// <summary>The page's language while it renders: "en" or "vi".</summary>
    public static string Lang => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "vi";

    public static bool IsEnglish => Lang == "en";

    /// <summary>The page's UTF-8 bytes: the same as <c>Encoding.UTF8.GetBytes(Render(…))</c>, without the string.</summary>
    public static byte[] RenderBytes<TPage>(string lang, IDictionary<string, object?> parameters) where TPage : IComponent
    {
        var output = t_output ?? new Utf8Output();
        t_output = null; // a render that fails half-way leaves its buffer to the GC, never half-written to the next
        output.Stream.SetLength(0);
        Render<TPage, bool>(lang, parameters, page =>
        {
            page.WriteHtmlTo(output.Writer);
            return true;
        });
        output.Writer.Flush();
        var bytes = output.Stream.ToArray();
        if (output.Stream.Capacity <= KeptBufferBytes) t_output = output;
        return bytes;
    }

    /// <summary>The page in <paramref name="lang"/> as a string (tests, and pages not kept in the cache).</summary>
    public static string Render<TPage>(string lang, IDictionary<string, object?> parameters) where TPage : IComponent =>
        Render<TPage, string>(lang, parameters, page => page.ToHtmlString());

    /// <summary>
    /// The page in <paramref name="lang"/>. The pages do no asynchronous work, so a renderer of its own
    /// (nobody else on its dispatcher) finishes them on the calling thread: the cache's render callback
    /// stays synchronous and no request thread waits on another.
    /// </summary>
    private static T Render<TPage, T>(string lang, IDictionary<string, object?> parameters, Func<HtmlRootComponent, T> write) where TPage : IComponent
    {
        using var renderer = new HtmlRenderer(Services, NullLoggerFactory.Instance);
        var rendering = renderer.Dispatcher.InvokeAsync(() =>
        {
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = lang == "en" ? English : Vietnamese;
            try
            {
                return write(renderer.BeginRenderingComponent<TPage>(ParameterView.FromDictionary(parameters)));
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        });
        return rendering.IsCompletedSuccessfully ? rendering.Result : rendering.GetAwaiter().GetResult();
    }

    private sealed class Utf8Output
    {
        public MemoryStream Stream { get; } = new(16 * 1024);

        public StreamWriter Writer { get; }

        public Utf8Output() => Writer = new StreamWriter(Stream, Utf8, bufferSize: 4096, leaveOpen: true);
    }
}
