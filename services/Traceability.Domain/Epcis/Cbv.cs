using System.Collections.Frozen;

namespace Traceability.Domain.Epcis;

/// <summary>The CBV 2.0 vocabularies an event refers to by short term or URI.</summary>
public enum CbvVocabulary { BizStep, Disposition, BizTransactionType, SourceDestType, ErrorReason }

/// <summary>
/// Core Business Vocabulary 2.0 terms. Events carry the short term (`shipping`) when the value is a
/// CBV term, and the full URI otherwise; <see cref="Expand"/> gives the web URI used by the event hash.
/// </summary>
public static class Cbv
{
    public const string BaseUri = "https://ref.gs1.org/cbv/";

    public static IReadOnlyList<string> BizSteps { get; } =
    [
        "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
        "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
        "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
        "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing",
        "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
        "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing",
        "transporting", "unloading", "unpacking", "void_shipping",
    ];

    public static IReadOnlyList<string> Dispositions { get; } =
    [
        "active", "available", "completeness_inferred", "completeness_verified", "conformant",
        "container_closed", "container_open", "damaged", "destroyed", "dispensed", "disposed", "encoded",
        "expired", "in_progress", "in_transit", "inactive", "mismatch_class", "mismatch_instance",
        "mismatch_quantity", "needs_replacement", "no_pedigree_match", "non_conformant",
        "non_sellable_other", "partially_dispensed", "recalled", "reserved", "retail_sold", "returned",
        "sellable_accessible", "sellable_not_accessible", "stolen", "unavailable", "unknown",
    ];

    public static IReadOnlyList<string> BizTransactionTypes { get; } =
        ["bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma", "testprd", "testres", "upevt"];

    public static IReadOnlyList<string> SourceDestTypes { get; } = ["location", "owning_party", "possessing_party"];

    public static IReadOnlyList<string> ErrorReasons { get; } = ["did_not_occur", "incorrect_data"];

    private sealed record Vocab(string WebPrefix, string UrnPrefix, string Label, FrozenSet<string> Terms);

    private static readonly Vocab[] Vocabs =
    [
        new("BizStep-", "urn:epcglobal:cbv:bizstep:", "bizStep", BizSteps.ToFrozenSet(StringComparer.Ordinal)),
        new("Disp-", "urn:epcglobal:cbv:disp:", "disposition", Dispositions.ToFrozenSet(StringComparer.Ordinal)),
        new("BTT-", "urn:epcglobal:cbv:btt:", "business transaction type", BizTransactionTypes.ToFrozenSet(StringComparer.Ordinal)),
        new("SDT-", "urn:epcglobal:cbv:sdt:", "source/destination type", SourceDestTypes.ToFrozenSet(StringComparer.Ordinal)),
        new("ER-", "urn:epcglobal:cbv:er:", "error reason", ErrorReasons.ToFrozenSet(StringComparer.Ordinal)),
    ];

    // Namespaces under which GS1 has published the CBV web vocabulary (current and draft forms).
    private static readonly string[] WebBases = [BaseUri, "https://gs1.org/voc/", "https://ref.gs1.org/voc/", "cbv:", "gs1:"];

    public static bool TryNormalizeBizStep(string? value, out string normalized) =>
        TryNormalize(CbvVocabulary.BizStep, value, out normalized, out _);

    public static bool TryNormalizeDisposition(string? value, out string normalized) =>
        TryNormalize(CbvVocabulary.Disposition, value, out normalized, out _);

    /// <summary>
    /// Accepts a bare term (`shipping`), a CURIE (`cbv:shipping`, `cbv:BizStep-shipping`), the web URI
    /// (`https://ref.gs1.org/cbv/BizStep-shipping`) or the legacy URN (`urn:epcglobal:cbv:bizstep:shipping`)
    /// and returns the bare term; any other absolute URI is a custom value returned unchanged.
    /// An unknown bare word, or an unknown term in a CBV namespace, is rejected.
    /// </summary>
    public static bool TryNormalize(CbvVocabulary vocabulary, string? value, out string normalized, out string? error)
    {
        var vocab = Vocabs[(int)vocabulary];
        normalized = "";
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"The {vocab.Label} is empty.";
            return false;
        }
        value = value.Trim();
        string? term = null;
        var inCbvNamespace = false;
        if (!value.Contains(':'))
        {
            term = value;
        }
        else if (value.StartsWith(vocab.UrnPrefix, StringComparison.OrdinalIgnoreCase))
        {
            term = value[vocab.UrnPrefix.Length..];
            inCbvNamespace = true;
        }
        else
        {
            foreach (var b in WebBases)
            {
                if (!value.StartsWith(b, StringComparison.Ordinal)) continue;
                var rest = value[b.Length..];
                if (rest.StartsWith(vocab.WebPrefix, StringComparison.OrdinalIgnoreCase))
                    term = rest[vocab.WebPrefix.Length..];
                else if (b == "cbv:")
                    term = rest;
                else
                    continue; // another vocabulary under the GS1 namespace: treat as a custom URI below
                inCbvNamespace = true;
                break;
            }
        }

        if (term is not null)
        {
            if (vocab.Terms.Contains(term))
            {
                normalized = term;
                error = null;
                return true;
            }
            error = inCbvNamespace
                ? $"'{value}' is not a CBV 2.0 {vocab.Label}."
                : $"'{value}' is not a CBV 2.0 {vocab.Label}; use a CBV term such as '{vocab.Terms.Order(StringComparer.Ordinal).First()}' or a full URI for a custom value.";
            return false;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            error = $"'{value}' is neither a CBV 2.0 {vocab.Label} nor an absolute URI.";
            return false;
        }
        normalized = value;
        error = null;
        return true;
    }

    /// <summary>The full web URI of a CBV term (`https://ref.gs1.org/cbv/BizStep-shipping`); other values unchanged.</summary>
    public static string Expand(CbvVocabulary vocabulary, string value) =>
        TryNormalize(vocabulary, value, out var term, out _) && !term.Contains(':')
            ? BaseUri + Vocabs[(int)vocabulary].WebPrefix + term
            : value.Trim();

    public static string ExpandBizStep(string value) => Expand(CbvVocabulary.BizStep, value);

    public static string ExpandDisposition(string value) => Expand(CbvVocabulary.Disposition, value);
}
