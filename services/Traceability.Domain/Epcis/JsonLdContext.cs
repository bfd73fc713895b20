namespace Traceability.Domain.Epcis;

/// <summary>Reads namespace prefixes (`"ex": "https://ns.example.com/epcis/"`) from a JSON-LD @context.</summary>
public static class JsonLdContext
{
    public static void Collect(JsonElement context, IDictionary<string, string> into)
    {
        switch (context.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in context.EnumerateArray()) Collect(item, into);
                break;
            case JsonValueKind.Object:
                foreach (var p in context.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String && !p.Name.StartsWith('@'))
                        into[p.Name] = p.Value.GetString()!;
                break;
        }
    }
}
