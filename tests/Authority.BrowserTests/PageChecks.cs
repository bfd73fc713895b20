using Microsoft.Playwright;

namespace Traceability.Authority.BrowserTests;

/// <summary>
/// What every workspace browser test checks on every page: no CSP violation (reported to the page or
/// the console), no inline style, handler or script, and nothing that scrolls sideways on a phone.
/// </summary>
internal sealed class PageChecks
{
    // Records every CSP violation the page reports; init scripts run outside the page's CSP.
    private const string RecordViolations =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));";

    private const string InlineMarkup =
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name === 'style' || a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))" +
        ".concat([...document.querySelectorAll('script, style')].map(e => e.tagName))";

    private readonly List<string> console = [];
    private readonly int width;

    private PageChecks(IPage page, int width)
    {
        Page = page;
        this.width = width;
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) console.Add($"{page.Url}: {m.Text}");
        };
    }

    public IPage Page { get; }

    /// <summary>A page of a new context at <paramref name="width"/>×<paramref name="height"/>, recording CSP violations.</summary>
    public static async Task<PageChecks> OpenAsync(IBrowser browser, string baseUrl, int width, int height, string? locale = null)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, Locale = locale, ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        await context.AddInitScriptAsync(RecordViolations);
        return new PageChecks(await context.NewPageAsync(), width);
    }

    public async Task AssertCleanAsync()
    {
        await Page.WaitForTimeoutAsync(100);
        var violations = await Page.EvaluateAsync<string[]>("window.__csp || []");
        var inline = await Page.EvaluateAsync<string[]>(InlineMarkup);
        Assert.True(violations.Length == 0 && console.Count == 0 && inline.Length == 0,
            $"{Page.Url}: CSP violations [{string.Join("; ", violations)}] console [{string.Join("; ", console)}] inline [{string.Join("; ", inline)}]");
        // The page fits the screen: nothing scrolls sideways (phones).
        var overflow = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{Page.Url} at {width}px scrolls sideways by {overflow}px");
    }
}
