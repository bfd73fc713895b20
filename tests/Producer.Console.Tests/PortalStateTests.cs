using Traceability.PortalSimulator;
using Traceability.Sync.Tests.Infrastructure;

namespace Traceability.ProducerConsole.Tests;

/// <summary>The console with the sync worker on, pushing to the portal simulator on a real port.</summary>
public sealed class SyncedConsoleFixture : IAsyncLifetime
{
    public SimulatorHost Portal { get; private set; } = null!;
    public ConsoleApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Portal = await SimulatorHost.StartAsync();
        App = new ConsoleApp { Settings = Portal.HostSettings() };
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Portal.DisposeAsync();
    }
}

/// <summary>
/// Issue 21: what the national portal made of a producer's data is shown in the console: sent,
/// waiting, refused with the portal's reason and a retry button, or blocked by the refused row.
/// </summary>
public sealed partial class PortalStateTests(SyncedConsoleFixture fixture) : IClassFixture<SyncedConsoleFixture>
{
    private ConsoleApp App => fixture.App;
    private SimulatorHost Portal => fixture.Portal;

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    private bool PortalHas(string kind, Func<ReceivedEntity, bool> match) => Portal.State.Received(kind).Any(match);

    private static bool IsOfProduct(ReceivedEntity e, string gtin14) => ((ProductRequest)e.Body).MaBarcode == gtin14;

    /// <summary>Events the portal holds under the lot numbered <paramref name="lot"/> (lot numbers are unique in this class).</summary>
    private int EventsAtPortal(string lot) =>
        Portal.State.Received("event").Count(e => Portal.State.Received("lot").Any(l => l.Id == e.ParentId && ((LotRequest)l.Body).SoLo == lot));

    private async Task WaitForPageAsync(Browser browser, string url, Func<string, bool> shows, string what) =>
        await WaitForAsync(async () => shows(await browser.GetPageAsync(url)), what);

    /// <summary>The table row of the page that mentions <paramref name="text"/>.</summary>
    private static string RowOf(string html, string text) =>
        TableRow().Matches(html).Select(m => m.Value).Single(r => r.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task A_photo_uploaded_in_the_console_reaches_the_portal_as_a_public_URL_and_the_lot_and_its_events_follow()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "IMG-01", RecallAndImageTests.Png);
        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "harvest", "VT-PHULUU", "2026-11-20T07:30", "1200");
        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "packing", "SC-HAMYEN", "2026-11-21T09:00");

        await WaitForAsync(() => Task.FromResult(EventsAtPortal(lot) == 2), "the lot's two events at the portal");

        var product = Portal.State.Received("product").Last(e => IsOfProduct(e, gtin14));
        Assert.Equal($"https://truyxuat.example.vn/images/{gtin14}.png", ((ProductRequest)product.Body).HinhAnh);
        await WaitForPageAsync(browser, "/console/lots", html => RowOf(html, lot).Contains("Đã gửi", StringComparison.Ordinal), "the lot sent");
        Assert.Contains("Đã gửi", RowOf(await browser.GetPageAsync("/console/products"), gtin14));
        // Product, lot, harvest, packing (the events' rows are marked when the worker's round is recorded).
        await WaitForPageAsync(browser, $"/console/lots/{gtin14}/{lot}/portal", html => Regex.Count(html, "portal-sent") == 4, "four rows sent");
        Assert.DoesNotContain("Chờ gửi", await browser.GetPageAsync($"/console/lots/{gtin14}/{lot}/portal"));
    }

    [Fact]
    public async Task A_refused_product_shows_the_portal_reason_blocks_only_its_own_lot_and_events_and_goes_once_corrected()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (good, goodLot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "GOOD-01");
        // A relative image address, as the console stored uploads before; the API still accepts one.
        var bad = producer.NewGtin().PadLeft(14, '0');
        const string badLot = "BAD-01";
        var created = await producer.Api.PostAsJsonAsync("/api/v1/products",
            new { gtin = bad, name = new { vi = "Chè Shan tuyết" }, unit = "gói", imageUrl = $"/images/{bad}.png" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lotMade = await browser.SubmitAsync("/console/lots/new", "/console/lots/new", new() { ["gtin"] = bad, ["lot"] = badLot });
        Assert.Equal(HttpStatusCode.Redirect, lotMade.StatusCode);
        await ConsoleFlowTests.RecordAsync(browser, bad, badLot, "harvest", "VT-PHULUU", "2026-11-20T07:30", "1200");
        await ConsoleFlowTests.RecordAsync(browser, good, goodLot, "harvest", "VT-PHULUU", "2026-11-20T07:30", "1200");

        // The other product's whole chain goes through; the refused one's lot and event wait.
        await WaitForAsync(() => Task.FromResult(EventsAtPortal(goodLot) == 1), "the good lot and its event at the portal");
        await WaitForAsync(async () => RowOf(await browser.GetPageAsync("/console/products"), bad).Contains("Bị từ chối", StringComparison.Ordinal),
            "the refusal in the console");
        Assert.False(PortalHas("lot", l => ((LotRequest)l.Body).SoLo == badLot));

        var products = await browser.GetPageAsync("/console/products");
        var refusedRow = RowOf(products, bad);
        Assert.Contains("hinhAnh phải là một URL công khai", refusedRow); // the portal's own reason, in Vietnamese
        Assert.Contains("HINH_ANH_KHONG_HOP_LE", refusedRow);
        Assert.Contains("action=\"/console/portal/retry\"", refusedRow);
        Assert.Contains("name=\"__csrf\"", refusedRow);
        Assert.Contains("Đã gửi", RowOf(products, good));
        var lotRow = RowOf(await browser.GetPageAsync("/console/lots"), badLot);
        Assert.Contains("Bị chặn", lotRow);
        Assert.Contains($"href=\"/console/products/{bad}/edit\"", lotRow);
        Assert.DoesNotContain("Chờ gửi", lotRow);
        var portalPage = await browser.GetPageAsync($"/console/lots/{bad}/{badLot}/portal");
        Assert.Contains("Bị chặn", RowOf(portalPage, "Thu hoạch"));

        // Corrected in the console: the address given as a path becomes the public URL, and the chain goes.
        var corrected = await browser.SubmitAsync($"/console/products/{bad}/edit", $"/console/products/{bad}/edit",
            new() { ["name.vi"] = "Chè Shan tuyết", ["unit"] = "gói", ["imageUrl"] = $"/images/{bad}.png" });
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        await WaitForAsync(() => Task.FromResult(EventsAtPortal(badLot) == 1), "the corrected chain at the portal");
        Assert.Equal($"https://truyxuat.example.vn/images/{bad}.png", ((ProductRequest)Portal.State.Received("product").Last(e => IsOfProduct(e, bad)).Body).HinhAnh);
        await WaitForPageAsync(browser, $"/console/lots/{bad}/{badLot}/portal", html => Regex.Count(html, "portal-sent") == 3, "product, lot and event sent");
    }

    [Fact]
    public async Task The_producer_sends_a_refused_product_again_with_the_retry_button_and_only_with_its_token()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var other = await App.NewProducerAsync();
        var (first, _) = await ConsoleFlowTests.SetUpLotAsync(other, await other.SignInAsync(), "TOK-01");
        await WaitForAsync(() => Task.FromResult(PortalHas("product", e => IsOfProduct(e, first))), "a first push (the client's token)");

        // A refusal whose cause is on the portal's side: correcting it needs no change of the product.
        await Portal.SetFaultsAsync(new { errorRate = 1.0, status = 400 });
        string gtin14;
        try
        {
            (gtin14, _) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "RETRY-01");
            await WaitForAsync(async () => RowOf(await browser.GetPageAsync("/console/products"), gtin14).Contains("LOI_HE_THONG", StringComparison.Ordinal),
                "the refusal in the console");
        }
        finally
        {
            await Portal.SetFaultsAsync(new { errorRate = 0.0 });
        }

        var retry = new Dictionary<string, string> { ["kind"] = "product", ["key"] = gtin14, ["back"] = "/console/products" };
        var withoutToken = await browser.SubmitAsync("/console/products", "/console/portal/retry", retry, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        var stranger = await (await App.NewProducerAsync()).SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SubmitAsync("/console/products", "/console/portal/retry", retry)).StatusCode);
        await Task.Delay(500); // several worker rounds: a refused row stays refused until it is retried
        Assert.Contains("Bị từ chối", RowOf(await browser.GetPageAsync("/console/products"), gtin14));

        var retried = await browser.SubmitAsync("/console/products", "/console/portal/retry", retry);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Equal("/console/products", retried.Headers.Location!.OriginalString);
        await WaitForAsync(() => Task.FromResult(PortalHas("lot", l => ((LotRequest)l.Body).SoLo == "RETRY-01")), "the retried product's lot at the portal");
        await WaitForPageAsync(browser, "/console/products", html => RowOf(html, gtin14).Contains("Đã gửi", StringComparison.Ordinal), "the product sent");
    }

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();
}
