using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Traceability.Lookup.Api.Provenance;
using Traceability.Lookup.Tests.Infrastructure;
using Traceability.Storage;
using Traceability.Testing;
using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.BrowserTests;

/// <summary>
/// The consumer's view in Debian's chromium (/usr/bin/chromium driven by Playwright; never a browser
/// downloaded by `playwright install`), on a 360×640 phone
/// viewport, against the lookup served on 127.0.0.1:0.
/// </summary>
public sealed class ProvenancePageBrowserTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<IFormCollection> _reports = new();
    private LookupHost _host = null!;
    private ChromiumForTests? _chromium;

    public async ValueTask InitializeAsync()
    {
        _host = await LookupHost.StartAsync(b =>
        {
            b.Services.AddSingleton<ILotStatusSource>(new RecallSource(LotKey.Of(OrangeGtin, RecalledLot)));
            // Stands in for the reports feature (a later issue): records what the form posts.
            b.Services.AddSingleton<Action<WebApplication>>(app => app.MapPost("/api/v1/reports", async (HttpRequest r) =>
            {
                _reports.Enqueue(await r.ReadFormAsync());
                return Results.Content("<!DOCTYPE html><html lang=\"vi\"><body><h1>Cảm ơn</h1></body></html>", "text/html", statusCode: 202);
            }).DisableAntiforgery());
        });
        await SeedAsync(_host.Stores);
        _chromium = await ChromiumForTests.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task<IPage> PhoneAsync(string? locale = "vi-VN")
    {
        Assert.SkipWhen(_chromium?.Browser is null, DebianChromium.Missing);
        var context = await _chromium!.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 640 },
            Locale = locale,
            IsMobile = true,
        });
        return await context.NewPageAsync();
    }

    private string Url(string path) => _host.BaseUrl.TrimEnd('/') + path;

    [Fact]
    public async Task Recalled_lot_shows_the_red_banner_above_the_fold_in_vietnamese()
    {
        var page = await PhoneAsync();
        var response = await page.GotoAsync(Url(Path(OrangeGtin, RecalledLot)));

        Assert.Equal(200, response!.Status);
        var banner = page.Locator("[role=alert]");
        Assert.True(await banner.IsVisibleAsync());
        Assert.Contains("ĐÃ BỊ THU HỒI", await banner.InnerTextAsync());
        var box = await banner.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Y >= 0 && box.Y + box.Height <= 640, $"banner at {box.Y}+{box.Height}");
        Assert.True(box.Width >= 359, $"banner width {box.Width}");
        Assert.Equal("rgb(176, 0, 32)", await banner.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("vi", await page.GetAttributeAsync("html", "lang"));
    }

    [Fact]
    public async Task Lang_en_switches_the_page_to_english()
    {
        var page = await PhoneAsync();
        await page.GotoAsync(Url(Path(OrangeGtin, OrangeLot)));
        await page.ClickAsync("header a[hreflang=en]");

        Assert.EndsWith("?lang=en", page.Url);
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Ham Yen king orange", await page.InnerTextAsync("h1"));
        Assert.Contains("Product journey", await page.ContentAsync());
    }

    [Fact]
    public async Task Unknown_code_shows_the_not_registered_page_and_the_report_form_submits()
    {
        var page = await PhoneAsync();
        var response = await page.GotoAsync(Url(Path(OrangeGtin, "GIA-MAO")));

        Assert.Equal(404, response!.Status);
        Assert.Contains("chưa được đăng ký", await page.InnerTextAsync("h1"));
        // Issue 21 (10): the page fits the 360 px screen, though it prints the whole scanned code (447 px before).
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the not-registered page is {width} px wide on a 360 px phone");
        await page.FillAsync("#r-msg", "Mua ở chợ, tem mờ");
        await page.FillAsync("#r-contact", "0912345678");
        await page.ClickAsync("form button[type=submit]");
        // Polled, not WaitForURLAsync, which can miss the load event it waits for (microsoft/playwright-dotnet#3364).
        await Assertions.Expect(page).ToHaveURLAsync(Url("/api/v1/reports"), new() { Timeout = 60_000 });

        var form = Assert.Single(_reports);
        Assert.Equal(Url(Path(OrangeGtin, "GIA-MAO")), form["code"].ToString());
        Assert.Equal("counterfeit", form["category"].ToString());
        Assert.Equal("Mua ở chợ, tem mờ", form["message"].ToString());
        Assert.Equal("0912345678", form["contact"].ToString());
    }
}
