using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;

namespace Traceability.Authority.FunctionalTests;

/// <summary>DataProtection:CertificatePath: the key ring protecting report contacts is encrypted at rest (in the store).</summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly string _certificate = Path.Combine(Path.GetTempPath(), $"keyring-{Guid.NewGuid():N}.pfx");

    public KeyRingTests()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Traceability key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(_certificate, cert.Export(X509ContentType.Pfx, "s3cret"));
    }

    [Fact]
    public async Task With_a_certificate_the_stored_key_ring_holds_no_plain_key_and_contacts_stay_readable()
    {
        await using var app = new CertificateApp(_certificate);
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", new
        {
            category = "quality", message = "Bao bì rách", contact = "0912 000 111",
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // The key ring lives in the store now (issue 17): its elements, as stored, hold no plain key.
        var keys = (await app.Services.GetRequiredService<Traceability.Storage.IKeyRingStore>().ListKeyRingAsync(TestContext.Current.CancellationToken))
            .Select(e => e.Xml).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
        });
        // The contact is decrypted in the report's detail (the list never carries it).
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["id"]!;
        var detail = (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}", TestContext.Current.CancellationToken))!;
        Assert.Equal("0912 000 111", (string?)detail["contact"]);
    }

    public void Dispose() => File.Delete(_certificate);

    private sealed class CertificateApp(string certificate) : AuthorityApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("DataProtection:CertificatePath", certificate);
            builder.UseSetting("DataProtection:CertificatePassword", "s3cret");
        }
    }
}
