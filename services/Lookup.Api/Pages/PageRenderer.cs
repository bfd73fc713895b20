using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
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

    private static readonly ServiceProvider Services = new ServiceCollection()
        // One localizer for every component of every page, each language's texts read once (CachedTexts): it
        // reads the culture at each lookup, so it can be shared, and a text costs a dictionary read.
        .AddSingleton<IStringLocalizer<LookupTexts>>(new CachedTexts())
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        // Vietnamese letters as themselves, not as &#x…; entities (a third of the bytes); markup characters are still encoded.
        .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All))
        .BuildServiceProvider();

    /// <summary>The page's language while it renders: "en" or "vi".</summary>
    public static string Lang => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "vi";

    public static bool IsEnglish => Lang == "en";

    public static byte[] RenderBytes<TPage>(string lang, IDictionary<string, object?> parameters) where TPage : IComponent =>
        Encoding.UTF8.GetBytes(Render<TPage>(lang, parameters));

    /// <summary>
    /// The page in <paramref name="lang"/>. The pages do no asynchronous work, so a renderer of its own
    /// (nobody else on its dispatcher) finishes them on the calling thread: the cache's render callback
    /// stays synchronous and no request thread waits on another.
    /// </summary>
    public static string Render<TPage>(string lang, IDictionary<string, object?> parameters) where TPage : IComponent
    {
        using var renderer = new HtmlRenderer(Services, NullLoggerFactory.Instance);
        var rendering = renderer.Dispatcher.InvokeAsync(() =>
        {
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = lang == "en" ? English : Vietnamese;
            try
            {
                return renderer.BeginRenderingComponent<TPage>(ParameterView.FromDictionary(parameters)).ToHtmlString();
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        });
        return rendering.IsCompletedSuccessfully ? rendering.Result : rendering.GetAwaiter().GetResult();
    }
}
