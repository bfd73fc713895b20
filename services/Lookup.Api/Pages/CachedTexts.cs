using System.Collections.Frozen;
using Microsoft.Extensions.Localization;

namespace Traceability.Lookup.Api.Pages;

/// <summary>
/// The pages' texts, each language read once from LookupTexts.resx (through the framework's localizer, so
/// the fallback to the neutral Vietnamese is the same) and kept as ready <see cref="LocalizedString"/>s.
/// A page asks for about forty texts, and the ResourceManager localizer builds a cache key string and a
/// LocalizedString for each (issue 22: a third of a first render's allocations). Answers as that
/// localizer does: by the current UI culture, a missing name as itself with ResourceNotFound, arguments
/// formatted with the current culture.
/// </summary>
internal sealed class CachedTexts : IStringLocalizer<LookupTexts>
{
    private readonly FrozenDictionary<string, LocalizedString> _vietnamese;
    private readonly FrozenDictionary<string, LocalizedString> _english;

    public CachedTexts()
    {
        var source = new StringLocalizer<LookupTexts>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions()), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        _vietnamese = Read(source, new CultureInfo("vi"));
        _english = Read(source, new CultureInfo("en"));
    }

    private static FrozenDictionary<string, LocalizedString> Read(IStringLocalizer source, CultureInfo culture)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return source.GetAllStrings(includeParentCultures: true).ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private FrozenDictionary<string, LocalizedString> Current =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? _english : _vietnamese;

    public LocalizedString this[string name] =>
        Current.TryGetValue(name, out var text) ? text : new LocalizedString(name, name, resourceNotFound: true);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var found = Current.TryGetValue(name, out var text);
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, found ? text!.Value : name, arguments), resourceNotFound: !found);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => Current.Values;
}
