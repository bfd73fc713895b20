namespace Traceability.ProducerConsole.Web;

internal static class TextsExtensions
{
    /// <summary>A text with numbered holes ({0}), filled in (numbers in the pages' invariant format).</summary>
    public static string Format(this IStringLocalizer<ConsoleTexts> texts, string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, texts[key], args);
}
