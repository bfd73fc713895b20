using Traceability.ProducerConsole.Events;
using Traceability.ProducerConsole.Import;
using Traceability.ProducerConsole.Web;

namespace Traceability.ProducerConsole.Tests;

public sealed class StepTests
{
    [Theory]
    [InlineData("thu hoạch", "commissioning", "ObjectEvent")]
    [InlineData("Thu Hoach", "commissioning", "ObjectEvent")]
    [InlineData("commissioning", "commissioning", "ObjectEvent")]
    [InlineData("sơ chế", "commissioning", "TransformationEvent")]
    [InlineData("chế biến", "commissioning", "TransformationEvent")]
    [InlineData("transformation", "commissioning", "TransformationEvent")]
    [InlineData("đóng gói", "packing", "ObjectEvent")]
    [InlineData("vận chuyển", "shipping", "ObjectEvent")]
    [InlineData("nhận hàng", "receiving", "ObjectEvent")]
    [InlineData("lưu kho", "storing", "ObjectEvent")]
    [InlineData("bán lẻ", "retail_selling", "ObjectEvent")]
    [InlineData("retail_selling", "retail_selling", "ObjectEvent")]
    [InlineData("Shipping", "shipping", "ObjectEvent")]
    public void Vietnamese_labels_English_names_and_CBV_terms_map_to_the_CBV_step(string text, string bizStep, string type)
    {
        var step = Step.Find(text);
        Assert.NotNull(step);
        Assert.Equal(bizStep, step.BizStep);
        Assert.Equal(type, step.EventType);
    }

    [Theory]
    [InlineData("phơi khô")]
    [InlineData("destroying")]
    [InlineData("")]
    public void Unknown_steps_are_not_guessed(string text) => Assert.Null(Step.Find(text));
}

public sealed class ImportTimeTests
{
    [Theory]
    [InlineData("2026-11-23T08:30", "2026-11-23T08:30:00+07:00")]
    [InlineData("23/11/2026 08:30", "2026-11-23T08:30:00+07:00")]
    [InlineData("2026-11-23 08:30:15", "2026-11-23T08:30:15+07:00")]
    [InlineData("2026-11-23T01:30:00Z", "2026-11-23T01:30:00+00:00")]
    [InlineData("2026-11-23T08:30:00.500+09:00", "2026-11-23T08:30:00.5+09:00")]
    public void Times_without_an_offset_are_Vietnam_time_and_given_offsets_are_kept(string text, string expected)
    {
        var parsed = ImportValidator.ParseTime(text);
        Assert.Equal(DateTimeOffset.Parse(expected), parsed);
        Assert.Equal(DateTimeOffset.Parse(expected).Offset, parsed!.Value.Offset);
    }

    [Theory]
    [InlineData("31/02/2026 08:00")]
    [InlineData("hôm qua")]
    [InlineData("2026-13-01T08:00")]
    public void Impossible_times_are_rejected(string text) => Assert.Null(ImportValidator.ParseTime(text));
}

/// <summary>
/// The pages are Razor components: what a producer typed is encoded wherever it is shown, and
/// Vietnamese letters stay readable in the page source (the host's encoder allows every Unicode range).
/// </summary>
public sealed class PageEncodingTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    [Fact]
    public async Task Typed_text_is_encoded_and_Vietnamese_stays_readable()
    {
        var producer = await fixture.App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var name = "<script>alert('x')</script> Cam sành";
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/products/new", "/console/products/new",
            new() { ["gtin"] = producer.NewGtin(), ["name.vi"] = name, ["unit"] = "kg" })).StatusCode);
        var html = await browser.GetPageAsync("/console/products");
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("Cam sành", html);
    }
}

public sealed class ServiceMessageTests
{
    [Fact]
    public void English_service_messages_are_translated_for_Vietnamese_users()
    {
        Assert.Equal("Số kiểm tra của GTIN sai: phải là 3, đang là 4.", ServiceMessages.Translate("GTIN check digit is wrong: expected 3, found 4.", english: false));
        Assert.Equal("GTIN check digit is wrong: expected 3, found 4.", ServiceMessages.Translate("GTIN check digit is wrong: expected 3, found 4.", english: true));
        Assert.Equal("Something new.", ServiceMessages.Translate("Something new.", english: false));
    }
}

public sealed class LocalTextTests
{
    private static readonly Microsoft.Extensions.Localization.IStringLocalizer<ConsoleTexts> Texts =
        new Microsoft.Extensions.Localization.StringLocalizer<ConsoleTexts>(new Microsoft.Extensions.Localization.ResourceManagerStringLocalizerFactory(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Localization.LocalizationOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

    private static string In(string lang, Func<string> render)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(lang);
        try { return render(); }
        finally { System.Globalization.CultureInfo.CurrentUICulture = before; }
    }

    [Fact]
    public void A_jobs_message_and_row_errors_go_through_the_store_as_keys_and_render_in_the_readers_language()
    {
        var job = new ImportJob("j1", "p1", "lo.csv", "vi", DateTimeOffset.UtcNow)
        {
            Phase = ImportPhase.Failed,
            Message = [LocalText.Of("Import_ChunkFailed", 3, 7), LocalText.Service("GTIN check digit is wrong: expected 3, found 4."), LocalText.Of("Import_NothingStored")],
        };
        job.AddError(4, "bizStep", LocalText.Of("Import_StepUnknown", "phơi khô"));
        var record = job.ToRecord(DateTimeOffset.UtcNow);
        Assert.DoesNotContain("Lưu các dòng", record.Message);   // stored as keys, not as one language's sentence
        var back = ImportJob.FromRecord(record);

        Assert.Equal("Lưu các dòng 3–7 thất bại: Số kiểm tra của GTIN sai: phải là 3, đang là 4. Chưa có dòng nào được lưu.",
            In("vi", () => LocalText.Render(back.Message!, Texts)));
        Assert.Equal("Storing rows 3–7 failed: GTIN check digit is wrong: expected 3, found 4. No row was stored.",
            In("en", () => LocalText.Render(back.Message!, Texts)));
        var error = Assert.Single(Assert.Single(back.Errors()).Errors);
        Assert.Equal(("bizStep", "Unknown step: 'phơi khô'."), (error.Column, In("en", () => error.Message.Render(Texts))));
    }

    [Fact]
    public void A_message_an_earlier_version_stored_as_text_is_shown_as_it_is()
    {
        var record = new Traceability.Storage.ImportJobRecord("j2", "p1", "lo.csv", "vi", DateTimeOffset.UtcNow)
        {
            Phase = "Invalid", Version = 2, Message = "Tệp không có dòng dữ liệu nào.",
            Details = """{"preview":[],"errors":[{"row":5,"errors":[{"column":"gtin","message":"Chưa nhập GTIN."}]}],"cells":[]}""",
        };
        var job = ImportJob.FromRecord(record);
        Assert.Equal("Tệp không có dòng dữ liệu nào.", In("en", () => LocalText.Render(job.Message!, Texts)));
        Assert.Equal("Chưa nhập GTIN.", In("vi", () => Assert.Single(Assert.Single(job.Errors()).Errors).Message.Render(Texts)));
    }
}
