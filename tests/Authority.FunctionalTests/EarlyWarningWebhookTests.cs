using System.Security.Cryptography;

namespace Traceability.Authority.FunctionalTests;

/// <summary>
/// The early-warning webhook (issue 19): an alert that opens is posted to <c>EarlyWarning:WebhookUrl</c>
/// (signed, no consumer data), retried through failures, pushed again when its score rises by a whole
/// threshold, and a push the receiver never took survives a restart of the host.
/// </summary>
public sealed class EarlyWarningWebhookTests
{
    private const string Secret = "whsec-0123456789abcdef";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_opened_alert_is_posted_signed_retried_through_failures_and_posted_again_when_its_score_rises_a_whole_step()
    {
        await using var receiver = await WebhookReceiver.StartAsync(AlertWebhook.SignatureHeader, failFirst: 2, failStatus: 500);
        await using var app = new AuthorityApp { Settings = Webhook(receiver.Url) };
        var (gtin, producer) = await RecalledLotAsync(app, "Cơ sở Nem chua");
        await FeedAsync(app, gtin, 3, "nem-client-secret");

        var first = await receiver.DeliveredAsync(1, TimeSpan.FromSeconds(30), Ct);
        // Two 500s, then the retry pipeline's third attempt was taken; all three carried the same push.
        Assert.Equal([500, 500, 204], receiver.Calls.Select(c => c.Status));
        Assert.Single(receiver.Calls.Select(c => c.Body).Distinct());
        var push = JsonNode.Parse(first.Body)!.AsObject();
        var alert = Assert.Single((await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/alerts?producer={producer}", Ct))!["items"]!.AsArray())!;
        Assert.Equal((string)alert["id"]!, (string)push["id"]!);
        Assert.Equal("after_recall", (string)push["kind"]!);
        Assert.Equal("Lai Châu", (string)push["province"]!);
        Assert.Equal(gtin, (string)push["gtin"]!);
        Assert.Equal("R-01", (string)push["lot"]!);
        Assert.Equal(3, (long)push["count"]!);
        Assert.True((double)push["score"]! >= 4);
        Assert.Contains("sau khi lô bị thu hồi", (string)push["reason"]!["vi"]!);
        Assert.Contains("after the lot's recall", (string)push["reason"]!["en"]!);
        Assert.EndsWith("/authority", (string)push["link"]!);
        Assert.EndsWith($"/api/v1/alerts/{push["id"]}", (string)push["api"]!);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(first.Body))),
            first.Signature);
        Assert.DoesNotContain("nem-client", first.Body);
        Assert.Null(push["producerId"]);

        // One more scan: the score rises, but by less than the threshold: no push. Two more: a whole step, pushed again.
        await FeedAsync(app, gtin, 1, "more");
        await Task.Delay(1500, Ct);
        Assert.Single(receiver.Delivered);
        await FeedAsync(app, gtin, 2, "again");
        var second = JsonNode.Parse((await receiver.DeliveredAsync(2, TimeSpan.FromSeconds(30), Ct)).Body)!;
        Assert.Equal((string)push["id"]!, (string)second["id"]!);
        Assert.Equal(6, (long)second["count"]!);
        // The push is marked delivered once the receiver's answer is back, a moment after the receiver saw the body.
        var store = app.Services.GetRequiredService<IEarlyWarningStore>();
        IReadOnlyList<EarlyAlertPush> due = [];
        for (var i = 0; i < 100 && (due = await store.ListDueEarlyAlertPushesAsync(DateTimeOffset.UtcNow.AddDays(1), 10, Ct)).Count > 0; i++)
            await Task.Delay(50, Ct);
        Assert.Empty(due);
    }

    [Fact]
    public async Task A_push_the_receiver_never_took_is_kept_in_the_store_and_delivered_after_a_restart()
    {
        // Both hosts over one data directory that neither deletes (a fresh AuthorityApp would on dispose).
        var directory = Path.Combine(Path.GetTempPath(), "trace-tests-" + Guid.NewGuid().ToString("N"));
        string alertId;
        try
        {
            await using (var down = await WebhookReceiver.StartAsync(AlertWebhook.SignatureHeader, failFirst: int.MaxValue))
            {
                var app = new RestartedApp(directory) { Settings = Webhook(down.Url) };
                await using (app)
                {
                    var (gtin, producer) = await RecalledLotAsync(app, "Cơ sở Bánh chưng");
                    await FeedAsync(app, gtin, 3, "chung");
                    // Four attempts in the round (one and three retries), all refused: deferred, not lost.
                    var store = app.Services.GetRequiredService<IEarlyWarningStore>();
                    EarlyAlertPush? pending = null;
                    for (var i = 0; i < 200 && pending is not { Attempts: > 0 }; i++)
                    {
                        await Task.Delay(100, Ct);
                        pending = (await store.ListDueEarlyAlertPushesAsync(DateTimeOffset.UtcNow.AddHours(2), 10, Ct)).SingleOrDefault();
                    }
                    Assert.NotNull(pending);
                    Assert.Equal(1, pending.Attempts);
                    Assert.Equal(producer, pending.Alert.ProducerId);
                    Assert.Equal(4, down.Calls.Count);
                    alertId = pending.Alert.Id;
                }
            }
            await using var up = await WebhookReceiver.StartAsync(AlertWebhook.SignatureHeader);
            await using var restarted = new RestartedApp(directory) { Settings = Webhook(up.Url) };
            _ = restarted.Services; // starts the host and its webhook worker
            // Its wait after the failed round (10 s) and the next poll (5 s).
            var delivered = JsonNode.Parse((await up.DeliveredAsync(1, TimeSpan.FromSeconds(60), Ct)).Body)!;
            Assert.Equal(alertId, (string)delivered["id"]!);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("ftp://example.com/hook", null)]
    [InlineData("/relative", null)]
    [InlineData(null, "a-secret-without-a-url")]
    [InlineData("https://example.com/hook", "short")]
    public void A_bad_webhook_setting_stops_the_host_at_start(string? url, string? secret)
    {
        var settings = new Dictionary<string, string>();
        if (url is not null) settings["EarlyWarning:WebhookUrl"] = url;
        if (secret is not null) settings["EarlyWarning:WebhookSecret"] = secret;
        using var app = new AuthorityApp { Settings = settings };
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("Webhook", error.ToString());
    }

    private static Dictionary<string, string> Webhook(string url) => new()
    {
        ["EarlyWarning:WebhookUrl"] = url,
        ["EarlyWarning:WebhookSecret"] = Secret,
    };

    /// <summary>A producer's lot, recalled: its lookups in Lai Châu make an after_recall alert (from the second of a day).</summary>
    private static async Task<(string Gtin, string ProducerId)> RecalledLotAsync(AuthorityApp app, string name)
    {
        var producer = await app.NewProducerAsync(name);
        var gtin = await producer.RegisterProductAsync(name);
        await producer.RegisterLotAsync(gtin, "R-01");
        Assert.Equal(HttpStatusCode.Created, (await producer.Client.PostAsJsonAsync("/api/v1/recalls",
            new { gtin, lots = new[] { "R-01" }, reason = "Nhiễm khuẩn", severity = "high" }, Ct)).StatusCode);
        return (gtin, producer.Id);
    }

    /// <summary>As the scan log writer does: store the batch, then show it to the engine.</summary>
    private static async Task FeedAsync(AuthorityApp app, string gtin, int count, string client)
    {
        var scans = Enumerable.Range(0, count)
            .Select(i => new ScanRecord(DateTimeOffset.UtcNow, LotKey.Of(gtin, "R-01"), null, "Lai Châu", "mobile", $"{client}-{Guid.NewGuid():N}")).ToArray();
        await app.Services.GetRequiredService<IScanStore>().AddScansAsync(scans, Ct);
        await app.Services.GetRequiredService<EarlyWarningEngine>().ObserveAsync(scans, Ct);
    }
}
