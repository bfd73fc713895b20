using System.Text.Json.Serialization;

namespace Traceability.ProducerConsole.Web;

/// <summary>
/// A text to show later, in the language of whoever reads it: a <see cref="ConsoleTexts"/> key with its
/// arguments, or (no key) a shared service's English message, which <see cref="ServiceMessages"/> renders.
/// Import jobs keep these instead of rendered strings: a job runs in the background, after its
/// request, and is read from the store by any host, by a reader who may have switched language since.
/// Stored as JSON; a plain string (a message an earlier version rendered) reads as a service message,
/// which is shown as it is.
/// </summary>
[JsonConverter(typeof(LocalTextJson))]
public sealed record LocalText(string? Key, IReadOnlyList<string> Args)
{
    /// <summary>A resource text; its arguments are kept as invariant strings (numbers as the pages always showed them).</summary>
    public static LocalText Of(string key, params object[] args) =>
        new(key, [.. args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "")]);

    /// <summary>A message of a shared service (English; shown in Vietnamese where <see cref="ServiceMessages"/> knows it).</summary>
    public static LocalText Service(string message) => new(null, [message]);

    /// <summary>The text in the current request's language.</summary>
    public string Render(IStringLocalizer<ConsoleTexts> texts) =>
        Key is null ? ServiceMessages.Translate(Args[0]) : texts.Format(Key, [.. Args]);

    /// <summary>Several texts read as one message (sentences joined by a space).</summary>
    public static string Render(IEnumerable<LocalText> parts, IStringLocalizer<ConsoleTexts> texts) =>
        string.Join(" ", parts.Select(p => p.Render(texts)));

    private sealed class LocalTextJson : JsonConverter<LocalText>
    {
        private sealed record Shape(string? Key, string[] Args);

        private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

        public override LocalText? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String) return Service(reader.GetString()!);
            var shape = JsonSerializer.Deserialize<Shape>(ref reader, Web);
            return shape is null ? null : new LocalText(shape.Key, shape.Args ?? []);
        }

        public override void Write(Utf8JsonWriter writer, LocalText value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new Shape(value.Key, [.. value.Args]), Web);
    }
}
