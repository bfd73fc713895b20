namespace Traceability.ProducerConsole.Web;

/// <summary>
/// Reads every console form before its handler does. ASP.NET Core's form reader refuses a
/// url-encoded NUL (<c>%00</c>) and its other limits with an <see cref="InvalidDataException"/>,
/// which would surface from the anti-forgery check as a 500 with its stack trace in the log; here
/// it becomes one 400 problem naming the field and one log line. A form that reads is cached on the
/// request, so the handlers read it again for free.
/// </summary>
internal sealed partial class FormGuard(ILogger<FormGuard> logger) : IEndpointFilter
{
    private const string Message = "Trường này chứa ký tự NUL (%00), không được phép. / This field contains a NUL character (%00), which is not allowed.";
    private const string Unreadable = "Không đọc được biểu mẫu. / The form could not be read.";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!request.HasFormContentType) return await next(context);
        var urlEncoded = request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        // Only url-encoded forms (small, text) are kept to find the field afterwards; uploads are not.
        if (urlEncoded) request.EnableBuffering();
        try
        {
            await request.ReadFormAsync(context.HttpContext.RequestAborted);
            return await next(context);
        }
        catch (InvalidDataException)
        {
            var field = urlEncoded ? await FieldWithNulAsync(request) : null;
            LogRefused(logger, request.Path.Value ?? "", field ?? "$");
            return Problem.Validation(field ?? "$", field is null ? Unreadable : Message);
        }
    }

    /// <summary>The (decoded) name of the first field whose name or value decodes to a NUL.</summary>
    private static async Task<string?> FieldWithNulAsync(HttpRequest request)
    {
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        foreach (var pair in body.Split('&'))
        {
            var eq = pair.IndexOf('=');
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            if (name.Contains('\0') || value.Contains('\0')) return name.Replace("\0", "%00", StringComparison.Ordinal);
        }
        return null;
    }

    private static string Decode(string part) => Uri.UnescapeDataString(part.Replace('+', ' '));

    [LoggerMessage(Level = LogLevel.Information, Message = "Console form {Path} refused: field {Field} is not readable (NUL or form limits)")]
    private static partial void LogRefused(ILogger logger, string path, string field);
}
