using System.Text.Json;
using Traceability.ServiceDefaults.Problems;

namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// Reads JSON request bodies with a size limit and turns every way a body can be wrong (type,
/// size, emptiness, syntax, shape) into a problem response instead of an exception. Endpoints read
/// bodies through this rather than parameter binding so that every error has the same form.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    public static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/ld+json", StringComparison.OrdinalIgnoreCase)
            || (contentType.Contains("+json", StringComparison.OrdinalIgnoreCase) && contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The body as a parsed document, or a problem (415, 413, 400).</summary>
    public static async Task<(JsonDocument? Document, Results<ValidationProblem, ProblemHttpResult>? Problem)> ReadDocumentAsync(HttpRequest request, long limit)
    {
        if (!IsJson(request.ContentType))
            return (null, Problem.UnsupportedMediaType("Send the body as application/json (or application/ld+json)."));
        var (body, problem) = await ReadBoundedAsync(request, limit, "a JSON document");
        if (body is null) return (null, problem);
        try
        {
            var bytes = body.Value;
            // A UTF-8 byte-order mark is allowed before JSON text (RFC 8259 §8.1 lets parsers ignore it); editors on Windows write one.
            if (bytes.Span.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
            var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (JsonStrings.FindInvalid(bytes.Span, document.RootElement) is not { } path) return (document, null);
            document.Dispose();
            return (null, Problem.Validation(path, JsonStrings.Message));
        }
        catch (JsonException e)
        {
            return (null, Problem.BadRequest(
                $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
        }
    }

    /// <summary>
    /// The whole body, read while counting (a body without Content-Length, or lying about it, stops at
    /// <paramref name="limit"/>): 413 past it, 400 when empty (<paramref name="expected"/> says what to send).
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte>? Body, Results<ValidationProblem, ProblemHttpResult>? Problem)> ReadBoundedAsync(HttpRequest request, long limit, string expected)
    {
        if (request.ContentLength > limit) return (null, Problem.TooLarge(limit));
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit) return (null, Problem.TooLarge(limit));
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem.TooLarge(limit));
        }
        return buffer.Length == 0
            ? (null, Problem.BadRequest($"The request body is empty; send {expected}."))
            : (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    /// <summary>The body bound to <typeparamref name="T"/>, or a problem naming the field that did not fit.</summary>
    public static async Task<(T? Value, Results<ValidationProblem, ProblemHttpResult>? Problem)> ReadAsync<T>(HttpRequest request, long limit = 64 * 1024)
        where T : class
    {
        var (document, problem) = await ReadDocumentAsync(request, limit);
        if (problem is not null) return (null, problem);
        using (document)
        {
            if (document!.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Problem.Validation("$", "The body must be a JSON object."));
            try
            {
                var value = document.RootElement.Deserialize<T>(Options);
                return value is null ? (null, Problem.Validation("$", "The body must be a JSON object.")) : (value, null);
            }
            catch (JsonException e)
            {
                var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path.TrimStart('$', '.');
                return (null, Problem.Validation(path, "This field has the wrong type or format."));
            }
        }
    }
}
