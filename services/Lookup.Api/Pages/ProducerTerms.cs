namespace Traceability.Lookup.Api.Pages;

/// <summary>
/// Free text a producer or the authority typed in Vietnamese (a category, a unit, a recall reason) as
/// the English page shows it: the common terms translated, anything else kept as typed and marked as
/// Vietnamese, so an English reader is never left guessing whether the page is broken.
/// </summary>
internal static class ProducerTerms
{
    // The words producers use on this service's forms and in the demo data (units as on Vietnamese
    // packaging; categories as in the national portal's product groups).
    private static readonly Dictionary<string, string> English = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hộp"] = "box", ["gói"] = "pack", ["túi"] = "bag", ["chai"] = "bottle", ["lọ"] = "jar", ["hũ"] = "jar",
        ["thùng"] = "carton", ["bao"] = "sack", ["quả"] = "piece (fruit)", ["trái"] = "piece (fruit)", ["bó"] = "bunch",
        ["cái"] = "piece", ["chiếc"] = "piece", ["lon"] = "can", ["khay"] = "tray", ["củ"] = "root", ["con"] = "head",
        ["trái cây"] = "fruit", ["hoa quả"] = "fruit", ["rau"] = "vegetables", ["rau củ"] = "vegetables",
        ["chè"] = "tea", ["trà"] = "tea", ["gạo"] = "rice", ["thịt"] = "meat", ["thủy sản"] = "seafood", ["hải sản"] = "seafood",
        ["dược liệu"] = "medicinal herbs", ["đồ uống"] = "beverage", ["nước giải khát"] = "soft drink", ["mật ong"] = "honey",
        ["gia vị"] = "spices", ["thực phẩm chế biến"] = "processed food", ["nông sản"] = "farm produce", ["cà phê"] = "coffee",
    };

    /// <summary>How the English page shows <paramref name="value"/>: its translation, as typed when it is plain ASCII, or marked Vietnamese.</summary>
    public static (string Text, bool Vietnamese) ForEnglish(string value)
    {
        var v = value.Trim();
        if (English.TryGetValue(v, out var en)) return (en, false);
        return (v, v.Any(c => c > '\u007f'));
    }
}
