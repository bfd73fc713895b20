using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
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

    /// <summary>CORS for the public lookup: any origin may read it (no credentials involved).</summary>
    public static void Cors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "Link, ETag, Location, Content-Language";
    }

    public static void Preflight(HttpContext http, string methods)
    {
        Cors(http.Response);
        http.Response.Headers.Allow = methods;
        http.Response.Headers.AccessControlAllowMethods = methods;
        http.Response.Headers.AccessControlAllowHeaders = "Accept, Accept-Language, If-None-Match, Content-Type";
        http.Response.Headers.AccessControlMaxAge = "86400";
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Writes a body with a strong ETag over its bytes; 304 when If-None-Match matches; no body for HEAD.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, int status, string contentType, byte[] body, bool conditional)
    {
        var response = http.Response;
        if (conditional)
        {
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12)) + "\"");
            response.Headers.ETag = etag.ToString();
            if (EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var tags)
                && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false)))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
            await response.Body.WriteAsync(body, http.RequestAborted);
    }

    public static Task JsonAsync(HttpContext http, int status, object value, string contentType = "application/json; charset=utf-8", bool conditional = true) =>
        WriteAsync(http, status, contentType, JsonSerializer.SerializeToUtf8Bytes(value, Json), conditional);

    public static Task HtmlAsync(HttpContext http, int status, string html, bool conditional = true) =>
        WriteAsync(http, status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), conditional);

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
