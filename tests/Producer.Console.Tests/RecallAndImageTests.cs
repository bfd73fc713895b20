using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Traceability.ProducerConsole.Tests;

public sealed class RecallAndImageTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    private ConsoleApp App => fixture.App;

    private async Task<JsonObject> PublicJsonAsync(string path)
    {
        var client = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task Producer_recalls_its_own_lot_from_the_console_and_the_public_lookup_shows_recalled()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "RC-2611");
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);

        var lots = await browser.GetPageAsync("/console/lots");
        var recallUrl = $"/console/lots/{gtin14}/{lot}/recall";
        Assert.Contains($"href=\"{recallUrl}\"", lots);
        Assert.Contains("Thu hồi lô", lots);

        // The service's rules, shown beside the fields: no reason, unknown severity.
        var invalid = await browser.SubmitAsync(recallUrl, recallUrl, new() { ["reason"] = "", ["severity"] = "extreme" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("id=\"f-reason-error\"", html);
        Assert.Contains("id=\"f-severity-error\"", html);

        // Without the anti-forgery token nothing happens.
        var forged = await browser.SubmitAsync(recallUrl, recallUrl, new() { ["reason"] = "Dư lượng thuốc BVTV", ["severity"] = "high" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);

        var done = await browser.SubmitAsync(recallUrl, recallUrl, new() { ["reason"] = "Dư lượng thuốc BVTV vượt ngưỡng", ["severity"] = "high" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        var json = await PublicJsonAsync($"/01/{gtin14}/10/{lot}");
        Assert.Equal("recalled", (string)json["status"]!);
        Assert.Equal("high", (string)json["recall"]!["severity"]!);
        Assert.Contains("Đã thu hồi", await browser.GetPageAsync("/console/lots"));
    }

    [Fact]
    public async Task Another_producer_cannot_recall_the_lot()
    {
        var owner = await App.NewProducerAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(owner, await owner.SignInAsync(), "RC-OTHER");
        var other = await (await App.NewProducerAsync()).SignInAsync();
        var url = $"/console/lots/{gtin14}/{lot}/recall";
        var refused = await other.SubmitAsync(url, url, new() { ["reason"] = "Không phải của tôi", ["severity"] = "low" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("active", (string)(await PublicJsonAsync($"/01/{gtin14}/10/{lot}"))["status"]!);
    }
}
