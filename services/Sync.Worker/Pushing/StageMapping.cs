namespace Traceability.Sync.Pushing;

/// <summary>
/// EPCIS bizStep (+ the location's kind) → the portal's congDoan. The table is in
/// services/Sync.Worker/README.md; keep both in step.
/// </summary>
public static class StageMapping
{
    public static string For(string? bizStep, string? locationKind)
    {
        var step = Short(bizStep);
        return step switch
        {
            "commissioning" => locationKind == "processing" ? "lenhSanXuat" : "vungTrong",
            "transforming" or "packing" or "repackaging" or "assembling" or "disassembling" or "unpacking"
                or "creating_class_instance" or "commissioning_class" => "cheBien",
            "shipping" or "departing" or "arriving" or "transporting" or "loading" or "unloading" => "vanChuyen",
            "storing" or "stocking" or "picking" or "staging_outbound" => locationKind == "store" ? "cuaHang" : "khoTong",
            "receiving" or "accepting" => locationKind switch
            {
                "warehouse" => "khoTong",
                "store" => "cuaHang",
                "processing" => "cheBien",
                _ => "daiLy",
            },
            "retail_selling" or "selling" => "cuaHang",
            _ => ByLocation(locationKind),
        };
    }

    /// <summary>Any other step (inspecting, sampling, holding, …): where it happened decides.</summary>
    private static string ByLocation(string? locationKind) => locationKind switch
    {
        "farm" or "growing_area" => "vungTrong",
        "warehouse" => "khoTong",
        "store" => "cuaHang",
        _ => "cheBien",
    };

    /// <summary>CBV bizStep in any of its spellings → the bare term ("shipping").</summary>
    private static string Short(string? bizStep)
    {
        if (string.IsNullOrEmpty(bizStep))
            return "";
        var s = bizStep;
        var dash = s.LastIndexOf("BizStep-", StringComparison.OrdinalIgnoreCase);
        if (dash >= 0)
            s = s[(dash + "BizStep-".Length)..];
        else if (s.LastIndexOf(':') is var colon and >= 0)
            s = s[(colon + 1)..];
        return s.ToLowerInvariant();
    }
}
