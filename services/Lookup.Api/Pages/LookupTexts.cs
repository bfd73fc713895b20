namespace Traceability.Lookup.Api.Pages;

/// <summary>
/// The public pages' texts: LookupTexts.resx (Vietnamese, the neutral language) and
/// LookupTexts.en.resx, read through IStringLocalizer&lt;LookupTexts&gt;. Step names come from the
/// domain's one table (<see cref="Traceability.Domain.Epcis.StepNames"/>), shared with other surfaces.
/// </summary>
public sealed class LookupTexts;
