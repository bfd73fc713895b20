namespace Traceability.ProducerConsole.Web.Layout;

/// <summary>The ids that tie a form control to its label, hint and error for screen readers.</summary>
internal static class FieldIds
{
    public static string Of(string name) => "f-" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>aria-describedby: the hint and the error, when there are any (null drops the attribute).</summary>
    public static string? DescribedBy(string name, string? hint, FieldErrors errors)
    {
        var ids = new List<string>();
        if (hint is not null) ids.Add(Of(name) + "-hint");
        if (errors.For(name).Any()) ids.Add(Of(name) + "-error");
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    public static string? Invalid(string name, FieldErrors errors) => errors.For(name).Any() ? "true" : null;
}
