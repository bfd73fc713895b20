using Traceability.ProducerConsole.Events;
using Traceability.ProducerConsole.Import;
using Traceability.ProducerConsole.Web;
using static Traceability.ProducerConsole.Web.Html;

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

public sealed class HtmlTests
{
    [Fact]
    public void Interpolated_text_is_encoded_and_nested_markup_is_not()
    {
        var name = "<script>alert('x')</script> Cam sành";
        var html = H($"<p title=\"{name}\">{H($"<b>{name}</b>")}</p>");
        Assert.DoesNotContain("<script>", html.Value);
        Assert.Contains("&lt;script&gt;", html.Value);
        Assert.Contains("<b>", html.Value);
        Assert.Contains("Cam sành", html.Value); // Vietnamese stays readable
    }

    [Fact]
    public void English_service_messages_are_translated_for_Vietnamese_users()
    {
        Assert.Equal("Số kiểm tra của GTIN sai: phải là 3, đang là 4.", new Ui("vi").Error("GTIN check digit is wrong: expected 3, found 4."));
        Assert.Equal("GTIN check digit is wrong: expected 3, found 4.", new Ui("en").Error("GTIN check digit is wrong: expected 3, found 4."));
        Assert.Equal("Something new.", new Ui("vi").Error("Something new."));
    }
}

public sealed class HtmlListTests
{
    [Fact]
    public void A_list_of_markup_is_written_as_markup()
    {
        var rows = new List<Html> { H($"<tr><td>{"a<b"}</td></tr>"), H($"<tr><td>2</td></tr>") };
        Assert.Equal("<tbody><tr><td>a&lt;b</td></tr><tr><td>2</td></tr></tbody>", H($"<tbody>{rows}</tbody>").Value);
    }
}
