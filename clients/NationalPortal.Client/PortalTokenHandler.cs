using System.Net.Http.Headers;

namespace Traceability.NationalPortal.Client;

/// <summary>
/// Adds the bearer token to each attempt, and after a 401 (the portal's "token expired") fetches a
/// new token and sends the request once more. It sits inside the resilience pipeline, so every
/// retry carries the current token and a failed token call is retried like any transient failure.
/// </summary>
public sealed class PortalTokenHandler(PortalTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var token = await tokens.GetTokenAsync(ct);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        response.Dispose();
        token = await tokens.InvalidateAsync(token, ct);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, ct);
    }
}
