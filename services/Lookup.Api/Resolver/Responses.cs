using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Traceability.Lookup.Api.Resolver;

internal static class Responses
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// CORS for the public lookup: any origin may read it (no credentials involved). The resolver also names
    /// its methods on every answer, which is where GS1's resolver test suite looks for them.
    /// </summary>
    public static void Cors(HttpResponse response, string? methods = null)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "Link, ETag, Location, Content-Language";
        if (methods is not null) response.Headers.AccessControlAllowMethods = methods;
    }

    public static void Preflight(HttpContext http, string methods)
    {
        Cors(http.Response, methods);
        http.Response.Headers.Allow = methods;
        http.Response.Headers.AccessControlAllowHeaders = "Accept, Accept-Language, If-None-Match, Content-Type";
        http.Response.Headers.AccessControlMaxAge = "86400";
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public const string JsonContentType = "application/json; charset=utf-8";
    public const string HtmlContentType = "text/html; charset=utf-8";

    public static byte[] JsonBytes(object value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    /// <summary>
    /// Writes a body with a strong ETag over its bytes; 304 when If-None-Match matches; no body for HEAD.
    /// </summary>
    public static Task WriteAsync(HttpContext http, int status, string contentType, byte[] body, bool conditional) =>
        conditional ? WriteAsync(http, status, contentType, RenderedAnswer.Of(body)) : WriteBodyAsync(http, status, contentType, body);

    /// <summary>Writes a rendered answer with its ETag; 304 when If-None-Match matches; no body for HEAD.</summary>
    public static Task WriteAsync(HttpContext http, int status, string contentType, RenderedAnswer answer)
    {
        http.Response.Headers.ETag = answer.ETag;
        var ifNoneMatch = http.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(answer.ETag), useStrongComparison: false)))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        return WriteBodyAsync(http, status, contentType, answer.Body);
    }

    private static async Task WriteBodyAsync(HttpContext http, int status, string contentType, byte[] body)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
            await response.Body.WriteAsync(body, http.RequestAborted);
    }

    public static Task JsonAsync(HttpContext http, int status, object value, string contentType = JsonContentType, bool conditional = true) =>
        WriteAsync(http, status, contentType, JsonBytes(value), conditional);

    public static Task HtmlAsync(HttpContext http, int status, string html, bool conditional = true) =>
        WriteAsync(http, status, HtmlContentType, Encoding.UTF8.GetBytes(html), conditional);

    public static Task ProblemAsync(HttpContext http, int status, string title, string detail, string? field = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
            Title = title,
            Status = status,
            Detail = detail,
            Instance = http.Request.Path,
        };
        if (field is not null)
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        return JsonAsync(http, status, problem, "application/problem+json; charset=utf-8", conditional: false);
    }
}
