using Microsoft.AspNetCore.Mvc.Testing;

namespace Traceability.Authority.FunctionalTests;

/// <summary>
/// A browser on the authority workspace: keeps cookies, does not follow redirects, and posts forms
/// as the pages render them (form name in <c>_handler</c>, the anti-forgery token in <c>__csrf</c>).
/// </summary>
public sealed partial class StaffBrowser(AuthorityApp app)
{
    public HttpClient Client { get; } = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<string> GetPageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Opens <paramref name="url"/>, then posts its form <paramref name="form"/> with <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string url, string form, params (string Name, string Value)[] fields)
    {
        var html = await GetPageAsync(url);
        Assert.Contains($"name=\"_handler\" value=\"{form}\"", html);
        List<KeyValuePair<string, string>> body = [new("_handler", form), new("__csrf", TokenOf(html))];
        body.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await Client.PostAsync(url, new FormUrlEncodedContent(body));
    }

    public async Task SignInAsync(string key = AuthorityApp.AdminKey)
    {
        var response = await SubmitAsync("/authority/signin", "signin", ("Key", key));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static string TokenOf(string html) => WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
