using Deque.AxeCore.Playwright;

namespace Traceability.Authority.BrowserTests;

/// <summary>
/// A page of Debian's chromium on the live host at a given window size, recording every CSP
/// violation (an init script, outside the page's CSP) and every CSP message on the console, and the
/// checks every workspace page must pass (<see cref="AssertCleanAsync"/>).
/// </summary>
public sealed class WorkspaceBrowser : IAsyncDisposable
{
    private const string RecordViolations =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));";

    private const string InlineMarkup =
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name === 'style' || a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))" +
        ".concat([...document.querySelectorAll('script, style')].map(e => e.tagName))";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;
    private readonly List<string> console = [];
    private readonly int width;

    private WorkspaceBrowser(IPlaywright playwright, IBrowser browser, IPage page, int width)
    {
        this.playwright = playwright;
        this.browser = browser;
        Page = page;
        this.width = width;
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) console.Add($"{page.Url}: {m.Text}");
        };
    }

    public IPage Page { get; }

    /// <param name="locale">The browser's language (Accept-Language), e.g. vi-VN; the default is the machine's.</param>
    public static async Task<WorkspaceBrowser> OpenAsync(string baseUrl, int width, int height, string? locale = null)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await DebianChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, Locale = locale, ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        await context.AddInitScriptAsync(RecordViolations);
        return new WorkspaceBrowser(playwright, browser, await context.NewPageAsync(), width);
    }

    /// <summary>
    /// No CSP violation, no inline style or script, nothing scrolling sideways (phones), and — with
    /// <paramref name="axe"/> — no serious or critical axe-core finding.
    /// </summary>
    public async Task AssertCleanAsync(bool axe = false)
    {
        await Page.WaitForTimeoutAsync(100);
        var violations = await Page.EvaluateAsync<string[]>("window.__csp || []");
        var inline = await Page.EvaluateAsync<string[]>(InlineMarkup);
        Assert.True(violations.Length == 0 && console.Count == 0 && inline.Length == 0,
            $"{Page.Url}: CSP violations [{string.Join("; ", violations)}] console [{string.Join("; ", console)}] inline [{string.Join("; ", inline)}]");
        var overflow = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{Page.Url} at {width}px scrolls sideways by {overflow}px");
        if (!axe) return;
        var result = await Page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html).Take(3))}").ToList();
        Assert.True(serious.Count == 0, $"axe-core on {Page.Url} at {width}px:\n" + string.Join("\n", serious));
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
