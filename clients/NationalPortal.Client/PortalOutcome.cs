using System.Text.Json;

namespace Traceability.NationalPortal.Client;

public enum PortalOutcomeKind
{
    /// <summary>The portal stored the entity (2xx with an id).</summary>
    Created,
    /// <summary>409: the natural key was already there; the id is the existing one. Counts as success.</summary>
    AlreadyExists,
    /// <summary>400-class: the portal will never accept this payload as it is.</summary>
    Rejected,
    /// <summary>5xx, 401/408/429 after the pipeline gave up, timeouts, dropped connections, open circuit.</summary>
    Transient,
}

/// <summary>What one push amounted to, read from the portal's answer.</summary>
public sealed record PortalOutcome(PortalOutcomeKind Kind, string? PortalId, string? Error)
{
    public bool IsSuccess => Kind is PortalOutcomeKind.Created or PortalOutcomeKind.AlreadyExists;

    public static PortalOutcome Transient(string error) => new(PortalOutcomeKind.Transient, null, error);

    /// <summary>
    /// Classifies a portal answer. <paramref name="idOf"/> reads the id from the success body; a 409
    /// body carries the same id field beside maLoi/thongBao.
    /// </summary>
    public static PortalOutcome From<T>(IApiResponse<T> response, Func<T, string?> idOf)
    {
        if (!response.IsReceived || response.StatusCode is not { } code)
        {
            // Refit captures transport failures (dropped connection, timeout, open circuit) here.
            response.HasRequestError(out var requestError);
            var cause = requestError?.InnerException ?? requestError;
            return Transient(cause is null ? "no response" : $"{cause.GetType().Name}: {cause.Message}");
        }
        var status = (int)code;
        if (response.IsSuccessful)
        {
            var id = response.Content is { } body ? idOf(body) : null;
            return string.IsNullOrEmpty(id)
                ? Transient($"HTTP {status} without an id")
                : new(PortalOutcomeKind.Created, id, null);
        }

        var content = response.HasResponseError(out var error) ? error.Content : null;
        if (code == HttpStatusCode.Conflict)
        {
            var existing = TryRead<T>(content) is { } body ? idOf(body) : null;
            return string.IsNullOrEmpty(existing)
                ? new(PortalOutcomeKind.Rejected, null, Describe(content, status))
                : new(PortalOutcomeKind.AlreadyExists, existing, null);
        }

        return status is >= 400 and < 500 and not (401 or 408 or 429)
            ? new(PortalOutcomeKind.Rejected, null, Describe(content, status))
            : Transient($"HTTP {status}");
    }

    /// <summary>"maLoi: thongBao" as the portal said it, or the status when the body says nothing.</summary>
    private static string Describe(string? content, int status) =>
        TryRead<PortalError>(content) is { MaLoi: not null } e ? $"{e.MaLoi}: {e.ThongBao}" : $"HTTP {status}";

    private static T? TryRead<T>(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
            return default;
        try
        {
            return JsonSerializer.Deserialize<T>(content);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
