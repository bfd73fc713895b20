using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Traceability.ProducerConsole.Web;

/// <summary>
/// Markup that is already safe to write. Pages are built with <see cref="H"/>, whose interpolation
/// holes are HTML-encoded unless they are themselves <see cref="Html"/>: encoding is the default,
/// so forgetting it is not possible.
/// </summary>
public readonly record struct Html(string Value)
{
    public static readonly Html Empty = new("");

    public static Html H(ref HtmlHandler handler) => handler.ToHtml();

    public static Html Raw(string trusted) => new(trusted);

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public override string ToString() => Value;
}

[InterpolatedStringHandler]
public ref struct HtmlHandler
{
    // Vietnamese letters stay readable in the page source; only markup-significant characters are escaped.
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder sb;

    public HtmlHandler(int literalLength, int formattedCount) => sb = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string s) => sb.Append(s);

    public void AppendFormatted(Html html) => sb.Append(html.Value);

    public void AppendFormatted(IEnumerable<Html> parts)
    {
        foreach (var p in parts) sb.Append(p.Value);
    }

    public void AppendFormatted(string? s) => sb.Append(Encoder.Encode(s ?? ""));

    public void AppendFormatted<T>(T value)
    {
        // A List<Html> binds here rather than to the IEnumerable<Html> overload: dispatch at run time.
        if (value is Html html)
        {
            AppendFormatted(html);
            return;
        }
        if (value is IEnumerable<Html> parts)
        {
            AppendFormatted(parts);
            return;
        }
        var text = value switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        sb.Append(Encoder.Encode(text));
    }

    public void AppendFormatted<T>(T value, string format) where T : IFormattable =>
        sb.Append(Encoder.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    internal readonly Html ToHtml() => new(sb.ToString());
}
