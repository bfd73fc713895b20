using Microsoft.Playwright;

namespace Traceability.Testing;

/// <summary>
/// Debian's chromium (<c>apt-get install chromium</c>) driven by Playwright; never a downloaded
/// browser. Linked into the browser test projects (tests/Shared).
/// </summary>
public static class DebianChromium
{
    public const string Path = "/usr/bin/chromium";

    public const string Missing = $"chromium is not installed at {Path}: install Debian's chromium (apt-get install -y chromium) to run the browser tests.";

    public static bool Installed => File.Exists(Path);

    /// <summary>Headless, without the sandbox (tests run as root) or anything that calls out to the internet.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", .. extraArgs],
        });
}

/// <summary>
/// Playwright and one Debian chromium shared by the tests of a class: started in its InitializeAsync,
/// closed in its DisposeAsync. <see cref="Browser"/> is null when chromium is not installed (the tests skip).
/// </summary>
public sealed class ChromiumForTests : IAsyncDisposable
{
    private ChromiumForTests(IPlaywright? playwright, IBrowser? browser) => (Playwright, Browser) = (playwright, browser);

    /// <summary>For a test that launches a browser of its own (other flags).</summary>
    public IPlaywright? Playwright { get; }

    public IBrowser? Browser { get; }

    public static async Task<ChromiumForTests> StartAsync()
    {
        if (!DebianChromium.Installed) return new(null, null);
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        return new(playwright, await DebianChromium.LaunchAsync(playwright));
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
    }
}
