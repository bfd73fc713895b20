using Traceability.Lookup.Api.Signing;

namespace Traceability.Verification.Tests;

/// <summary>A signed label verifies with only the published keys; any single changed character makes it fail.</summary>
public sealed class OfflineSignatureTests : IAsyncLifetime
{
    private readonly VerificationApp _app = new();
    private TestProducer _producer = null!;
    private string _gtin = "";

    public async ValueTask InitializeAsync()
    {
        _producer = await _app.NewProducerAsync();
        _gtin = await _producer.ProductAsync();
        await _producer.LotAsync(_gtin, "SLC-2610-07");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<JsonWebKeySet> PublishedKeysAsync() =>
        (await _app.CreateClient().GetFromJsonAsync<JsonWebKeySet>("/.well-known/traceability-keys"))!;

    [Fact]
    public async Task A_signed_label_verifies_with_only_the_published_keys_and_every_single_character_change_fails()
    {
        var links = await _producer.SerialsAsync(_gtin, "SLC-2610-07", 3);
        // Only the JWKS document from here on: a verifier with no store access (the inspector app offline).
        var keys = (await PublishedKeysAsync()).Resolver();
        var link = links[0];
        Assert.StartsWith($"{VerificationApp.BaseUrl}/01/{_gtin}/10/SLC-2610-07/21/", link);
        Assert.Equal(LabelSignature.Check.Valid, LabelSignature.Verify(link, keys).Check);

        var failures = 0;
        for (var i = 0; i < link.Length; i++)
        {
            var replacement = link[i] == 'A' ? 'B' : 'A';
            var flipped = link[..i] + replacement + link[(i + 1)..];
            Assert.NotEqual(LabelSignature.Check.Valid, LabelSignature.Verify(flipped, keys).Check);
            failures++;
        }
        Assert.Equal(link.Length, failures);
        // Other labels of the same batch verify too, and are distinct and unpredictable.
        Assert.All(links, l => Assert.Equal(LabelSignature.Check.Valid, LabelSignature.Verify(l, keys).Check));
        Assert.Equal(3, links.Select(l => l.Split("/21/")[1].Split('?')[0]).Distinct().Count());
    }

    [Fact]
    public async Task Every_case_flip_and_neighbouring_character_of_the_signature_fails()
    {
        var link = (await _producer.SerialsAsync(_gtin, "SLC-2610-07", 1))[0];
        var keys = (await PublishedKeysAsync()).Resolver();
        var start = link.IndexOf("sig=", StringComparison.Ordinal);
        for (var i = start; i < link.Length; i++)
        {
            foreach (var c in new[] { (char)(link[i] + 1), char.IsUpper(link[i]) ? char.ToLowerInvariant(link[i]) : char.ToUpperInvariant(link[i]) })
            {
                if (c == link[i]) continue;
                Assert.NotEqual(LabelSignature.Check.Valid, LabelSignature.Verify(link[..i] + c + link[(i + 1)..], keys).Check);
            }
        }
    }

    [Fact]
    public async Task After_a_key_rotation_old_labels_still_verify_and_new_labels_use_the_new_key()
    {
        var before = (await _producer.SerialsAsync(_gtin, "SLC-2610-07", 1))[0];
        var rotate = await _app.Admin().PostAsync("/api/v1/keys/rotate", null);
        rotate.EnsureSuccessStatusCode();
        var after = (await _producer.SerialsAsync(_gtin, "SLC-2610-07", 1))[0];

        var published = await PublishedKeysAsync();
        Assert.Equal(2, published.Keys.Count);
        Assert.Equal(["retired", "active"], published.Keys.Select(k => k.Status));
        var keys = published.Resolver();
        Assert.Equal(published.Keys[0].Kid, LabelSignature.Verify(before, keys).KeyId);
        Assert.Equal(published.Keys[1].Kid, LabelSignature.Verify(after, keys).KeyId);
        Assert.Equal("authentic", (await _app.CreateClient().VerifyAsync(before)).Verdict());
    }

    [Fact]
    public async Task The_private_key_is_not_stored_in_clear()
    {
        await _producer.SerialsAsync(_gtin, "SLC-2610-07", 1);
        var record = (await _app.Service<Traceability.Storage.ISerialStore>().ListSigningKeysAsync()).Single();
        using var probe = System.Security.Cryptography.ECDsa.Create();
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => probe.ImportPkcs8PrivateKey(record.ProtectedPrivateKey, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task A_count_outside_1_to_10000_is_a_400(int count)
    {
        var response = await _producer.Client.PostAsJsonAsync($"/api/v1/lots/{_gtin}/X/serials", new { count });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Another_producer_cannot_issue_labels_for_the_lot()
    {
        var other = await _app.NewProducerAsync();
        var response = await other.Client.PostAsJsonAsync($"/api/v1/lots/{_gtin}/SLC-2610-07/serials", new { count = 1 });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("AAB")]
    [InlineData("AA=")]
    [InlineData("AA+/")]
    [InlineData("")]
    public void Non_canonical_base64url_is_rejected(string text) => Assert.False(LabelSignature.TryDecodeStrict(text, out _));

    [Fact]
    public void Canonical_base64url_is_accepted() => Assert.True(LabelSignature.TryDecodeStrict("AAA", out var bytes) && bytes.Length == 2);
}
