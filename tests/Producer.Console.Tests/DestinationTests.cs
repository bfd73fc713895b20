using Traceability.Domain.Gs1;

namespace Traceability.ProducerConsole.Tests;

/// <summary>Issue 21 point 4: the journey goes on past the packing house, to where the lot was shipped.</summary>
public sealed class DestinationTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    private ConsoleApp App => fixture.App;

    /// <summary>A GLN under the producer's own company prefix (unique per producer), with its check digit.</summary>
    internal static string GlnOf(Producer producer, int n)
    {
        var body = producer.Prefix + n.ToString().PadLeft(12 - producer.Prefix.Length, '0');
        return body + Gs1CheckDigit.Compute(body);
    }

    internal static async Task AddLocationAsync(Browser browser, string code, string name, string kind, string province, string? gln = null)
    {
        var fields = new Dictionary<string, string> { ["code"] = code, ["name"] = name, ["kind"] = kind, ["province"] = province };
        if (gln is not null) fields["gln"] = gln;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/locations/new", "/console/locations/new", fields)).StatusCode);
    }

    private static Task<HttpResponseMessage> RecordAsync(Browser browser, string gtin14, string lot, string step, Dictionary<string, string> where, string time) =>
        browser.SubmitAsync("/console/events/new", "/console/events/new", new(where)
        {
            ["lot"] = $"{gtin14}:{lot}", ["step"] = step, ["quantity"] = "100", ["uom"] = "KGM", ["time"] = time,
        });

    [Fact]
    public async Task Shipping_to_an_own_location_or_a_partners_GLN_puts_the_destination_in_the_event_and_on_the_public_journey()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "DS-2611");
        await AddLocationAsync(browser, "KHO-HN", "Kho Long Biên", "warehouse", "Hà Nội");
        // The partner (another producer) has registered its shop with a GLN; this producer only knows the GLN.
        var partner = await App.NewProducerAsync();
        var partnerGln = GlnOf(partner, 7);
        await AddLocationAsync(await partner.SignInAsync(), "CH-01", "Siêu thị Xanh Cầu Giấy", "store", "Hà Nội", partnerGln);

        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "packing", "SC-HAMYEN", "2026-11-21T09:00");
        var toOwn = await RecordAsync(browser, gtin14, lot, "shipping", new() { ["location"] = "SC-HAMYEN", ["destination"] = "KHO-HN" }, "2026-11-21T14:00");
        Assert.Equal(HttpStatusCode.Redirect, toOwn.StatusCode);
        // The next step (receiving) is offered at the destination.
        Assert.Contains("location=KHO-HN&done=shipping", toOwn.Headers.Location!.OriginalString);
        var toPartner = await RecordAsync(browser, gtin14, lot, "shipping", new() { ["location"] = "KHO-HN", ["partnerGln"] = partnerGln }, "2026-11-22T08:00");
        Assert.Equal(HttpStatusCode.Redirect, toPartner.StatusCode);
        var retail = await RecordAsync(browser, gtin14, lot, "retail", new() { ["partnerGln"] = partnerGln }, "2026-11-23T10:00");
        Assert.Equal(HttpStatusCode.Redirect, retail.StatusCode);

        var events = (await Epcis.QueryAllAsync(producer.Api, "MATCH_epcClass=" + Epcis.ClassUri(gtin14, lot))).OrderBy(e => (string)e["eventTime"]!).ToList();
        var own = events[1]["destinationList"]![0]!;
        Assert.Equal("location", (string)own["type"]!);
        Assert.Equal($"urn:x-traceability:loc:{producer.Id}:KHO-HN", (string)own["destination"]!);
        var party = events[2]["destinationList"]![0]!;
        Assert.Equal("owning_party", (string)party["type"]!);
        Assert.Equal($"https://id.gs1.org/417/{partnerGln}", (string)party["destination"]!);
        Assert.EndsWith($"/414/{partnerGln}", (string)events[3]["bizLocation"]!["id"]!);
        Assert.Equal("retail_selling", (string)events[3]["bizStep"]!);

        var json = await App.PublicJsonAsync($"/01/{gtin14}/10/{lot}");
        var downstream = json["downstream"]!.AsArray().Select(d => ((string)d!["via"]!, (string)d["location"]!["name"]!, (string?)d["location"]!["province"])).ToList();
        Assert.Equal([("shipping", "Kho Long Biên", "Hà Nội"), ("shipping", "Siêu thị Xanh Cầu Giấy", "Hà Nội")], downstream);
        // The retail step is on the journey at the partner's shop.
        Assert.Contains(json["events"]!.AsArray(), e => (string?)e!["bizStep"] == "retail_selling" && (string?)e["location"]?["name"] == "Siêu thị Xanh Cầu Giấy");

        var page = await (await App.CreateClient().GetAsync($"/01/{gtin14}/10/{lot}")).Content.ReadAsStringAsync();
        Assert.Contains("Vận chuyển đến: Kho Long Biên", page);
        Assert.Contains("Vận chuyển đến: Siêu thị Xanh Cầu Giấy", page);
    }

    [Fact]
    public async Task A_wrong_partner_GLN_or_a_destination_on_another_step_is_refused_in_Vietnamese_and_nothing_is_stored()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "DS-BAD");
        var good = GlnOf(producer, 3);
        var wrong = good[..^1] + (char)('0' + (good[^1] - '0' + 1) % 10);

        var badGln = await RecordAsync(browser, gtin14, lot, "shipping", new() { ["partnerGln"] = wrong }, "2026-11-21T14:00");
        Assert.Equal(HttpStatusCode.BadRequest, badGln.StatusCode);
        var html = await badGln.Content.ReadAsStringAsync();
        Assert.Contains("id=\"f-partnerGln-error\">Số kiểm tra của GLN sai", html);
        Assert.Contains($"value=\"{wrong}\"", html);

        var both = await RecordAsync(browser, gtin14, lot, "shipping", new() { ["destination"] = "SC-HAMYEN", ["partnerGln"] = good }, "2026-11-21T14:00");
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("Chọn một: địa điểm của bạn hoặc GLN của đối tác.", await both.Content.ReadAsStringAsync());

        var onHarvest = await RecordAsync(browser, gtin14, lot, "harvest", new() { ["destination"] = "SC-HAMYEN" }, "2026-11-20T07:00");
        Assert.Equal(HttpStatusCode.BadRequest, onHarvest.StatusCode);
        Assert.Contains("Chỉ dùng khi vận chuyển, nhận hàng hoặc bán lẻ.", await onHarvest.Content.ReadAsStringAsync());

        Assert.Empty(await Epcis.QueryAllAsync(producer.Api, "MATCH_epcClass=" + Epcis.ClassUri(gtin14, lot)));
    }
}
