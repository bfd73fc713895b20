using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Traceability.NationalPortal.Client;

/// <summary>The portal refused the credentials: retrying cannot help until configuration changes.</summary>
public sealed class PortalAuthenticationException(string message) : Exception(message);

/// <summary>
/// Holds one client-credentials token for the whole process: fetched on first use, replaced
/// <see cref="PortalOptions.TokenRefreshBefore"/> before it expires, and on demand after a 401.
/// Concurrent callers share one refresh. Neither the secret nor the token is ever logged.
/// </summary>
public sealed partial class PortalTokenProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<PortalOptions> options,
    TimeProvider time,
    ILogger<PortalTokenProvider> logger)
{
    internal const string HttpClientName = "NationalPortal.Token";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _current;

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    public async ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        var cached = _current;
        if (cached is not null && time.GetUtcNow() < cached.RefreshAt)
            return cached.Value;
        return await RefreshAsync(cached?.Value, ct);
    }

    /// <summary>Called after a 401: replaces <paramref name="rejected"/> unless another caller already did.</summary>
    public ValueTask<string> InvalidateAsync(string rejected, CancellationToken ct) => new(RefreshAsync(rejected, ct));

    private async Task<string> RefreshAsync(string? stale, CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            var cached = _current;
            if (cached is not null && cached.Value != stale && time.GetUtcNow() < cached.RefreshAt)
                return cached.Value;

            var o = options.Value;
            var api = RestService.ForGenerated<INationalPortalApi>(httpClientFactory.CreateClient(HttpClientName));
            using var response = await api.GetTokenAsync(new TokenRequest("client_credentials", o.ClientId, o.ClientSecret), ct);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                LogTokenRefused(logger, (int)response.StatusCode!, o.ClientId);
                throw new PortalAuthenticationException($"The portal refused the credentials of client '{o.ClientId}' ({(int)response.StatusCode!}).");
            }
            if (response.HasRequestError(out var requestError))
                throw new HttpRequestException("Token request failed.", requestError.InnerException ?? requestError);
            if (!response.IsSuccessful || response.Content is not { AccessToken.Length: > 0 } token)
            {
                // Transient (5xx, 429): the resilience pipeline around the call retries it.
                throw new HttpRequestException($"Token request failed with {(int?)response.StatusCode}.",
                    response.Error, response.StatusCode);
            }

            var lifetime = TimeSpan.FromSeconds(Math.Max(1, token.ExpiresIn));
            var margin = o.TokenRefreshBefore < lifetime ? o.TokenRefreshBefore : lifetime / 2;
            _current = new CachedToken(token.AccessToken, time.GetUtcNow() + lifetime - margin);
            LogTokenIssued(logger, token.ExpiresIn);
            return token.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Portal token issued, expires in {ExpiresIn} s")]
    private static partial void LogTokenIssued(ILogger logger, int expiresIn);

    [LoggerMessage(Level = LogLevel.Error, Message = "The portal refused the credentials of client {ClientId} with {Status}")]
    private static partial void LogTokenRefused(ILogger logger, int status, string clientId);
}
