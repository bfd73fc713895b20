using System.Diagnostics;
using System.Text.Json;

namespace Traceability.Verification.Tests;

/// <summary>
/// Issue 15's one table: every kind of code a shopper or inspector meets, each judged by verify, the
/// public page, the provenance JSON, the linkset and the inspector app's offline check — which must
/// agree. Bare GTINs and lot codes are never authentic; only an issued serial with a valid signature is.
/// </summary>
public sealed class AssuranceTableTests : IAsyncLifetime
{
    private readonly VerificationApp _app = new();
    private readonly List<Row> _rows = [];

    /// <summary>A code, where its page is, and what each surface must say (Http: the page's, JSON's and linkset's status code).</summary>
    private sealed record Row(string Name, string Code, string Page, string Verdict, HttpStatusCode Http, string? Status, string? Assurance, string Offline);

    public async ValueTask InitializeAsync()
    {
        var producer = await _app.NewProducerAsync();
        var gtin = await producer.ProductAsync();
        await producer.LotAsync(gtin, "REG-1", new DateOnly(2027, 6, 30));
        await producer.LotAsync(gtin, "RECALL-1");
        await producer.LotAsync(gtin, "EXP-1", new DateOnly(2026, 11, 1));
        var signed = (await producer.SerialsAsync(gtin, "REG-1", 1))[0];
        var signedRecalled = (await producer.SerialsAsync(gtin, "RECALL-1", 1))[0];
        Assert.Equal(HttpStatusCode.Created, (await producer.RecallAsync(gtin, ["RECALL-1"])).StatusCode);
        var (suspendedGtin, suspendedLot) = await _app.SuspendedLotAsync();

        var b = VerificationApp.BaseUrl;
        var unsigned = signed[..signed.IndexOf('?')];
        var tampered = signed[..^1] + (signed[^1] == 'A' ? 'B' : 'A');
        var lotPage = $"/01/{gtin}/10/REG-1";
        _rows.AddRange(
        [
            new("bare GTIN-13", gtin[1..], $"/01/{gtin}", "registered", HttpStatusCode.OK, "active", "registered", "unverified"),
            new("GTIN-14 Digital Link", $"{b}/01/{gtin}", $"/01/{gtin}", "registered", HttpStatusCode.OK, "active", "registered", "unverified"),
            new("element string (01)(10)", $"(01){gtin}(10)REG-1", lotPage, "registered", HttpStatusCode.OK, "active", "registered", "unverified"),
            new("registered lot", b + lotPage, lotPage, "registered", HttpStatusCode.OK, "active", "registered", "unverified"),
            new("unknown lot", $"{b}/01/{gtin}/10/NOPE-1", $"/01/{gtin}/10/NOPE-1", "unknown", HttpStatusCode.NotFound, null, null, "unverified"),
            new("recalled lot", $"{b}/01/{gtin}/10/RECALL-1", $"/01/{gtin}/10/RECALL-1", "recalled", HttpStatusCode.OK, "recalled", "registered", "recalled"),
            new("expired lot", $"{b}/01/{gtin}/10/EXP-1", $"/01/{gtin}/10/EXP-1", "expired", HttpStatusCode.OK, "expired", "registered", "unverified"),
            new("suspended producer", $"{b}/01/{suspendedGtin}/10/{suspendedLot}", $"/01/{suspendedGtin}/10/{suspendedLot}", "suspended", HttpStatusCode.OK, "suspended", "registered", "unverified"),
            new("issued signed serial", signed, signed[b.Length..], "authentic", HttpStatusCode.OK, "active", "verified", "authentic"),
            new("tampered signature", tampered, tampered[b.Length..], "invalid_signature", HttpStatusCode.OK, "active", "unverified", "invalid_signature"),
            new("never-issued serial on a real lot", $"{b}{lotPage}/21/NEVERISSUED9", $"{lotPage}/21/NEVERISSUED9", "unknown", HttpStatusCode.NotFound, null, null, "unverified"),
            new("issued serial without its signature", unsigned, unsigned[b.Length..], "suspicious", HttpStatusCode.OK, "active", "unverified", "unverified"),
            new("signed serial of a recalled lot", signedRecalled, signedRecalled[b.Length..], "recalled", HttpStatusCode.OK, "recalled", "verified", "recalled"),
        ]);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Verify_page_json_linkset_and_the_offline_app_agree_on_every_code()
    {
        // Node runs the app's own offline logic; without it every other surface is still checked.
        var offline = Repository.Node is null ? null : await OfflineVerdictsAsync();
        var client = _app.CreateClient();
        var failures = new List<string>();
        foreach (var row in _rows)
        {
            var verify = await client.VerifyAsync(row.Code);
            Check(row, "verify", verify.Verdict(), row.Verdict);

            var json = await GetAsync(client, row.Page, "application/json");
            Check(row, "json status code", json.StatusCode.ToString(), row.Http.ToString());
            if (json.IsSuccessStatusCode)
            {
                var body = (await json.Content.ReadFromJsonAsync<JsonObject>())!;
                Check(row, "json verdict", (string?)body["verdict"], row.Verdict);
                Check(row, "json status", (string?)body["status"], row.Status);
                Check(row, "json assurance", (string?)body["assurance"], row.Assurance);
                Check(row, "verify assurance", (string?)verify["assurance"], row.Assurance);
            }

            var page = await GetAsync(client, row.Page, "text/html");
            Check(row, "page status code", page.StatusCode.ToString(), row.Http.ToString());
            var html = await page.Content.ReadAsStringAsync();
            if (page.IsSuccessStatusCode)
            {
                Check(row, "page verdict", html.Contains($"data-verdict=\"{row.Verdict}\"", StringComparison.Ordinal) ? row.Verdict : "(other)", row.Verdict);
                // The green mark only for a verified code; "registered" never claims "chính hãng".
                Check(row, "page verified mark", html.Contains("Đã xác thực", StringComparison.Ordinal).ToString(), (row.Assurance == "verified").ToString());
                if (row.Verdict == "registered")
                    Check(row, "page wording", html.Contains("chính hãng", StringComparison.OrdinalIgnoreCase).ToString(), false.ToString());
            }
            else
            {
                Check(row, "not-registered page", html.Contains("chưa được đăng ký", StringComparison.Ordinal).ToString(), true.ToString());
            }

            var linkset = await GetAsync(client, row.Page, "application/linkset+json");
            Check(row, "linkset status code", linkset.StatusCode.ToString(), row.Http.ToString());
            if (offline is not null) Check(row, "offline app", offline[row.Code], row.Offline);
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.SkipWhen(offline is null, "node is not on PATH: verify, page, JSON and linkset agree; the offline app's column was not checked");

        void Check(Row row, string surface, string? actual, string? expected)
        {
            if (actual != expected) failures.Add($"{row.Name} — {surface}: expected {expected ?? "null"}, got {actual ?? "null"}");
        }
    }

    [Fact]
    public async Task Bare_GTINs_and_lot_codes_are_never_authentic()
    {
        var client = _app.CreateClient();
        foreach (var row in _rows.Where(r => !r.Code.Contains("/21/", StringComparison.Ordinal)))
            Assert.NotEqual("authentic", (await client.VerifyAsync(row.Code)).Verdict());
    }

    [Fact]
    public async Task Every_reason_reads_in_Vietnamese_by_default_and_in_English_on_request()
    {
        var client = _app.CreateClient();
        foreach (var row in _rows)
        {
            var vi = await client.VerifyAsync(row.Code);
            var en = await VerifyInEnglishAsync(client, row.Code);
            var viMessages = vi["reasons"]!.AsArray().Select(r => (string)r!["message"]!).ToList();
            var enMessages = en["reasons"]!.AsArray().Select(r => (string)r!["message"]!).ToList();
            Assert.Equal(viMessages.Count, enMessages.Count);
            // Vietnamese sentences carry Vietnamese letters; none of the English ones is left in.
            Assert.All(viMessages, m => Assert.Matches("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", m));
            Assert.All(viMessages, m => Assert.DoesNotContain(m, enMessages));
            Assert.Matches("[àáảãạăâđèéêìíòóôơùúưý]", (string)vi["verdictText"]!);
        }
    }

    [Fact]
    public async Task A_mistyped_code_is_explained_in_Vietnamese()
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/v1/verify", new { code = "8936001000011" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["code"]![0]!;
        Assert.Contains("Số kiểm tra của mã GTIN sai", reason);
    }

    private static async Task<JsonObject> VerifyInEnglishAsync(HttpClient client, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = JsonContent.Create(new { code }) };
        request.Headers.AcceptLanguage.ParseAdd("en");
        var response = await client.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return client.SendAsync(request);
    }

    /// <summary>The inspector app's own offline logic (clients/inspector-web/src/verdict.js) over the published keys and warnings.</summary>
    private async Task<Dictionary<string, string>> OfflineVerdictsAsync()
    {
        var client = _app.CreateClient();
        var input = new JsonObject
        {
            ["keys"] = await client.GetFromJsonAsync<JsonObject>("/.well-known/traceability-keys"),
            ["warnings"] = await client.GetFromJsonAsync<JsonObject>("/api/v1/warnings"),
            ["today"] = "2026-11-20",
            ["codes"] = new JsonArray([.. _rows.Select(r => (JsonNode)r.Code)]),
        };
        var script = Repository.File("clients", "inspector-web", "scripts", "offline-cli.mjs");
        using var node = Process.Start(new ProcessStartInfo(Repository.Node!, [script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await node.StandardInput.WriteAsync(input.ToJsonString());
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, await node.StandardError.ReadToEndAsync());
        return JsonSerializer.Deserialize<JsonArray>(output)!.ToDictionary(v => (string)v!["code"]!, v => (string)v!["verdict"]!);
    }
}
