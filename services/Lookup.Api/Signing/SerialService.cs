using Traceability.Domain.Gs1;

namespace Traceability.Lookup.Api.Signing;

public sealed record SerialsRequest(int? Count);

public sealed record SerialsResponse(string KeyId, IReadOnlyList<string> Links);

/// <summary>Issues signed serialised labels for a lot: random serials, recorded, each link signed.</summary>
public sealed class SerialService(ICatalogStore catalog, ISerialStore serials, LabelKeyRing keys, TimeProvider time)
{
    /// <summary>
    /// Serials use only letters and digits of GS1 set 82 that need no percent-encoding and cannot
    /// be misread (no 0/O/o, 1/l/I): 56 symbols × 12 = about 69 bits, unguessable.
    /// </summary>
    public const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";
    public const int SerialLength = 12;

    public async Task<Outcome<SerialsResponse>> IssueAsync(string producerId, string gtinText, string lotText, SerialsRequest r,
        int maxCount, string baseUrl, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!Gtin.TryParse(gtinText, out var gtin, out var gtinError)) errors.Add("gtin", gtinError!);
        if (!Gs1Syntax.IsValidLot(lotText, out var lotError)) errors.Add("lot", lotError!);
        if (r.Count is not { } count || count < 1 || count > maxCount)
            errors.Add("count", $"The count must be between 1 and {maxCount}.");
        if (!errors.IsValid) return Outcome<SerialsResponse>.Invalid(errors);

        var lot = await catalog.GetLotAsync(gtin.Value, lotText, ct);
        if (lot is null) return Outcome<SerialsResponse>.NotFound($"Lot {lotText} of GTIN {gtin.Value} is not registered.");
        if (lot.ProducerId != producerId) return Outcome<SerialsResponse>.Forbidden("This lot belongs to another producer.");

        var (keyId, key) = await keys.SigningKeyAsync(ct);
        using (key)
        {
            var now = time.GetUtcNow();
            // A collision of 69-bit random serials is astronomically unlikely; retry once anyway.
            for (var attempt = 0; ; attempt++)
            {
                var issued = Enumerable.Range(0, r.Count!.Value).Select(_ => NewSerial()).Distinct()
                    .Select(s => new IssuedSerial(gtin.Value, lot.LotNumber, s, keyId, now)).ToList();
                try
                {
                    await serials.AddSerialsAsync(issued, ct);
                }
                catch (DuplicateKeyException) when (attempt == 0)
                {
                    continue;
                }
                var links = issued.Select(s => LabelSignature.Sign(
                    new DigitalLink(gtin, Lot: lot.LotNumber, Serial: s.Serial).ToUri(baseUrl, withAttributes: false), keyId, key)).ToList();
                return Outcome<SerialsResponse>.Ok(new SerialsResponse(keyId, links));
            }
        }
    }

    public static string NewSerial() => new(RandomNumberGenerator.GetItems<char>(Alphabet, SerialLength));
}
