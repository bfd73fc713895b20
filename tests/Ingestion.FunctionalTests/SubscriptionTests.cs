using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>Issue 20 point 6: webhook and WebSocket subscriptions to named queries.</summary>
public sealed class SubscriptionTests
{
    private const string Token = "13df38d8275b13f05704629e5f1cf3d45d6132d5";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Fast(bool allowLoopback) => new()
    {
        ["Subscriptions:PollSeconds"] = "1",
        ["Subscriptions:SettleSeconds"] = "0",
        ["Subscriptions:AllowedPrivateHosts:0"] = allowLoopback ? "127.0.0.1" : "receiver.invalid",
    };

    [Fact]
    public async Task A_webhook_gets_each_matching_event_once_signed_and_a_failed_call_is_retried()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 1);
        using var app = new TraceabilityApp { Settings = Fast(allowLoopback: true) };
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "W1");
        await CaptureAsync(producer.Client, gtin, "W1", 0, ("shipping", 2), ("receiving", 1)); // before the subscription: not sent
        await SaveQueryAsync(producer.Client, "shipped", """{"EQ_bizStep": ["shipping"]}""");

        var subscribed = await producer.Client.PostAsJsonAsync("/epcis/queries/shipped/subscriptions",
            new { dest = receiver.Url, signatureToken = Token, stream = true }, Ct);
        var created = await subscribed.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(subscribed.StatusCode == HttpStatusCode.Created, created?.ToJsonString());
        Assert.DoesNotContain(Token, created!.ToJsonString());
        var expected = await CaptureAsync(producer.Client, gtin, "W1", 10, ("shipping", 3), ("receiving", 2));

        await Eventually(() => receiver.EventIds.Distinct().Count() >= 3, TimeSpan.FromSeconds(20));
        await Task.Delay(2500, Ct); // two more rounds: nothing is sent again
        Assert.Equal(expected["shipping"].Order(), receiver.EventIds.Order());
        Assert.True(receiver.Refused >= 1, "the first call was answered 503 and had to be retried");
        foreach (var delivery in receiver.Deliveries)
        {
            Assert.Equal(Sign(delivery.Body), delivery.Signature);
            var results = JsonNode.Parse(delivery.Body)!["epcisBody"]!["queryResults"]!;
            Assert.Equal("shipped", (string)results["queryName"]!);
            Assert.Equal((string)created["subscriptionID"]!, (string)results["subscriptionID"]!);
        }
        var state = await producer.Client.GetFromJsonAsync<JsonObject>($"/epcis/queries/shipped/subscriptions/{created["subscriptionID"]}", Ct);
        Assert.NotNull(state!["lastDeliveryAt"]);
        Assert.Equal(0, (int)state["failures"]!);

        // Another producer sees neither the query nor the subscription.
        var other = await app.NewProducerAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/epcis/queries/shipped/subscriptions/{created["subscriptionID"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.DeleteAsync($"/epcis/queries/shipped/subscriptions/{created["subscriptionID"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await producer.Client.DeleteAsync($"/epcis/queries/shipped/subscriptions/{created["subscriptionID"]}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_webhook_on_a_filtered_query_gets_only_the_events_its_filter_passes()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        using var app = new TraceabilityApp { Settings = Fast(allowLoopback: true) };
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "F1");
        // Quantities are n + 1: the filter passes 13 and more (a parameter no index serves: read on and filtered).
        await SaveQueryAsync(producer.Client, "heavy", """{"GE_quantity": 13, "EXISTS_quantityList": true}""");
        var subscribed = await producer.Client.PostAsJsonAsync("/epcis/queries/heavy/subscriptions", new { dest = receiver.Url, stream = true }, Ct);
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);

        var first = await CaptureAsync(producer.Client, gtin, "F1", 10, ("shipping", 5)); // 11 … 15: the last three pass
        await Eventually(() => receiver.EventIds.Count >= 3, TimeSpan.FromSeconds(20));
        await CaptureAsync(producer.Client, gtin, "F1", 0, ("receiving", 4)); // 1 … 4: none passes
        var later = await CaptureAsync(producer.Client, gtin, "F1", 20, ("packing", 1)); // 21 passes
        await Eventually(() => receiver.EventIds.Count >= 4, TimeSpan.FromSeconds(20));
        await Task.Delay(2500, Ct); // more rounds: nothing else, nothing twice

        Assert.Equal(first["shipping"].Skip(2).Concat(later["packing"]).Order(), receiver.EventIds.Order());
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/cb")]
    [InlineData("https://127.0.0.1/cb")]
    [InlineData("https://10.0.0.5/cb")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://192.168.1.1/cb")]
    [InlineData("https://[::1]/cb")]
    [InlineData("https://localhost/cb")]
    [InlineData("http://client.example.com/cb")]
    [InlineData("https://user:pw@client.example.com/cb")]
    [InlineData("ftp://client.example.com/cb")]
    [InlineData("/relative")]
    public async Task A_webhook_to_a_private_address_or_without_https_is_refused(string dest)
    {
        using var app = new TraceabilityApp { Settings = Fast(allowLoopback: false) };
        var producer = await app.NewProducerAsync();
        await SaveQueryAsync(producer.Client, "q", "{}");
        var response = await producer.Client.PostAsJsonAsync("/epcis/queries/q/subscriptions", new { dest, stream = true }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains("\"dest\"", body);
    }

    [Fact]
    public async Task A_subscription_needs_stream_or_a_valid_schedule_and_an_unknown_query_is_404()
    {
        using var app = new TraceabilityApp { Settings = Fast(allowLoopback: false) };
        var producer = await app.NewProducerAsync();
        await SaveQueryAsync(producer.Client, "q", "{}");
        const string dest = "https://client.example.com/cb";
        var noStream = await producer.Client.PostAsJsonAsync("/epcis/queries/q/subscriptions", new { dest }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noStream.StatusCode);
        Assert.Contains("\"stream\"", await noStream.Content.ReadAsStringAsync(Ct));
        var both = await producer.Client.PostAsJsonAsync("/epcis/queries/q/subscriptions", new { dest, stream = true, schedule = new { hour = "1" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        var badSchedule = await producer.Client.PostAsJsonAsync("/epcis/queries/q/subscriptions", new { dest, schedule = new { hour = "24" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badSchedule.StatusCode);
        Assert.Contains("\"schedule.hour\"", await badSchedule.Content.ReadAsStringAsync(Ct));
        var never = await producer.Client.PostAsJsonAsync("/epcis/queries/q/subscriptions", new { dest, schedule = new { dayOfMonth = "31", month = "2" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, never.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await producer.Client.PostAsJsonAsync("/epcis/queries/none/subscriptions", new { dest, stream = true }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await producer.Client.PostAsJsonAsync("/epcis/queries/q/subscriptions", new { dest, stream = true }, Ct)).StatusCode);
        Assert.Single((await producer.Client.GetFromJsonAsync<JsonArray>("/epcis/queries/q/subscriptions", Ct))!);
        // Deleting the query deletes its subscriptions.
        Assert.Equal(HttpStatusCode.NoContent, (await producer.Client.DeleteAsync("/epcis/queries/q", Ct)).StatusCode);
        await SaveQueryAsync(producer.Client, "q", "{}");
        Assert.Empty((await producer.Client.GetFromJsonAsync<JsonArray>("/epcis/queries/q/subscriptions", Ct))!);
    }

    [Fact]
    public async Task A_scheduled_webhook_reports_at_its_times_empty_ones_too_when_asked()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        using var app = new TraceabilityApp { Settings = Fast(allowLoopback: true) };
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "T1");
        await SaveQueryAsync(producer.Client, "every", """{"EQ_bizStep": ["shipping"]}""");
        // Every third second, with empty reports.
        var subscribed = await producer.Client.PostAsJsonAsync("/epcis/queries/every/subscriptions",
            new { dest = receiver.Url, signatureToken = Token, reportIfEmpty = true, schedule = new { second = "0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        await Eventually(() => receiver.Deliveries.Count >= 1, TimeSpan.FromSeconds(15));
        Assert.Empty(receiver.Deliveries[0].EventIds);

        var expected = await CaptureAsync(producer.Client, gtin, "T1", 0, ("shipping", 2), ("receiving", 1));
        await Eventually(() => receiver.EventIds.Count >= 2, TimeSpan.FromSeconds(15));
        Assert.Equal(expected["shipping"].Order(), receiver.EventIds.Order());
        var times = receiver.Deliveries.Select(d => DateTimeOffset.Parse((string)JsonNode.Parse(d.Body)!["creationDate"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // Due every third second, looked at every second: reports are 2 s apart at least (not every round).
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(2), $"{pair.First:O} → {pair.Second:O}"));
    }

    [Theory]
    [InlineData("""{"hour": "1", "minute": "5"}""", "2026-12-05T12:00:00+07:00", "2026-12-06T01:05:00+07:00")]
    [InlineData("""{"hour": "1", "minute": "5"}""", "2026-12-05T01:04:59+07:00", "2026-12-05T01:05:00+07:00")]
    [InlineData("""{"minute": "[10-12]"}""", "2026-12-05T12:12:00+07:00", "2026-12-05T13:10:00+07:00")]
    [InlineData("""{"dayOfWeek": "1", "hour": "8"}""", "2026-12-05T12:00:00+07:00", "2026-12-07T08:00:00+07:00")] // Saturday → Monday
    [InlineData("""{"dayOfMonth": "29", "month": "2"}""", "2026-12-05T00:00:00+07:00", "2028-02-29T00:00:00+07:00")]
    [InlineData("""{"second": "30"}""", "2026-12-05T04:59:45Z", "2026-12-05T12:00:30+07:00")]
    public void A_schedule_comes_next_at_the_first_matching_second_in_Vietnam_time(string schedule, string after, string next)
    {
        var errors = new Traceability.ServiceDefaults.Problems.ValidationErrors();
        var parsed = Traceability.Ingestion.Api.Epcis.Subscriptions.QuerySchedule.Parse(JsonDocument(schedule), errors);
        Assert.True(errors.IsValid);
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            parsed!.Next(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("""{"minute": "60"}""", "schedule.minute")]
    [InlineData("""{"hour": "[5-2]"}""", "schedule.hour")]
    [InlineData("""{"dayOfWeek": "0"}""", "schedule.dayOfWeek")]
    [InlineData("""{"hour": 1}""", "schedule.hour")]
    [InlineData("""{"weekday": "1"}""", "schedule.weekday")]
    public void A_wrong_schedule_names_its_field(string schedule, string field)
    {
        var errors = new Traceability.ServiceDefaults.Problems.ValidationErrors();
        Assert.Null(Traceability.Ingestion.Api.Epcis.Subscriptions.QuerySchedule.Parse(JsonDocument(schedule), errors));
        Assert.Contains(field, errors.Keys);
    }

    private static System.Text.Json.JsonElement JsonDocument(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task A_websocket_stream_receives_events_as_they_are_captured()
    {
        using var app = new TraceabilityApp { Settings = Fast(allowLoopback: false) };
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "S1");
        await SaveQueryAsync(producer.Client, "live", """{"EQ_bizStep": ["shipping"]}""");
        var key = producer.Client.DefaultRequestHeaders.Authorization!.Parameter;
        var ws = app.Server.CreateWebSocketClient();
        ws.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + key;
        using var socket = await ws.ConnectAsync(new Uri(app.Server.BaseAddress, "/epcis/queries/live/events?stream=true"), Ct);

        var expected = await CaptureAsync(producer.Client, gtin, "S1", 0, ("shipping", 2), ("receiving", 1));
        var received = new List<string>();
        var buffer = new byte[1 << 20];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (received.Count < 2)
        {
            var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            var document = JsonNode.Parse(message.ToArray())!;
            received.AddRange(document["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray().Select(e => (string)e!["eventID"]!));
        }
        Assert.Equal(expected["shipping"].Order(), received.Order());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    [Fact]
    public async Task A_webhook_keeps_its_place_across_a_kill_9_of_the_host()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "trace-subscriptions-" + Guid.NewGuid().ToString("N"));
        var settings = Fast(allowLoopback: true);
        var expected = new List<string>();
        string producerKey, gtin;
        try
        {
            using (var first = await StandaloneProcess.StartAsync(dataDirectory, StandaloneApp.AdminKey, settings))
            {
                var admin = first.Client(StandaloneApp.AdminKey);
                var body = await (await admin.PostAsJsonAsync("/api/v1/producers", new
                {
                    name = "HTX Webhook", taxCode = "5000999977", address = "Xã Phù Lưu", province = "Tuyên Quang", companyPrefixes = new[] { "8939977" },
                }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
                producerKey = (string)body!["apiKey"]!;
                gtin = "0" + "893997700001" + Traceability.Domain.Gs1.Gs1CheckDigit.Compute("0893997700001");
                var producer = first.Client(producerKey);
                Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam" } }, Ct)).StatusCode);
                Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "K1" }, Ct)).StatusCode);
                await SaveQueryAsync(producer, "shipped", """{"EQ_bizStep": ["shipping"]}""");
                Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/epcis/queries/shipped/subscriptions",
                    new { dest = receiver.Url, signatureToken = Token, stream = true }, Ct)).StatusCode);
                for (var round = 0; round < 5; round++)
                {
                    expected.AddRange((await CaptureAsync(producer, gtin, "K1", round * 10, ("shipping", 3), ("receiving", 1)))["shipping"]);
                    await Task.Delay(400, Ct);
                }
                first.Kill(); // SIGKILL, with deliveries under way
            }
            using var second = await StandaloneProcess.StartAsync(dataDirectory, StandaloneApp.AdminKey, settings);
            expected.AddRange((await CaptureAsync(second.Client(producerKey), gtin, "K1", 100, ("shipping", 3), ("receiving", 1)))["shipping"]);
            await Eventually(() => expected.All(receiver.EventIds.Contains), TimeSpan.FromSeconds(30));
            await Task.Delay(2500, Ct);

            Assert.Equal(expected.Order(), receiver.EventIds.Distinct().Order());
            // At least once: only the batch a kill cut between the destination's 2xx and the cursor's
            // write may come twice, and then whole.
            var repeated = receiver.EventIds.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
            Assert.True(repeated.Count == 0 || receiver.Deliveries.Any(d => d.EventIds.ToHashSet().SetEquals(repeated)),
                $"events repeated outside one re-sent batch: {string.Join(", ", repeated)}");
            Assert.All(receiver.Deliveries, d => Assert.Equal(Sign(d.Body), d.Signature));
        }
        finally
        {
            try { Directory.Delete(dataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Sign(string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Token), Encoding.UTF8.GetBytes(body)));

    private static async Task SaveQueryAsync(HttpClient client, string name, string query)
    {
        var response = await client.PostAsync("/epcis/queries",
            new StringContent($$"""{"name": "{{name}}", "query": {{query}}}""", Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Captures events of each bizStep; returns their eventIDs by bizStep.</summary>
    private static async Task<Dictionary<string, List<string>>> CaptureAsync(HttpClient client, string gtin, string lot, int first,
        params (string BizStep, int Count)[] steps)
    {
        var ids = steps.ToDictionary(s => s.BizStep, _ => new List<string>());
        var events = new List<JsonObject>();
        var n = first;
        foreach (var (step, count) in steps)
            for (var i = 0; i < count; i++)
            {
                var id = $"urn:uuid:{Guid.NewGuid()}";
                ids[step].Add(id);
                events.Add(Epcis.ObjectEvent(gtin, lot, step, n++, id));
            }
        var response = await client.PostAsync("/epcis/capture", new StringContent(Epcis.Document(events).ToJsonString(), Encoding.UTF8, "application/ld+json"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return ids;
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan within)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !condition() && waited.Elapsed < within;) await Task.Delay(100, Ct);
        Assert.True(condition(), $"not within {within.TotalSeconds} s");
    }

    private sealed record Delivery(string Body, string? Signature, IReadOnlyList<string> EventIds);

    /// <summary>A webhook endpoint on 127.0.0.1 that records what it receives (answering 503 to the first <c>failFirst</c> calls).</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<Delivery> _deliveries = new();
        private int _refused;
        private readonly int _failFirst;

        private Receiver(WebApplication app, int failFirst) => (_app, _failFirst) = (app, failFirst);

        public string Url => _app.Urls.First() + "/callback";
        public IReadOnlyList<Delivery> Deliveries => [.. _deliveries];
        public IReadOnlyList<string> EventIds => [.. _deliveries.SelectMany(d => d.EventIds)];
        public int Refused => _refused;

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app, failFirst);
            app.MapPost("/callback", async (HttpRequest request) =>
            {
                if (Interlocked.Increment(ref receiver._refused) <= receiver._failFirst) return Results.StatusCode(503);
                Interlocked.Decrement(ref receiver._refused);
                var body = await new StreamReader(request.Body).ReadToEndAsync();
                var ids = JsonNode.Parse(body)!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray()
                    .Select(e => (string)e!["eventID"]!).ToList();
                receiver._deliveries.Enqueue(new Delivery(body, request.Headers["GS1-Signature"].ToString(), ids));
                return Results.NoContent();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
