namespace Traceability.Domain.Epcis;

public static partial class EventHash
{
    /// <summary>Writes one event's pre-hash string: each field in its canonical form, in the order the hash fixes.</summary>
    private sealed class Builder(Dictionary<string, string> ns)
    {
        /// <summary>Canonical value: GS1 CURIEs expanded, legacy CBV URNs as web URIs, numbers trimmed, GS1 keys as DL.</summary>
        public string Canon(string text)
        {
            if (text.Length == 0) return text;
            var colon = text.IndexOf(':');
            if (colon > 0 && ns.TryGetValue(text[..colon], out var uri)
                && (uri.StartsWith("https://ref.gs1.org", StringComparison.Ordinal) || uri.StartsWith("https://gs1.org", StringComparison.Ordinal)))
                text = uri + text[(colon + 1)..];
            if (text.StartsWith("urn:epcglobal:cbv:", StringComparison.Ordinal))
                foreach (var (urn, web) in LegacyVocabularies)
                    text = text.Replace(urn, web, StringComparison.Ordinal);
            text = FormatNumeric(text);
            if ((text.StartsWith("urn:epc:", StringComparison.Ordinal) || text.StartsWith("http", StringComparison.Ordinal))
                && EpcIdentifier.TryParse(text, out var id, out _))
                return id.HashUri;
            return text;
        }

        public string ExpandName(string name)
        {
            var colon = name.IndexOf(':');
            return colon > 0 && ns.TryGetValue(name[..colon], out var uri) ? "{" + uri + "}" + name[(colon + 1)..] : name;
        }

        private string Field(string name, JsonElement v)
        {
            var text = Text(v);
            if (text.Length == 0) return "";
            text = IsTimeName(name) ? FixTimestamp(text) : Canon(text);
            return text.Length == 0 ? "" : name + "=" + text;
        }

        // The reference treats every field whose name contains "time" (but not "offset") as a timestamp.
        // Ordinal checks on purpose: OrdinalIgnoreCase Contains goes through ICU and costs ~20 µs a call.
        private static bool IsTimeName(string name) =>
            (name.Contains("time", StringComparison.Ordinal) || name.Contains("Time", StringComparison.Ordinal))
            && !name.Contains("offset", StringComparison.Ordinal) && !name.Contains("Offset", StringComparison.Ordinal);

        public void Scalar(StringBuilder sb, JsonElement e, string name)
        {
            if (e.TryGetProperty(name, out var v)) sb.Append(Field(name, v));
        }

        public void Vocabulary(StringBuilder sb, JsonElement e, string name, CbvVocabulary vocabulary)
        {
            if (e.TryGetProperty(name, out var v) && Text(v) is { Length: > 0 } text)
                sb.Append(name).Append('=').Append(Canon(Cbv.Expand(vocabulary, text)));
        }

        public void EpcList(StringBuilder sb, JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var list)) return;
            if (list.ValueKind != JsonValueKind.Array)
            {
                sb.Append(Field(name, list)); // parentID
                return;
            }
            var values = list.EnumerateArray().Select(x => Field("epc", x)).Where(x => x.Length > 0).ToList();
            AppendSorted(sb, name, values);
        }

        public void Quantities(StringBuilder sb, JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array) return;
            var values = new List<string>();
            foreach (var q in list.EnumerateArray())
            {
                if (q.ValueKind != JsonValueKind.Object) continue;
                var s = new StringBuilder();
                foreach (var f in (string[])["epcClass", "quantity", "uom"])
                    if (q.TryGetProperty(f, out var v)) s.Append(Field(f, v));
                if (s.Length > 0) values.Add("quantityElement" + s);
            }
            AppendSorted(sb, name, values);
        }

        public void PersistentDisposition(StringBuilder sb, JsonElement e)
        {
            if (!e.TryGetProperty("persistentDisposition", out var pd) || pd.ValueKind != JsonValueKind.Object) return;
            var s = new StringBuilder();
            foreach (var part in (string[])["set", "unset"])
            {
                if (!pd.TryGetProperty(part, out var list)) continue;
                var items = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [list];
                var values = items.Select(x => Text(x)).Where(x => x.Length > 0)
                    .Select(x => part + "=" + Canon(Cbv.Expand(CbvVocabulary.Disposition, x))).ToList();
                values.Sort(StringComparer.Ordinal);
                foreach (var v in values) s.Append(v);
            }
            if (s.Length > 0) sb.Append("persistentDisposition").Append(s);
        }

        public void IdObject(StringBuilder sb, JsonElement e, string name)
        {
            if (e.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty("id", out var id)
                && Field("id", id) is { Length: > 0 } f)
                sb.Append(name).Append(f);
        }

        public void TypedList(StringBuilder sb, JsonElement e, string name, string valueName, CbvVocabulary vocabulary)
        {
            if (!e.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array) return;
            var values = new List<string>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                var s = new StringBuilder();
                if (item.TryGetProperty("type", out var type) && Text(type) is { Length: > 0 } tt)
                    s.Append("type=").Append(Canon(Cbv.Expand(vocabulary, tt)));
                if (item.TryGetProperty(valueName, out var value)) s.Append(Field(valueName, value));
                if (s.Length > 0) values.Add(s.ToString());
            }
            AppendSorted(sb, name, values);
        }

        public void Sensors(StringBuilder sb, JsonElement e)
        {
            if (!e.TryGetProperty("sensorElementList", out var list) || list.ValueKind != JsonValueKind.Array) return;
            var elements = new List<string>();
            foreach (var element in list.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object) continue;
                var s = new StringBuilder();
                if (element.TryGetProperty("sensorMetadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                    && Ordered(meta, SensorMetadataOrder) is { Length: > 0 } m)
                    s.Append("sensorMetadata").Append(m);
                if (element.TryGetProperty("sensorReport", out var reports))
                {
                    var items = reports.ValueKind == JsonValueKind.Array ? reports.EnumerateArray().ToList() : [reports];
                    var rs = items.Where(r => r.ValueKind == JsonValueKind.Object)
                        .Select(r => Ordered(r, SensorReportOrder)).Where(r => r.Length > 0).Select(r => "sensorReport" + r).ToList();
                    rs.Sort(StringComparer.Ordinal);
                    foreach (var r in rs) s.Append(r);
                }
                if (s.Length > 0) elements.Add("sensorElement" + s);
            }
            elements.Sort(StringComparer.Ordinal);
            // CBV 2.0 has no "sensorElementList" wrapper name in the pre-hash.
            foreach (var x in elements) sb.Append(x);
        }

        private string Ordered(JsonElement o, string[] order)
        {
            var s = new StringBuilder();
            foreach (var name in order)
                if (o.TryGetProperty(name, out var v))
                    s.Append(name is "type" or "exception" && Text(v) is { Length: > 0 } t ? name + "=" + GS1Term(t) : Field(name, v));
            return s.ToString();
        }

        // A bare measurement type (`Temperature`) or exception (`ALARM_CONDITION`) is a GS1 web vocabulary term.
        private string GS1Term(string term) => term.Contains(':') ? Canon(term) : "https://ref.gs1.org/voc/" + term;

        private static void AppendSorted(StringBuilder sb, string name, List<string> values)
        {
            if (values.Count == 0) return;
            values.Sort(StringComparer.Ordinal);
            sb.Append(name);
            foreach (var v in values) sb.Append(v);
        }

        /// <summary>One generic element (ILMD, extension): `{ns}name=value` followed by its sorted children.</summary>
        public string Generic(string name, JsonElement v)
        {
            var expanded = ExpandName(name);
            if (v.ValueKind != JsonValueKind.Object)
            {
                var text = Text(v);
                return text.Length == 0 ? expanded : expanded + "=" + Canon(text);
            }
            var sb = new StringBuilder(expanded);
            if (v.TryGetProperty("#text", out var inner) && Text(inner) is { Length: > 0 } it)
                sb.Append('=').Append(Canon(it));
            var children = new List<string>();
            var keepOrder = false;
            foreach (var p in v.EnumerateObject())
            {
                if (p.Name is "#text" or "comment" or "rdfs:comment" || p.Name.StartsWith("@", StringComparison.Ordinal)) continue;
                keepOrder |= p.Name is "bizTransaction" or "source" or "destination";
                GenericChildren(p.Name, p.Value, children);
            }
            if (!keepOrder) children.Sort(StringComparer.Ordinal);
            foreach (var c in children) sb.Append(c);
            return sb.ToString();
        }

        /// <summary>An array becomes one element per item, each with the array's name (as in XML).</summary>
        public void GenericChildren(string name, JsonElement v, List<string> into)
        {
            if (v.ValueKind == JsonValueKind.Array)
                foreach (var item in v.EnumerateArray()) into.Add(Generic(name, item));
            else
                into.Add(Generic(name, v));
        }
    }
}
