namespace Traceability.ProducerConsole.Web;

/// <summary>
/// A language for texts written outside a page: the import jobs' messages (ImportJobs), which are
/// made in the background, after the request, in the language of the upload. Pages use
/// <see cref="ConsoleTexts"/> through IStringLocalizer.
/// </summary>
public sealed class Ui(string lang)
{
    public string Lang { get; } = lang;

    public bool En => Lang == "en";

    public string T(string vi, string en) => En ? en : vi;

    /// <summary>The shared services' English message, in this language (see <see cref="ServiceMessages"/>).</summary>
    public string Error(string message) => ServiceMessages.Translate(message, En);
}
