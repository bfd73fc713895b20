using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Traceability.Authority.FunctionalTests;

public sealed class ReportTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    [Fact]
    public async Task Public_inspectors_and_producers_cannot_read_reports()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        var producer = await app.NewProducerAsync("HTX Cam sành");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/api/v1/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.Client.GetAsync("/api/v1/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PatchAsJsonAsync("/api/v1/reports/r_x", new { status = "closed" })).StatusCode);
    }

    [Fact]
    public async Task Admin_sees_the_contact_in_the_detail_only_and_the_database_file_does_not_hold_it_in_clear_text()
    {
        const string contact = "Trần Văn Bình 0912 345 678 binh.tran@example.vn";
        const string message = "Vỏ hộp in sai hạn sử dụng, mùi lạ — kiểm tra giúp";
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", new
        {
            code = "https://id.gs1.org/01/08936001000010/10/HY2026-01", category = "quality", message, contact,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var list = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!;
        var report = list["items"]!.AsArray().Single(r => (string)r!["id"]! == id)!;
        // The list never carries the contact: only the (audited) detail view decrypts it.
        Assert.False(report.AsObject().ContainsKey("contact"));
        Assert.True((bool)report["hasContact"]!);
        Assert.Equal("new", (string)report["status"]!);
        Assert.Equal("HY2026-01", (string)report["lot"]!["lot"]!);
        var detail = (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}"))!;
        Assert.Equal(contact, (string)detail["contact"]!);

        // Look at the bytes on disk (database and WAL) without checkpointing them away.
        var files = new[] { "traceability.db", "traceability.db-wal" }
            .Select(f => Path.Combine(app.DataDirectory, f)).Where(File.Exists).ToList();
        var bytes = files.SelectMany(ReadShared).ToArray();
        Assert.True(Contains(bytes, Encoding.UTF8.GetBytes(message)), "the search must find the message, which is stored in clear");
        Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("0912 345 678")), "the phone number is in the database file in clear text");
        Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("binh.tran@example.vn")), "the e-mail address is in the database file in clear text");
        // The key ring is in the store (shared by every host over it), not in a folder beside the database.
        Assert.NotEmpty(await app.Services.GetRequiredService<Traceability.Storage.IKeyRingStore>().ListKeyRingAsync(TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "keys")));
    }

    [Fact]
    public async Task Contacts_stay_readable_after_a_restart_because_the_key_ring_is_in_the_data_directory()
    {
        var id = await SubmitAsync(new { category = "safety", message = "Ngộ độc sau khi ăn", contact = "0987 654 321" });

        await using var restarted = new RestartedApp(app.DataDirectory);
        var detail = (await restarted.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}"))!;
        Assert.Equal("0987 654 321", (string?)detail["contact"]);
    }

    [Fact]
    public async Task A_report_moves_from_new_to_in_review_to_resolved_and_no_further_back()
    {
        var id = await SubmitAsync(new { category = "counterfeit", message = "Tem giả" });
        var admin = app.Admin();

        var review = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "in_review" });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Equal("in_review", (string)(await review.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        // Deciding needs an outcome (PATCH carries none); triage gives it.
        var noOutcome = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "resolved" });
        Assert.Equal(HttpStatusCode.BadRequest, noOutcome.StatusCode);
        Assert.True((await noOutcome.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("outcome"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { status = "resolved", outcome = "Đã chuyển QLTT" })).StatusCode);

        var back = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "new" });
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        var bad = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "done" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("status"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/v1/reports/r_nope", new { status = "closed" })).StatusCode);

        var closed = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/reports?status=resolved"))!["items"]!.AsArray();
        Assert.Contains(closed, r => (string)r!["id"]! == id);
        var fresh = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/reports?status=new"))!["items"]!.AsArray();
        Assert.DoesNotContain(fresh, r => (string)r!["id"]! == id);
    }

    [Fact]
    public async Task Invalid_reports_name_the_fields()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", new
        {
            category = "weather", message = new string('x', 2001), contact = new string('c', 201),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("category") && errors.ContainsKey("message") && errors.ContainsKey("contact"));

        var notJson = await app.CreateClient().PostAsync("/api/v1/reports", new StringContent("hi", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        var huge = await app.CreateClient().PostAsync("/api/v1/reports",
            new StringContent("{\"message\":\"" + new string('x', 20_000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task The_lookup_page_form_post_is_accepted_with_a_thank_you_page()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["code"] = "/01/08936001000010/10/FAKE1", ["category"] = "counterfeit", ["message"] = "Mã lạ ở chợ Tam Cờ", ["contact"] = "",
            }),
        };
        request.Headers.Accept.ParseAdd("text/html");
        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("Cảm ơn", await response.Content.ReadAsStringAsync());
        var list = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray();
        var stored = list.Single(r => (string?)r!["message"] == "Mã lạ ở chợ Tam Cờ")!;
        Assert.False((bool)stored["hasContact"]!);
        Assert.Equal("FAKE1", (string)stored["lot"]!["lot"]!);
    }

    private async Task<string> SubmitAsync(object body)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

/// <summary>A host whose report limit is 2 per window, to see the limit bite.</summary>
public sealed class StrictReportApp : AuthorityApp
{
    protected override int ReportPermitLimit => 2;
}

public sealed class ReportRateLimitTests(StrictReportApp app) : IClassFixture<StrictReportApp>
{
    [Fact]
    public async Task A_client_sending_too_many_reports_gets_429_with_retry_after()
    {
        var client = app.CreateClient();
        var body = new { category = "other", message = "thử" };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/reports", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/reports", body)).StatusCode);

        var third = await client.PostAsJsonAsync("/api/v1/reports", body);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.True(third.Headers.RetryAfter is not null);
        var stored = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray();
        Assert.Equal(2, stored.Count);
    }
}
