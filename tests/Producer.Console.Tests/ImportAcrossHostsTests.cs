namespace Traceability.ProducerConsole.Tests;

/// <summary>
/// Import jobs live in the store (issue 17, stateless hosts): two hosts over one data directory (one
/// SQLite file), as behind a load balancer without sticky sessions. A job started on A is shown,
/// committed and finished through B; one that no host works on any more says it was interrupted.
/// </summary>
public sealed class ImportAcrossHostsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_import_started_on_one_host_shows_its_progress_and_result_and_commits_on_the_other()
    {
        await using var a = new ConsoleApp();
        await using var b = new ConsoleApp(a.DataDirectory);
        var onA = await a.NewProducerAsync();
        var browserA = await onA.SignInAsync();
        var browserB = await (onA with { App = b }).SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(onA, browserA);
        var start = new DateTime(2026, 1, 1, 6, 0, 0);
        var rows = Enumerable.Range(0, 3_000).Select(i =>
            $"{gtin14},{lot},{(i % 2 == 0 ? "vận chuyển" : "nhận hàng")},{start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)},SC-HAMYEN,1,KGM,,,dòng {i}");
        var old = await ExpiredJobAsync(b, onA.Id);

        var job = await ImportTests.UploadAsync(browserA, ImportTests.Csv(rows), "hai-may.csv");

        // B answers at once, from the store: the job A is validating (or has validated).
        var first = (await browserB.Client.GetFromJsonAsync<JsonObject>(job + "/status", Ct))!;
        Assert.Contains((string)first["phase"]!, new[] { "validating", "ready" });
        Assert.Equal(3_000, (int)first["total"]!);
        var validated = await ImportTests.WaitAsync(browserB, job);
        Assert.Equal("ready", (string)validated["phase"]!);
        Assert.Equal(3_000, (int)validated["events"]!);
        Assert.Contains("hai-may.csv", await browserB.GetPageAsync(job));
        // A job started before the expiry window went when this one started.
        Assert.Null(await b.Services.GetRequiredService<IImportJobStore>().GetImportJobAsync(old, Ct));

        // B commits what A validated (the chunks are in the store), and A shows the result.
        var committed = await ImportTests.CommitAsync(browserB, job);
        Assert.Equal("done", (string)committed["phase"]!);
        var onAsResult = (await browserA.Client.GetFromJsonAsync<JsonObject>(job + "/status", Ct))!;
        Assert.Equal(("done", 3_000, 0), ((string)onAsResult["phase"]!, (int)onAsResult["stored"]!, (int)onAsResult["duplicates"]!));
        Assert.Contains("Đã lưu 3", await browserA.GetPageAsync(job));
        Assert.Equal(3_000, (await Epcis.QueryAllAsync(onA.Api, $"MATCH_epcClass={Epcis.ClassUri(gtin14, lot)}&perPage=1000")).Count);
        // Committed once: a second commit through A is refused (the job is no longer ready), nothing is stored twice.
        var again = await browserA.Client.PostAsync(job + "/commit", new FormUrlEncodedContent([new("__csrf", Browser.TokenOf(await browserA.GetPageAsync(job)))]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(3_000, (await Epcis.QueryAllAsync(onA.Api, $"MATCH_epcClass={Epcis.ClassUri(gtin14, lot)}&perPage=1000")).Count);

        // Another producer does not see the job on either host.
        var other = await (await a.NewProducerAsync() with { App = b }).SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(job + "/status", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_job_no_host_has_written_for_a_minute_is_shown_as_interrupted_with_how_far_it_got()
    {
        await using var a = new ConsoleApp();
        var producer = await a.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var store = a.Services.GetRequiredService<IImportJobStore>();
        var lastBeat = DateTimeOffset.UtcNow.AddMinutes(-5);
        // As a host leaves a job it was committing when it is killed: Committing, 20,000 of 50,000 events written.
        await store.AddImportJobAsync(new ImportJobRecord("dead-commit", producer.Id, "lon.csv", "vi", lastBeat.AddMinutes(-5))
        {
            Phase = "Committing", Version = 7, Total = 50_000, Validated = 50_000, Events = 50_000, Committed = 20_000, Stored = 20_000,
            Chunks = 5, UpdatedAt = lastBeat,
        }, Ct);
        await store.AddImportJobAsync(new ImportJobRecord("dead-check", producer.Id, "lon.csv", "en", lastBeat.AddMinutes(-5))
        {
            Phase = "Validating", Version = 3, Total = 50_000, Validated = 1_000, UpdatedAt = lastBeat,
        }, Ct);
        await store.AddImportJobAsync(new ImportJobRecord("alive", producer.Id, "lon.csv", "vi", DateTimeOffset.UtcNow)
        {
            Phase = "Validating", Version = 1, Total = 50_000, Validated = 1_000, UpdatedAt = DateTimeOffset.UtcNow,
        }, Ct);

        var commit = (await browser.Client.GetFromJsonAsync<JsonObject>("/console/import/dead-commit/status", Ct))!;
        Assert.Equal("failed", (string)commit["phase"]!);
        Assert.Equal("Việc lưu bị gián đoạn vì máy chủ đã dừng hoặc khởi động lại. Ít nhất 20000 sự kiện đầu đã được lưu; "
            + "hãy tải lại đúng tệp này để hoàn tất (các sự kiện đã lưu không bị lưu lặp).", (string)commit["message"]!);
        Assert.Contains("Ít nhất 20000 sự kiện đầu đã được lưu", WebUtility.HtmlDecode(await browser.GetPageAsync("/console/import/dead-commit")));
        // The verdict is stored (a new version), so a host that wakes up late cannot write over it.
        var stored = await store.GetImportJobAsync("dead-commit", Ct);
        Assert.Equal(("Failed", 8L), (stored!.Phase, stored.Version));

        // In the reader's language, whatever the language the producer started it in (this one was uploaded in English).
        var check = (await browser.Client.GetFromJsonAsync<JsonObject>("/console/import/dead-check/status", Ct))!;
        Assert.Equal("failed", (string)check["phase"]!);
        Assert.StartsWith("Việc kiểm tra tệp bị gián đoạn", (string)check["message"]!);
        var english = (await browser.Client.GetFromJsonAsync<JsonObject>("/console/import/dead-check/status?lang=en", Ct))!;
        Assert.StartsWith("Checking the file was interrupted", (string)english["message"]!);
        var commitInEnglish = (await browser.Client.GetFromJsonAsync<JsonObject>("/console/import/dead-commit/status?lang=en", Ct))!;
        Assert.StartsWith("Storing was interrupted because the server stopped or restarted. At least the first 20000 events were stored",
            (string)commitInEnglish["message"]!);

        var alive = (await browser.Client.GetFromJsonAsync<JsonObject>("/console/import/alive/status", Ct))!;
        Assert.Equal(("validating", 2), ((string)alive["phase"]!, (int)alive["percent"]!));
    }

    /// <summary>A finished job started two days ago (past the one-day expiry).</summary>
    private static async Task<string> ExpiredJobAsync(ConsoleApp host, string producerId)
    {
        var createdAt = DateTimeOffset.UtcNow.AddDays(-2);
        await host.Services.GetRequiredService<IImportJobStore>().AddImportJobAsync(
            new ImportJobRecord("expired-job", producerId, "cu.csv", "vi", createdAt) { Phase = "Done", Version = 4, UpdatedAt = createdAt }, Ct);
        return "expired-job";
    }
}
