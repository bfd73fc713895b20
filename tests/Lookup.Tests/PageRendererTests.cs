using System.Globalization;

namespace Traceability.Lookup.Tests;

/// <summary>
/// Issue 17: the pages are Razor components rendered once into the cached bytes. Many renders run at
/// once on a busy host: each must speak its own language, and none may change the caller's culture.
/// </summary>
public sealed class PageRendererTests
{
    private static readonly ProvenanceView View = new(
        "https://truyxuat.example.vn/01/08930000000019/10/L1", "active",
        new ProductView("08930000000019", new NameView("Cam sành", "King orange"), null, null, [], [], null),
        new ProducerView("HTX Cam sành", "Phù Lưu", "Tuyên Quang"),
        new LotView("L1", null, null, null, null), null,
        [new EventView(new DateTimeOffset(2026, 11, 15, 2, 0, 0, TimeSpan.Zero), "ObjectEvent", "ADD", "commissioning", "active", null)],
        [], [], null);

    [Fact]
    public void Concurrent_renders_each_keep_their_language_and_leave_the_callers_culture_alone()
    {
        var before = CultureInfo.CurrentUICulture;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var en = i % 2 == 0;
            var html = ProvenancePage.Render(View, en ? "en" : "vi");
            Assert.Contains(en ? "<html lang=\"en\">" : "<html lang=\"vi\">", html);
            Assert.Contains(en ? "<strong>Harvest / production</strong>" : "<strong>Thu hoạch / sản xuất</strong>", html);
            Assert.Contains(en ? "<h1>King orange</h1>" : "<h1>Cam sành</h1>", html);
            Assert.DoesNotContain(en ? "Hành trình sản phẩm" : "Product journey", html);
        });
        Assert.Equal(before, CultureInfo.CurrentUICulture);
    }

    [Fact]
    public void Vietnamese_letters_are_written_as_themselves_and_markup_is_encoded()
    {
        var html = ProvenancePage.Render(View with { Producer = new ProducerView("HTX <b>Cam</b> & Quýt", "Phù Lưu", "Tuyên Quang") }, "vi");

        Assert.Contains("Hành trình sản phẩm", html);
        Assert.DoesNotContain("&#x", html.Replace("&#x2B;", "", StringComparison.Ordinal)); // only the + of the time offset
        Assert.Contains("HTX &lt;b&gt;Cam&lt;/b&gt; &amp; Quýt", html);
    }
}
