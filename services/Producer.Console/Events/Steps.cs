using System.Text;

namespace Traceability.ProducerConsole.Events;

/// <summary>
/// A step of a lot's life as producers name it, and the EPCIS event it becomes. Harvest is an
/// ObjectEvent ADD with bizStep commissioning (DESIGN §3); processing is a TransformationEvent
/// (inputs → outputs), with bizStep commissioning as in the demo data; the others are ObjectEvent
/// OBSERVE with the CBV bizStep and the disposition the demo data uses.
/// </summary>
public sealed record Step(string Key, string Vi, string En, string BizStep, string Disposition, bool IsTransformation = false)
{
    public string EventType => IsTransformation ? "TransformationEvent" : "ObjectEvent";

    public string? Action => IsTransformation ? null : BizStep == "commissioning" ? "ADD" : "OBSERVE";

    public string Label(string lang) => lang == "en" ? En : Vi;

    /// <summary>Shipping names where the goods go (the EPCIS destinationList).</summary>
    public bool IsShipping => BizStep == "shipping";

    /// <summary>Receiving and retail may happen at a partner's place, named by its GLN, rather than at one of the producer's locations.</summary>
    public bool AtPartner => BizStep is "receiving" or "retail_selling";

    public static readonly Step Harvest = new("harvest", "Thu hoạch", "Harvest", "commissioning", "active");
    public static readonly Step Processing = new("processing", "Sơ chế / chế biến", "Processing", "commissioning", "active", IsTransformation: true);

    public static IReadOnlyList<Step> All { get; } =
    [
        Harvest,
        Processing,
        new("packing", "Đóng gói", "Packing", "packing", "in_progress"),
        new("shipping", "Vận chuyển", "Shipping", "shipping", "in_transit"),
        new("receiving", "Nhận hàng", "Receiving", "receiving", "in_progress"),
        new("storing", "Lưu kho", "Storing", "storing", "in_progress"),
        new("retail", "Bán lẻ", "Retail", "retail_selling", "retail_sold"),
    ];

    /// <summary>
    /// A step from a form or spreadsheet cell: our key (<c>shipping</c>), the Vietnamese or English
    /// label with or without accents (<c>vận chuyển</c>, <c>van chuyen</c>), or the CBV bizStep
    /// (<c>retail_selling</c>, <c>commissioning</c> = harvest). Null when it is none of these.
    /// </summary>
    public static Step? Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var key = Fold(text);
        if (key is "transformation" or "transformationevent" or "che bien" or "so che") return Processing;
        foreach (var s in All)
        {
            if (key == s.Key || key == Fold(s.En) || key == Fold(s.Vi) || (!s.IsTransformation && key == s.BizStep)) return s;
            if (s.Vi.Contains('/') && s.Vi.Split('/').Any(part => key == Fold(part))) return s;
        }
        return null;
    }

    /// <summary>Lower case, no Vietnamese diacritics, single spaces.</summary>
    internal static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
