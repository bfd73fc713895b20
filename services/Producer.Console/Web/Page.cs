using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Traceability.ServiceDefaults.Auth;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Web;

/// <summary>One request's page kit: language, the signed-in producer, the anti-forgery token, form fields, layout.</summary>
public sealed class Page(HttpContext context, Ui ui)
{
    public HttpContext Context { get; } = context;
    public Ui Ui { get; } = ui;

    public string ProducerId => Context.User.ProducerId() ?? throw new InvalidOperationException("Not signed in.");

    public string T(string vi, string en) => Ui.T(vi, en);

    public static Page For(HttpContext context) => new(context, Ui.For(context));

    public Html Csrf()
    {
        var tokens = Context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Context);
        return H($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    /// <summary>Checks the anti-forgery token of a form post; false when it is missing or wrong.</summary>
    public async Task<bool> IsValidPostAsync() =>
        await Context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(Context);

    public IResult Refused() => Pages.Refused();

    public static string Id(string name) => "f-" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    private Html Label(string name, string label, bool required) =>
        H($"<label for=\"{Id(name)}\">{label}{When(required, H($" <span class=\"req\" aria-hidden=\"true\">*</span>"))}</label>");

    private Html ErrorsOf(string name, FieldErrors errors)
    {
        var messages = errors.For(name).ToList();
        return messages.Count == 0
            ? Empty
            : H($"<p class=\"error\" id=\"{Id(name)}-error\">{string.Join(" ", messages.Select(Ui.Error))}</p>");
    }

    private Html Described(string name, FieldErrors errors, string? hint)
    {
        var ids = new List<string>();
        if (hint is not null) ids.Add(Id(name) + "-hint");
        if (errors.For(name).Any()) ids.Add(Id(name) + "-error");
        return ids.Count == 0
            ? Empty
            : H($" aria-describedby=\"{string.Join(' ', ids)}\"{When(errors.For(name).Any(), Raw(" aria-invalid=\"true\""))}");
    }

    private Html Hint(string name, string? hint) => hint is null ? Empty : H($"<p class=\"hint\" id=\"{Id(name)}-hint\">{hint}</p>");

    public Html Input(string name, string label, string? value, FieldErrors errors, string type = "text",
        bool required = false, string? hint = null, Html attributes = default) =>
        H($"""
        <div class="field">{Label(name, label, required)}{Hint(name, hint)}
        <input id="{Id(name)}" name="{name}" type="{type}" value="{value}"{When(required, Raw(" required"))}{Described(name, errors, hint)} {attributes}>
        {ErrorsOf(name, errors)}</div>
        """);

    public Html TextArea(string name, string label, string? value, FieldErrors errors, string? hint = null) =>
        H($"""
        <div class="field">{Label(name, label, false)}{Hint(name, hint)}
        <textarea id="{Id(name)}" name="{name}" rows="3"{Described(name, errors, hint)}>{value}</textarea>
        {ErrorsOf(name, errors)}</div>
        """);

    public Html Select(string name, string label, IEnumerable<(string Value, string Text)> options, string? selected,
        FieldErrors errors, bool required = false, string? hint = null, string? placeholder = null) =>
        H($"""
        <div class="field">{Label(name, label, required)}{Hint(name, hint)}
        <select id="{Id(name)}" name="{name}"{When(required, Raw(" required"))}{Described(name, errors, hint)}>
        {When(placeholder is not null, H($"<option value=\"\">{placeholder}</option>"))}
        {options.Select(o => H($"<option value=\"{o.Value}\"{When(o.Value == selected, Raw(" selected"))}>{o.Text}</option>"))}
        </select>
        {ErrorsOf(name, errors)}</div>
        """);

    /// <summary>Errors that belong to no field of the form (shown at the top).</summary>
    public Html Summary(FieldErrors errors, params string[] shownFields)
    {
        var rest = errors.Where(e => !shownFields.Any(f => e.Key == f || e.Key.StartsWith(f + "[", StringComparison.Ordinal) || e.Key.StartsWith(f + ".", StringComparison.Ordinal)))
            .SelectMany(e => e.Value).ToList();
        var count = errors.Values.Sum(v => v.Length);
        if (count == 0) return Empty;
        return H($"""
            <div class="alert" role="alert"><p>{T("Chưa lưu được: hãy sửa các lỗi được đánh dấu.", "Not saved: please fix the marked errors.")}</p>
            {When(rest.Count > 0, H($"<ul>{rest.Select(m => H($"<li>{Ui.Error(m)}</li>"))}</ul>"))}</div>
            """);
    }

    /// <summary>The page inside the shared document (<see cref="Layout.ConsoleDocument"/>).</summary>
    public IResult Render(string title, Html body, int status = StatusCodes.Status200OK, Html head = default) =>
        PageResult.Of<Layout.LegacyPage>(new
        {
            Title = title,
            Body = new Microsoft.AspNetCore.Components.MarkupString(body.Value),
            Head = head.Value is null ? (Microsoft.AspNetCore.Components.MarkupString?)null : new Microsoft.AspNetCore.Components.MarkupString(head.Value),
        }, status);
}

/// <summary>Reads an urlencoded or multipart form after the anti-forgery check.</summary>
public static class FormExtensions
{
    public static string? Get(this IFormCollection form, string name) =>
        form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    public static string? UserName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name);
}
