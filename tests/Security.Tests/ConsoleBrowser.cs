using Microsoft.AspNetCore.Mvc.Testing;

namespace Traceability.Security.Tests;

/// <summary>A cookie-keeping client of the console and the anti-forgery token of its session (valid for every form).</summary>
public sealed partial record ConsoleBrowser(HttpClient Client, string Token)
{
    /// <summary>Opens the sign-in page; signs in with <paramref name="producerKey"/> when given.</summary>
    public static async Task<ConsoleBrowser> OpenAsync(SecurityApp app, string? producerKey)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenOf(await client.GetStringAsync("/console/signin"));
        if (producerKey is null) return new ConsoleBrowser(client, token);
        var response = await client.PostAsync("/console/signin", new FormUrlEncodedContent([new("key", producerKey), new("__csrf", token)]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // The token is bound to the user: take a new one once signed in.
        return new ConsoleBrowser(client, TokenOf(await client.GetStringAsync("/console/events/new")));
    }

    /// <summary>Posts the fields (already url-encoded, so a test can send <c>%00</c>) with the token.</summary>
    public Task<HttpResponseMessage> PostEncodedAsync(string url, string encodedFields) =>
        Client.PostAsync(url, new StringContent($"{encodedFields}&__csrf={Uri.EscapeDataString(Token)}", null, "application/x-www-form-urlencoded"));

    private static string TokenOf(string html) => WebUtility.HtmlDecode(CsrfToken().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
