namespace Traceability.Lookup.Tests;

/// <summary>
/// Issue 21 (10): the English page translates what producers type in Vietnamese (category, unit) or
/// says it is in Vietnamese; the recall reason likewise. The Vietnamese page shows them as typed.
/// </summary>
public sealed class EnglishTermsTests
{
    private static ProvenanceView View(string? category, string? uom, string reason) => new(
        "https://truyxuat.example.vn/01/08930000000019/10/L1", "recalled",
        new ProductView("08930000000019", new NameView("Cam sành", "King orange"), null, null, [], [], category),
        new ProducerView("HTX Cam sành", "Phù Lưu", "Tuyên Quang"),
        new LotView("L1", null, null, 12m, uom), null, [], [], [],
        new RecallView(reason, "high", new DateTimeOffset(2026, 11, 15, 2, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Known_terms_are_translated_and_others_are_marked_vietnamese_on_the_english_page()
    {
        var html = ProvenancePage.Render(View("Trái cây", "hộp", "Nhiễm nấm mốc"), "en");

        Assert.Contains("<dt>Category</dt><dd>fruit</dd>", html);
        Assert.Contains("<dt>Quantity</dt><dd>12 box</dd>", html);
        Assert.Contains("Reason: <span lang=\"vi\">Nhiễm nấm mốc</span> (in Vietnamese, as the producer gave it)", html);
    }

    [Fact]
    public void An_unknown_vietnamese_category_is_kept_and_marked_while_plain_english_is_left_alone()
    {
        var html = ProvenancePage.Render(View("Đặc sản vùng cao", "kg", "Sai nhãn"), "en");

        Assert.Contains("<dd><span lang=\"vi\">Đặc sản vùng cao</span> (in Vietnamese, as the producer gave it)</dd>", html);
        Assert.Contains("<dd>12 kg</dd>", html);
    }

    [Fact]
    public void The_vietnamese_page_shows_the_terms_as_typed()
    {
        var html = ProvenancePage.Render(View("Trái cây", "hộp", "Nhiễm nấm mốc"), "vi");

        Assert.Contains("<dd>Trái cây</dd>", html);
        Assert.Contains("<dd>12 hộp</dd>", html);
        Assert.DoesNotContain("in Vietnamese", html);
    }
}
