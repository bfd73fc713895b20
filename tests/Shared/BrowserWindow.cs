using Microsoft.Playwright;

namespace Traceability.Testing;

/// <summary>
/// One Debian chromium window on the app, opened as the browser tests need it: timeouts for a loaded
/// 2-core machine, and the page's CSP violations recorded in <c>window.__csp</c> beside the CSP
/// messages of its console (<see cref="CspMessages"/>). Disposing it closes the browser, and the
/// Playwright driver too when it started its own. Linked into the browser test projects (tests/Shared).
/// </summary>
public sealed class BrowserWindow : IAsyncDisposable
{
    /// <summary>Collects each violation with where it came from, so a failure names the file and line (init scripts run outside the page's CSP).</summary>
    public const string RecordViolations =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));";

    private readonly IBrowser browser;
    private readonly IPlaywright? ownPlaywright;

    private BrowserWindow(IBrowser browser, IPlaywright? ownPlaywright, IPage page)
    {
        this.browser = browser;
        this.ownPlaywright = ownPlaywright;
        Page = page;
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) CspMessages.Add($"{page.Url}: {m.Text}");
        };
    }

    public IPage Page { get; }

    public List<string> CspMessages { get; } = [];

    /// <summary>A phone as producers and shoppers in the field hold one: 360×740, touch, Vietnamese.</summary>
    public static BrowserNewContextOptions Phone() => new()
    {
        ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, Locale = "vi-VN",
        ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = "vi-VN,vi;q=0.9" },
    };

    /// <summary>A window of <paramref name="width"/>×<paramref name="height"/> CSS pixels.</summary>
    public static BrowserNewContextOptions Sized(int width, int height) => new() { ViewportSize = new() { Width = width, Height = height } };

    /// <summary>Opens a window at <paramref name="baseUrl"/>; with <paramref name="playwright"/> null it starts (and later stops) a driver of its own.</summary>
    public static async Task<BrowserWindow> OpenAsync(string baseUrl, BrowserNewContextOptions options, IPlaywright? playwright = null)
    {
        var own = playwright is null ? await Playwright.CreateAsync() : null;
        var browser = await DebianChromium.LaunchAsync(playwright ?? own!);
        options.BaseURL = baseUrl;
        var context = await browser.NewContextAsync(options);
        // Playwright's defaults (30 s for a navigation, 5 s for an expectation) are too short on a loaded 2-core machine.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        await context.AddInitScriptAsync(RecordViolations);
        return new BrowserWindow(browser, own, await context.NewPageAsync());
    }

    /// <summary>The CSP violations the page has reported so far (they arrive asynchronously: wait a moment first).</summary>
    public Task<string[]> ViolationsAsync() => Page.EvaluateAsync<string[]>("window.__csp || []");

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        ownPlaywright?.Dispose();
    }
}
