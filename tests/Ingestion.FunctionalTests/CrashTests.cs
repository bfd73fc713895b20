namespace Traceability.Ingestion.FunctionalTests;

/// <summary>Runs the real standalone host as a child process and kills it (SIGKILL) mid-capture.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "trace-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Killing_the_host_during_captures_leaves_no_half_stored_capture()
    {
        const int documents = 24, eventsPerDocument = 400;
        using var host = await StandaloneProcess.StartAsync(dataDirectory, TraceabilityApp.AdminKey);
        var admin = host.Client(TraceabilityApp.AdminKey);
        var producerBody = await (await admin.PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX", taxCode = "5000999999", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "8939999" },
        })).Content.ReadFromJsonAsync<JsonObject>();
        var producer = host.Client((string)producerBody!["apiKey"]!);
        var gtin = "0" + "893999900001" + Traceability.Domain.Gs1.Gs1CheckDigit.Compute("0893999900001");
        Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam" } })).StatusCode);
        for (var d = 0; d < documents; d++)
            Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = $"K{d}" })).StatusCode);

        var acknowledged = new ConcurrentBag<int>();
        var captures = Enumerable.Range(0, documents).Select(async d =>
        {
            var document = Epcis.Document(Enumerable.Range(0, eventsPerDocument).Select(i => Epcis.ObjectEvent(gtin, $"K{d}", "shipping", i)));
            try
            {
                var response = await producer.PostAsync("/epcis/capture", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.Accepted) acknowledged.Add(d);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }).ToList();
        while (acknowledged.Count < 3 && captures.Any(c => !c.IsCompleted)) await Task.Delay(5);
        host.Kill();
        await Task.WhenAll(captures);
        Assert.InRange(acknowledged.Count, 3, documents);

        using var restarted = await StandaloneProcess.StartAsync(dataDirectory, TraceabilityApp.AdminKey);
        var reader = restarted.Client((string)producerBody["apiKey"]!);
        for (var d = 0; d < documents; d++)
        {
            var body = JsonNode.Parse(await reader.GetStringAsync($"/epcis/events?MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/K{d}&perPage=1000"))!;
            var count = body["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray().Count;
            if (acknowledged.Contains(d)) Assert.Equal(eventsPerDocument, count);
            else Assert.True(count is 0 or eventsPerDocument, $"document {d} is half-stored: {count} events");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { }
    }
}

