using System.Text.Json.Serialization;

namespace Traceability.Lookup.Api.Signing;

/// <summary>
/// The published label keys (`GET /.well-known/traceability-keys`), JWKS-like (RFC 7517): EC P-256
/// public keys with `kid`, plus `status` (active: signs new labels; retired: verifies old ones) and `created`.
/// </summary>
public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<PublicJwk> Keys)
{
    /// <summary>An offline verifier's key lookup: only these keys, no store.</summary>
    public Func<string, ECDsa?> Resolver()
    {
        var keys = Keys.Where(k => k.Kty == "EC" && k.Crv == "P-256")
            .ToDictionary(k => k.Kid, k => k.ToECDsa(), StringComparer.Ordinal);
        return kid => keys.GetValueOrDefault(kid);
    }
}

public sealed record PublicJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created")] DateTimeOffset Created)
{
    public static PublicJwk From(string kid, ECDsa key, bool active, DateTimeOffset created)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return new("EC", "P-256", LabelSignature.Base64Url(p.Q.X), LabelSignature.Base64Url(p.Q.Y), kid, "sig",
            LabelSignature.Algorithm, active ? "active" : "retired", created);
    }

    public ECDsa? ToECDsa()
    {
        if (!LabelSignature.TryDecodeStrict(X, out var x) || !LabelSignature.TryDecodeStrict(Y, out var y) || x.Length != 32 || y.Length != 32)
            return null;
        try
        {
            return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
