namespace Traceability.Authority.FunctionalTests;

/// <summary>A host whose failed-authentication limit is 2 per window.</summary>
public sealed class StrictAuthApp : AuthorityApp
{
    public StrictAuthApp() => Settings = new Dictionary<string, string> { ["Auth:FailureLimit"] = "2", ["Auth:FailureWindowSeconds"] = "600" };
}

public sealed class SignInLimitTests(StrictAuthApp app) : IClassFixture<StrictAuthApp>
{
    [Fact]
    public async Task Wrong_keys_in_the_staff_sign_in_count_against_the_failed_authentication_limit()
    {
        var browser = new StaffBrowser(app);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SubmitAsync("/authority/signin", "signin", ("Key", "wrong-key-" + i))).StatusCode);
        var blocked = await browser.SubmitAsync("/authority/signin", "signin", ("Key", AuthorityApp.AdminKey));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);
        // The API's bearer keys are blocked for that client too: one limit.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.Admin().GetAsync("/api/v1/producers")).StatusCode);
    }
}
