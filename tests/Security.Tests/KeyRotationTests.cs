namespace Traceability.Security.Tests;

public sealed class KeyRotationTests(SecurityApp app) : IClassFixture<SecurityApp>
{
    [Fact]
    public async Task Rotating_a_key_gives_a_working_new_key_and_the_old_one_stops_working()
    {
        var (_, oldKey, _) = await app.RegisterProducerAsync();

        var rotated = await app.ClientWithKey(oldKey).PostAsync("/api/v1/api-keys/rotate", null);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newKey = (string)(await rotated.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(oldKey).GetAsync("/api/v1/products")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(newKey).GetAsync("/api/v1/products")).StatusCode);
    }

    [Fact]
    public async Task The_configured_admin_key_cannot_be_rotated_through_the_api()
    {
        var response = await app.Admin().PostAsync("/api/v1/api-keys/rotate", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var stillWorks = await app.Admin().PostAsJsonAsync("/api/v1/inspectors", new { name = "A", agency = "B" });
        Assert.Equal(HttpStatusCode.Created, stillWorks.StatusCode);
    }

    [Fact]
    public async Task Admin_revokes_a_producer_key_and_may_issue_a_replacement()
    {
        var (id, key, _) = await app.RegisterProducerAsync();
        var keyId = key.Split('_')[1];

        var revoked = await app.Admin().PostAsJsonAsync($"/api/v1/producers/{id}/keys/revoke", new { keyId, issueNewKey = true });

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var replacement = (string)(await revoked.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(key).GetAsync("/api/v1/products")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(replacement).GetAsync("/api/v1/products")).StatusCode);
    }

    [Fact]
    public async Task Revoking_another_producers_key_through_the_wrong_producer_is_not_found_and_keeps_it_working()
    {
        var (idA, _, _) = await app.RegisterProducerAsync();
        var (_, keyB, _) = await app.RegisterProducerAsync();

        var response = await app.Admin().PostAsJsonAsync($"/api/v1/producers/{idA}/keys/revoke", new { keyId = keyB.Split('_')[1] });
        var byProducer = await app.ClientWithKey(keyB).PostAsJsonAsync($"/api/v1/producers/{idA}/keys/revoke", new { keyId = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byProducer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(keyB).GetAsync("/api/v1/products")).StatusCode);
    }
}
