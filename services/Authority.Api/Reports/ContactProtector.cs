using Microsoft.AspNetCore.DataProtection;

namespace Traceability.Authority.Api.Reports;

/// <summary>
/// Encrypts consumers' contact details before they reach the store (ASP.NET Data Protection:
/// authenticated encryption, keys in {Storage:DataDirectory}/keys, rotated by the key manager).
/// The purpose string isolates these payloads from every other use of the same key ring.
/// </summary>
public sealed class ContactProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Traceability.Reports.Contact.v1");

    public string Protect(string contact) => _protector.Protect(contact);

    /// <summary>Null when the payload cannot be decrypted (its key was lost or the row was altered).</summary>
    public string? Unprotect(string payload)
    {
        try
        {
            return _protector.Unprotect(payload);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
