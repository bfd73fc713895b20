using System.Diagnostics.Metrics;
using Traceability.Lookup.Api;
using Traceability.ServiceDefaults.Auth;

namespace Traceability.Verification.Tests;

/// <summary>One case per verdict and per clone signal, each asserting the reason (issue 6 acceptance; issue 15 assurance levels).</summary>
public sealed class VerdictTableTests(VerdictTableTests.Fixture fx) : IClassFixture<VerdictTableTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public VerificationApp App { get; } = new();
        public TestProducer Producer { get; private set; } = null!;
        public string Gtin { get; private set; } = "";

        public async ValueTask InitializeAsync()
        {
            Producer = await App.NewProducerAsync();
            Gtin = await Producer.ProductAsync();
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    private static int lotCounter;
    private VerificationApp App => fx.App;
    private HttpClient Public => App.CreateClient();
    private DateTimeOffset Now => App.Time.GetUtcNow();

    private async Task<string> NewLotAsync(DateOnly? expiry = null)
    {
        var lot = "L" + Interlocked.Increment(ref lotCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await fx.Producer.LotAsync(fx.Gtin, lot, expiry);
        return lot;
    }

    private async Task<(string Lot, string Link)> SignedLabelAsync(DateOnly? expiry = null)
    {
        var lot = await NewLotAsync(expiry);
        return (lot, (await fx.Producer.SerialsAsync(fx.Gtin, lot, 1))[0]);
    }

    private static string SerialOf(string link) => link.Split("/21/")[1].Split('?')[0];

    private Task AddScansAsync(string lot, string? serial, params (TimeSpan Ago, string Province)[] scans) =>
        App.Service<IScanStore>().AddScansAsync(scans.Select(s =>
            new ScanRecord(Now - s.Ago, LotKey.Of(fx.Gtin, lot), serial, s.Province, "mobile")).ToList());

    /// <summary>Inspectors' verifies with a place: attested, so they count for impossible travel.</summary>
    private Task AddAttestedScansAsync(string lot, string? serial, params (TimeSpan Ago, string Province)[] scans) =>
        App.Service<IScanStore>().AddScansAsync(scans.Select(s =>
            new ScanRecord(Now - s.Ago, LotKey.Of(fx.Gtin, lot), serial, s.Province, "verify", null, ScanSources.Inspector, Attested: true)).ToList());

    private async Task<HttpClient> InspectorAsync() => App.ClientWithKey(await App.NewInspectorKeyAsync());

    [Fact]
    public async Task A_fresh_signed_label_is_authentic_with_a_valid_signature()
    {
        var (_, link) = await SignedLabelAsync();
        var result = await Public.VerifyAsync(link);
        Assert.Equal("authentic", result.Verdict());
        Assert.Equal(["signature_valid", "registered"], result.ReasonCodes());
        Assert.Equal("active", (string)result["status"]!);
        Assert.Equal(fx.Gtin, (string)result["product"]!["gtin"]!);
        Assert.Null(result["inspection"]);
    }

    [Fact]
    public async Task A_GTIN_that_was_never_registered_is_unknown()
    {
        var result = await Public.VerifyAsync($"(01){fx.Producer.NewGtin14()}(10)FAKE-1");
        Assert.Equal("unknown", result.Verdict());
        Assert.Equal(["product_not_registered"], result.ReasonCodes());
        Assert.Null(result["product"]);
    }

    [Fact]
    public async Task A_lot_that_was_never_registered_is_unknown()
    {
        var result = await Public.VerifyAsync($"https://shop.example.com/01/{fx.Gtin}/10/NOPE-99");
        Assert.Equal("unknown", result.Verdict());
        Assert.Equal(["lot_not_registered"], result.ReasonCodes());
    }

    [Fact]
    public async Task A_serial_that_was_never_issued_is_unknown()
    {
        var lot = await NewLotAsync();
        var result = await Public.VerifyAsync($"{VerificationApp.BaseUrl}/01/{fx.Gtin}/10/{lot}/21/MADEUP123");
        Assert.Equal("unknown", result.Verdict());
        Assert.Equal(["serial_not_issued"], result.ReasonCodes());
    }

    [Fact]
    public async Task A_recalled_lot_is_recalled_with_the_recall_reason()
    {
        var lot = await NewLotAsync();
        Assert.Equal(HttpStatusCode.Created, (await fx.Producer.RecallAsync(fx.Gtin, [lot], "medium", "Dư lượng thuốc BVTV")).StatusCode);
        var result = await Public.VerifyAsync($"(01){fx.Gtin}(10){lot}");
        Assert.Equal("recalled", result.Verdict());
        Assert.Equal(["recalled", "not_proof"], result.ReasonCodes());
        Assert.Contains("Dư lượng thuốc BVTV", (string)result["reasons"]![0]!["message"]!);
        Assert.Equal("medium", (string)result["recall"]!["severity"]!);
    }

    [Fact]
    public async Task A_lot_of_a_suspended_producer_is_suspended()
    {
        var (gtin, _) = await App.SuspendedLotAsync();
        var result = await Public.VerifyAsync($"/01/{gtin}/10/S1");
        Assert.Equal("suspended", result.Verdict());
        Assert.Equal(["producer_suspended", "not_proof"], result.ReasonCodes());
    }

    [Fact]
    public async Task A_lot_past_its_expiry_date_in_Vietnam_is_expired()
    {
        var lot = await NewLotAsync(new DateOnly(2026, 11, 19));
        var result = await Public.VerifyAsync($"(01){fx.Gtin}(10){lot}");
        Assert.Equal("expired", result.Verdict());
        Assert.Equal(["expired", "not_proof"], result.ReasonCodes());
    }

    [Fact]
    public async Task A_tampered_serial_is_invalid_signature()
    {
        var (_, link) = await SignedLabelAsync();
        var serial = SerialOf(link);
        var tampered = link.Replace("/21/" + serial, "/21/" + (serial[0] == 'A' ? 'B' : 'A') + serial[1..]);
        var result = await Public.VerifyAsync(tampered);
        Assert.Equal("invalid_signature", result.Verdict());
        Assert.Equal("signature_invalid", result.ReasonCodes()[0]);
    }

    [Fact]
    public async Task A_bad_signature_wins_over_a_recall()
    {
        var (lot, link) = await SignedLabelAsync();
        await fx.Producer.RecallAsync(fx.Gtin, [lot]);
        var result = await Public.VerifyAsync(link[..^2] + (link[^2] == 'A' ? "B" : "A") + link[^1]);
        Assert.Equal("invalid_signature", result.Verdict());
        Assert.Contains("signature_invalid", result.ReasonCodes());
        Assert.Contains("recalled", result.ReasonCodes());
    }

    [Fact]
    public async Task A_signature_by_an_unpublished_key_is_invalid_signature()
    {
        var (_, link) = await SignedLabelAsync();
        var at = link.IndexOf("sig=", StringComparison.Ordinal) + 4;
        var result = await Public.VerifyAsync(link[..at] + "00000000" + link[link.IndexOf('.', at)..]);
        Assert.Equal("invalid_signature", result.Verdict());
        Assert.Equal("signature_invalid", result.ReasonCodes()[0]);
        Assert.Contains("khóa", (string)result["reasons"]![0]!["message"]!);
    }

    [Fact]
    public async Task A_serial_looked_up_more_than_MaxScansPerSerial_times_is_suspicious()
    {
        var (lot, link) = await SignedLabelAsync();
        await AddScansAsync(lot, SerialOf(link), Enumerable.Range(1, 20).Select(i => (TimeSpan.FromDays(i), "Lai Châu")).ToArray());
        var result = await Public.VerifyAsync(link, "Lai Châu");
        Assert.Equal("suspicious", result.Verdict());
        Assert.Contains("too_many_scans", result.ReasonCodes());
        Assert.Contains("21 thiết bị", (string)result["reasons"]!.AsArray().Single(r => (string)r!["code"]! == "too_many_scans")!["message"]!);
    }

    [Fact]
    public async Task Twenty_lookups_of_a_serial_are_still_authentic()
    {
        var (lot, link) = await SignedLabelAsync();
        await AddScansAsync(lot, SerialOf(link), Enumerable.Range(1, 19).Select(i => (TimeSpan.FromDays(i), "Lai Châu")).ToArray());
        Assert.Equal("authentic", (await Public.VerifyAsync(link, "Lai Châu")).Verdict());
    }

    [Fact]
    public async Task A_serial_scanned_in_Ha_Noi_and_Ho_Chi_Minh_City_half_an_hour_apart_is_suspicious()
    {
        var (lot, link) = await SignedLabelAsync();
        await AddAttestedScansAsync(lot, SerialOf(link), (TimeSpan.FromMinutes(30), "Hà Nội"));
        var result = await (await InspectorAsync()).VerifyAsync(link, "TP Hồ Chí Minh");
        Assert.Equal("suspicious", result.Verdict());
        Assert.Equal(["signature_valid", "impossible_travel"], result.ReasonCodes());
    }

    [Fact]
    public async Task A_serial_that_travelled_Ha_Noi_to_Ho_Chi_Minh_City_in_two_days_is_authentic()
    {
        var (lot, link) = await SignedLabelAsync();
        await AddAttestedScansAsync(lot, SerialOf(link), (TimeSpan.FromDays(2), "Hà Nội"));
        Assert.Equal("authentic", (await (await InspectorAsync()).VerifyAsync(link, "Ho Chi Minh")).Verdict());
    }

    [Fact]
    public async Task Verdicts_and_clone_signals_are_counted_in_the_lookup_metrics()
    {
        var (lot, link) = await SignedLabelAsync();
        await AddAttestedScansAsync(lot, SerialOf(link), (TimeSpan.FromMinutes(30), "Hà Nội"));
        var inspector = await InspectorAsync();
        var counted = new List<(string Instrument, string Tag)>();
        using var listener = new MeterListener
        {
            // Only this app's meter: IMeterFactory scopes each meter to its container.
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == LookupTelemetry.Name && ReferenceEquals(i.Meter.Scope, App.Services.GetRequiredService<IMeterFactory>()))
                    l.EnableMeasurementEvents(i);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key is "verdict" or "kind")
                    lock (counted) counted.Add((i.Name, $"{tag.Key}={tag.Value}"));
        });
        listener.Start();

        await inspector.VerifyAsync(link, "TP Hồ Chí Minh");
        await Public.VerifyAsync($"(01){fx.Gtin}(10)NEVER-REGISTERED");

        Assert.Equal(
            [("lookup.scan.anomalies", "kind=impossible_travel"), ("lookup.verdicts", "verdict=suspicious"), ("lookup.verdicts", "verdict=unknown")],
            counted.OrderBy(c => c.Instrument, StringComparer.Ordinal).ThenBy(c => c.Tag, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_signed_serial_scanned_without_its_signature_is_suspicious()
    {
        var (_, link) = await SignedLabelAsync();
        var result = await Public.VerifyAsync(link[..link.IndexOf('?')]);
        Assert.Equal("suspicious", result.Verdict());
        Assert.Equal(["signature_missing"], result.ReasonCodes());
    }

    [Fact]
    public async Task A_printed_expiry_that_differs_from_the_registered_one_is_suspicious()
    {
        var lot = await NewLotAsync(new DateOnly(2027, 1, 31));
        var result = await Public.VerifyAsync($"(01){fx.Gtin}(17)271231(10){lot}");
        Assert.Equal("suspicious", result.Verdict());
        Assert.Equal(["expiry_mismatch"], result.ReasonCodes());
    }

    [Fact]
    public async Task A_serial_still_scanned_after_its_lot_expired_says_so_beside_the_expired_verdict()
    {
        var (lot, link) = await SignedLabelAsync(new DateOnly(2026, 11, 10));
        await AddScansAsync(lot, SerialOf(link), (TimeSpan.FromDays(20), "Lai Châu"), (TimeSpan.FromDays(3), "Lai Châu"));
        var result = await Public.VerifyAsync(link, "Lai Châu");
        Assert.Equal("expired", result.Verdict());
        Assert.Contains("scanned_after_expiry", result.ReasonCodes());
    }

    [Fact]
    public async Task A_serial_still_scanned_after_its_recall_says_so_beside_the_recalled_verdict()
    {
        var (lot, link) = await SignedLabelAsync();
        await fx.Producer.RecallAsync(fx.Gtin, [lot]);
        var result = await Public.VerifyAsync(link, "Lai Châu");
        Assert.Equal("recalled", result.Verdict());
        Assert.Equal(["signature_valid", "recalled", "scanned_after_recall"], result.ReasonCodes());
    }

    [Fact]
    public async Task Inspectors_get_the_scan_history_and_the_producers_contact()
    {
        var (lot, link) = await SignedLabelAsync();
        await AddScansAsync(lot, SerialOf(link), (TimeSpan.FromDays(3), "Lai Châu"), (TimeSpan.FromHours(2), "Lào Cai"));
        var inspector = App.ClientWithKey(await App.NewInspectorKeyAsync());
        var result = await inspector.VerifyAsync(link, "Lai Châu");
        var inspection = result["inspection"]!;
        Assert.Equal(3, (int)inspection["scans"]!["total"]!);
        Assert.Equal(2, (int)inspection["scans"]!["last24Hours"]!);
        Assert.Equal("Lai Châu", (string)inspection["scans"]!["provinces"]![0]!["province"]!);
        Assert.NotNull((string?)inspection["producer"]!["taxCode"]);
        Assert.Null((await Public.VerifyAsync(link))["inspection"]);
    }

    [Fact]
    public async Task A_bare_GTIN_of_a_registered_product_is_registered_never_authentic()
    {
        var result = await Public.VerifyAsync(fx.Gtin[1..]);
        Assert.Equal("registered", result.Verdict());
        Assert.Equal("registered", (string)result["assurance"]!);
        Assert.Equal(["registered", "not_proof"], result.ReasonCodes());
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("(01)08936004000018(10)X")]
    [InlineData("https://example.com/01/12345678901234")]
    public async Task A_code_that_is_not_a_GS1_code_is_a_400_naming_the_code_field(string code)
    {
        var response = await Public.PostAsJsonAsync("/api/v1/verify", new { code });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]!["code"]);
    }

    [Fact]
    public async Task Unknown_codes_scanned_repeatedly_in_one_province_become_an_alert_for_admins_only()
    {
        // An invented GTIN under a real producer's company prefix: the early-warning engine's durable
        // unknown_codes signal (fed by the scan log writer, so it shows after the writer's next flush).
        var fake = fx.Producer.NewGtin14();
        var elsewhere = fx.Producer.NewGtin14();
        // The decoy first (the writer keeps order): two unknown codes of another GTIN are no cluster.
        for (var i = 0; i < 2; i++) await Public.VerifyAsync($"(01){elsewhere}(10)X{i}", "Lạng Sơn");
        for (var i = 0; i < 5; i++) await Public.VerifyAsync($"(01){fake}(10)X{i}", "Lạng Sơn");
        JsonNode? alert = null;
        for (var round = 0; round < 100 && alert is null; round++)
        {
            if (round > 0) await Task.Delay(100, TestContext.Current.CancellationToken);
            var alerts = (await App.Admin().GetFromJsonAsync<JsonObject>("/api/v1/warnings?scope=alerts"))!["alerts"]!.AsArray();
            alert = alerts.SingleOrDefault(a => (string)a!["code"]! == "01/" + fake);
            if (alert is not null) Assert.DoesNotContain(alerts, a => (string)a!["code"]! == "01/" + elsewhere);
        }
        Assert.NotNull(alert);
        Assert.Equal("Lạng Sơn", (string)alert!["province"]!);
        Assert.Equal(5, (int)alert["count"]!);
        Assert.Equal("unknown_codes", (string)alert["kind"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Public.GetAsync("/api/v1/warnings?scope=alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.Producer.Client.GetAsync("/api/v1/warnings?scope=alerts")).StatusCode);
    }
}
