using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Traceability.Sync.Api;

namespace Traceability.Sync.Tests;

/// <summary>
/// GET /api/v1/sync/status, GET /api/v1/sync/failed, POST /api/v1/sync/failed/{id}/retry behind
/// policy "admin". A test scheme stands in for ServiceDefaults' API-key auth: the X-Test-Role
/// header names the caller's role.
/// </summary>
public sealed class SyncApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(InMemoryTraceStore store)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IOutboxStore>(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, TestAuthHandler>("Test", null);
        builder.Services.AddAuthorizationBuilder().AddPolicy("admin", p => p.RequireRole("admin"));
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSyncApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Add("X-Test-Role", "admin");
        return (app, http);
    }

    private static async Task<(InMemoryTraceStore Store, OutboxRow Failed)> StoreWithOneFailedRowAsync()
    {
        var store = new InMemoryTraceStore();
        using var stores = TestStores.Of(store);
        await TestData.SeedAsync(stores, products: 2, lots: 2, events: 4);
        var leased = await store.LeaseAsync("w", 1, TestData.Now, TimeSpan.FromMinutes(1), Ct);
        await store.MarkFailedAsync(leased[0].Id, "w", "HINH_ANH_KHONG_HOP_LE: hinhAnh phải là một URL công khai", TestData.Now, Ct);
        return (store, leased[0]);
    }

    [Fact]
    public async Task Status_counts_rows_by_state()
    {
        var (store, _) = await StoreWithOneFailedRowAsync();
        var (app, http) = await StartAsync(store);
        await using var _ = app;
        using var __ = http;

        var status = await http.GetFromJsonAsync<JsonElement>("/api/v1/sync/status", Ct);

        Assert.Equal(7, status.GetProperty("pending").GetInt64());
        Assert.Equal(1, status.GetProperty("failed").GetInt64());
        Assert.Equal(0, status.GetProperty("inFlight").GetInt64());
        Assert.Equal(0, status.GetProperty("synced").GetInt64());
        Assert.True(status.GetProperty("oldestPendingSeconds").GetDouble() > 0);
    }

    [Fact]
    public async Task Failed_lists_the_portal_reason_and_retry_queues_the_row_again()
    {
        var (store, failed) = await StoreWithOneFailedRowAsync();
        var (app, http) = await StartAsync(store);
        await using var _ = app;
        using var __ = http;

        var list = await http.GetFromJsonAsync<JsonElement>("/api/v1/sync/failed", Ct);
        using var retry = await http.PostAsync($"/api/v1/sync/failed/{failed.Id}/retry", null, Ct);
        using var again = await http.PostAsync($"/api/v1/sync/failed/{failed.Id}/retry", null, Ct);

        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(failed.Id, row.GetProperty("id").GetString());
        Assert.Equal("product", row.GetProperty("kind").GetString());
        Assert.StartsWith("HINH_ANH_KHONG_HOP_LE:", row.GetProperty("lastError").GetString());
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        Assert.Equal(OutboxState.Pending, (await store.GetOutboxRowAsync(failed.Kind, failed.Key, Ct))!.State);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("producer", HttpStatusCode.Forbidden)]
    public async Task Only_admins_see_or_touch_the_sync_state(string? role, HttpStatusCode expected)
    {
        var (store, failed) = await StoreWithOneFailedRowAsync();
        var (app, http) = await StartAsync(store);
        await using var _ = app;
        using var __ = http;
        http.DefaultRequestHeaders.Remove("X-Test-Role");
        if (role is not null)
            http.DefaultRequestHeaders.Add("X-Test-Role", role);

        using var status = await http.GetAsync("/api/v1/sync/status", Ct);
        using var retry = await http.PostAsync($"/api/v1/sync/failed/{failed.Id}/retry", null, Ct);

        Assert.Equal((expected, expected), (status.StatusCode, retry.StatusCode));
        Assert.Equal(OutboxState.Failed, (await store.GetOutboxRowAsync(failed.Kind, failed.Key, Ct))!.State);
    }

    private sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Test-Role", out var role))
                return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "test"), new Claim(ClaimTypes.Role, role.ToString())], "Test");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "Test")));
        }
    }
}
