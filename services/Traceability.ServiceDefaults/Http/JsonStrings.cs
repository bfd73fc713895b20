using System.Text.Json;
using System.Text.Unicode;

namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// Finds a string that cannot become .NET text: invalid UTF-8 inside a JSON string, or a lone
/// surrogate escape (<c>"\ud800"</c>). <see cref="JsonDocument"/> accepts both and only
/// <see cref="JsonElement.GetString"/> throws, deep inside whatever reads the field; checking once
/// after parsing turns them into a 400 naming the field.
/// </summary>
public static class JsonStrings
{
    /// <summary>The path (<c>epcisBody.eventList[0].ilmd.ex:note</c>, <c>$</c> for the root) of the first such string, or null.</summary>
    public static string? FindInvalid(ReadOnlySpan<byte> utf8, JsonElement root) =>
        // The scan of the raw bytes is vectorised; walking the tree is paid only by suspicious bodies.
        Utf8.IsValid(utf8) && !HasSurrogateEscape(utf8) ? null : Walk(root, "");

    private static bool HasSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        for (var at = utf8.IndexOf("\\u"u8); at >= 0 && at + 3 < utf8.Length; )
        {
            if ((utf8[at + 2] | 0x20) == 'd' && utf8[at + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
                return true;
            var next = utf8[(at + 2)..].IndexOf("\\u"u8);
            at = next < 0 ? -1 : at + 2 + next;
        }
        return false;
    }

    private static string? Walk(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(element) ? null : Named(path);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return Named(path); }
                    if (Walk(property.Value, path.Length == 0 ? name : path + "." + name) is { } found) return found;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (Walk(item, $"{path}[{i++}]") is { } found) return found;
                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Named(string path) => path.Length == 0 ? "$" : path;

    public const string Message = "The text is not valid Unicode (invalid UTF-8, or a lone surrogate escape such as \\ud800).";
}
