namespace Traceability.Domain.Epcis;

public static partial class EpcisJson
{
    /// <summary>
    /// Reads the values of an event's fields (strings, objects, locations, EPC lists, quantity and typed
    /// lists), each checked as the binding requires, adding an error at the field's path for each bad
    /// one. A struct, as the local functions it replaces were: parsing an event allocates nothing for it.
    /// </summary>
    private readonly struct FieldReader(string prefix, ErrorBag errors, EpcIdMemo identifiers)
    {
        public void Err(string field, string message) => errors.Add(prefix + field, message);

        public string? String(JsonElement v, string field)
        {
            if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s) return s;
            Err(field, $"The {field} must be a non-empty string.");
            return null;
        }

        public JsonObject? Object(JsonElement v, string field)
        {
            if (v.ValueKind == JsonValueKind.Object) return JsonObject.Create(v.Clone());
            Err(field, $"The {field} must be an object.");
            return null;
        }

        public string? Location(JsonElement v, string field)
        {
            if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || id.GetString() is not { Length: > 0 } s)
            {
                Err(field, $"The {field} must be an object with an \"id\" URI.");
                return null;
            }
            if (s.StartsWith("urn:epc:", StringComparison.Ordinal)
                || (s.StartsWith("http", StringComparison.OrdinalIgnoreCase) && s.Contains("/414/", StringComparison.Ordinal)))
            {
                if (!identifiers.TryParse(s, out _, out var le))
                {
                    Err(field + ".id", le!);
                    return null;
                }
            }
            else if (!Uri.TryCreate(s, UriKind.Absolute, out _))
            {
                Err(field + ".id", $"'{s}' is not an absolute URI (e.g. urn:epc:id:sgln:… or a GS1 Digital Link …/414/{{gln}}).");
                return null;
            }
            return s;
        }

        public IReadOnlyList<string> Epcs(JsonElement v, string field)
        {
            if (v.ValueKind != JsonValueKind.Array)
            {
                Err(field, $"The {field} must be an array of EPC URIs or Digital Links.");
                return [];
            }
            var result = new List<string>(v.GetArrayLength());
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } s)
                    Err($"{field}[{i}]", "Each EPC must be a string.");
                else if (!identifiers.TryParse(s, out _, out var ee))
                    Err($"{field}[{i}]", ee!);
                else
                    result.Add(s);
                i++;
            }
            return result;
        }

        public IReadOnlyList<QuantityElement> Quantities(JsonElement v, string field)
        {
            if (v.ValueKind != JsonValueKind.Array)
            {
                Err(field, $"The {field} must be an array of {{epcClass, quantity, uom}} objects.");
                return [];
            }
            var result = new List<QuantityElement>(v.GetArrayLength());
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                var path = $"{field}[{i++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Err(path, "Each quantity element must be an object.");
                    continue;
                }
                var ok = true;
                string? epcClass = null, uom = null;
                decimal? quantity = null;
                if (!item.TryGetProperty("epcClass", out var c) || c.ValueKind != JsonValueKind.String || c.GetString() is not { Length: > 0 } cs)
                {
                    Err(path + ".epcClass", "The epcClass is missing.");
                    ok = false;
                }
                else if (!identifiers.TryParse(cs, out _, out var ce))
                {
                    Err(path + ".epcClass", ce!);
                    ok = false;
                }
                else epcClass = cs;
                if (item.TryGetProperty("quantity", out var q))
                {
                    if (q.ValueKind != JsonValueKind.Number || !q.TryGetDecimal(out var d) || d < 0)
                    {
                        Err(path + ".quantity", "The quantity must be a non-negative number.");
                        ok = false;
                    }
                    else quantity = d;
                }
                if (item.TryGetProperty("uom", out var u))
                {
                    if (u.ValueKind != JsonValueKind.String || u.GetString() is not { Length: >= 1 and <= 3 } us)
                    {
                        Err(path + ".uom", "The uom must be a UN/CEFACT Rec. 20 code of 1–3 characters (e.g. KGM).");
                        ok = false;
                    }
                    else if (quantity is null)
                    {
                        Err(path + ".uom", "A uom needs a quantity.");
                        ok = false;
                    }
                    else uom = us;
                }
                if (ok) result.Add(new QuantityElement(epcClass!, quantity, uom));
            }
            return result;
        }

        public IReadOnlyList<TypedValue> Typed(JsonElement v, string field, string valueName, CbvVocabulary vocabulary)
        {
            if (v.ValueKind != JsonValueKind.Array)
            {
                Err(field, $"The {field} must be an array of {{type, {valueName}}} objects.");
                return [];
            }
            var result = new List<TypedValue>();
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                var path = $"{field}[{i++}]";
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(valueName, out var val)
                    || val.ValueKind != JsonValueKind.String || val.GetString() is not { Length: > 0 } value)
                {
                    Err(path, $"Each element needs a \"{valueName}\" URI.");
                    continue;
                }
                string? typeTerm = null;
                if (item.TryGetProperty("type", out var t))
                {
                    string? te = "The type must be a string.";
                    if (t.ValueKind != JsonValueKind.String || !Cbv.TryNormalize(vocabulary, t.GetString(), out var n, out te))
                    {
                        Err(path + ".type", te!);
                        continue;
                    }
                    typeTerm = n;
                }
                else if (vocabulary == CbvVocabulary.SourceDestType)
                {
                    Err(path + ".type", "A source or destination needs a type (possessing_party, owning_party or location).");
                    continue;
                }
                result.Add(new TypedValue(typeTerm, value));
            }
            return result;
        }
    }
}
