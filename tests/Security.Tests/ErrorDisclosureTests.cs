using System.Reflection;
using Traceability.Storage;

namespace Traceability.Security.Tests;

/// <summary>A failure deep in the store reaches the client as a bare 500 problem, and keys never reach the logs.</summary>
public sealed class ErrorDisclosureTests : IAsyncLifetime
{
    private const string Secret = "Password=hunter2;Data Source=/var/lib/secret.db";

    private readonly SecurityApp app = new()
    {
        Configure = services => services.AddSingleton(DispatchProxy.Create<ICatalogStore, ThrowingCatalogStore>()),
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task An_exception_gives_500_problem_json_with_only_a_trace_id_and_keys_stay_out_of_logs()
    {
        var (_, producerKey, prefix) = await app.RegisterProducerAsync();
        var wrongKey = "trc_0011223344556677_ThisIsNotARealSecretButLooksLikeOne0123456";

        var response = await app.ClientWithKey(producerKey).GetAsync($"/api/v1/products/{SecurityApp.Gtin14(prefix, 1)}");
        var rejected = await app.ClientWithKey(wrongKey).GetAsync("/api/v1/products");
        var rejectedAdmin = await app.ClientWithKey(SecurityApp.AdminKey + "x").GetAsync("/api/v1/products");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("ThrowingCatalogStore", text);
        Assert.DoesNotContain(" at ", text);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(500, (int)body["status"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)body["traceId"]!);
        Assert.Empty(body.Select(p => p.Key).Except(["type", "title", "status", "traceId"]));
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejectedAdmin.StatusCode);

        // The failure was logged (so the operator can find it by trace id) but no key ever was.
        var logs = app.Logs.Lines.ToArray();
        Assert.Contains(logs, l => l.Contains("hunter2"));
        var secretParts = new[] { producerKey, producerKey.Split('_')[^1], wrongKey.Split('_')[^1], SecurityApp.AdminKey };
        Assert.DoesNotContain(logs, l => secretParts.Any(l.Contains));
    }

    public class ThrowingCatalogStore : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException("Could not open the catalog: " + Secret);
    }
}
