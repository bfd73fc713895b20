namespace Traceability.ProducerConsole.Web;

/// <summary>
/// The console's texts: ConsoleTexts.resx (Vietnamese, the neutral language) and ConsoleTexts.en.resx,
/// read through IStringLocalizer&lt;ConsoleTexts&gt;, the one localisation mechanism for its pages.
/// </summary>
public sealed class ConsoleTexts;
