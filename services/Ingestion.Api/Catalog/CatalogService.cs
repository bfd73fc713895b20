using System.Diagnostics;
using Traceability.Ingestion.Api.Accounts;

namespace Traceability.Ingestion.Api.Catalog;

/// <summary>Products, locations and lots: the validation and ownership rules every front end shares.</summary>
public sealed class CatalogService(
    ICatalogStore catalog, IAccountStore accounts, TimeProvider time, IEnumerable<IChangeNotifier> notifiers)
{
    public static readonly string[] LocationKinds = ["farm", "growing_area", "processing", "warehouse", "store", "other"];

    public async Task<Outcome<Product>> AddProductAsync(string producerId, ProductRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var gtinOk = Gtin.TryParse(r.Gtin, out var gtin, out var gtinError);
        if (!gtinOk) errors.Add("gtin", gtinError!);
        var product = Validate(producerId, r, gtin, errors);
        if (!errors.IsValid) return Outcome<Product>.Invalid(errors);

        var producer = await accounts.GetProducerAsync(producerId, ct);
        if (producer is null || !producer.CompanyPrefixes.Any(gtin.HasCompanyPrefix))
            return Outcome<Product>.Forbidden(
                $"GTIN {gtin.Value} is outside your GS1 company prefixes ({string.Join(", ", producer?.CompanyPrefixes ?? [])}).");
        try
        {
            await catalog.AddProductAsync(product!, Announce(OutboxKind.Product, gtin.Value), ct);
        }
        catch (DuplicateKeyException)
        {
            return Outcome<Product>.Conflict($"GTIN {gtin.Value} is already registered.");
        }
        Notify($"01/{gtin.Value}");
        return Outcome<Product>.Ok(product!);
    }

    public async Task<Outcome<Product>> UpdateProductAsync(string producerId, string gtinText, ProductRequest r, CancellationToken ct)
    {
        var existing = await GetOwnProductAsync(producerId, gtinText, ct);
        if (!existing.IsOk) return existing;
        var errors = new ValidationErrors();
        var product = Validate(producerId, r, Gtin.Parse(existing.Value!.Gtin), errors);
        if (!errors.IsValid) return Outcome<Product>.Invalid(errors);
        product = product! with { CreatedAt = existing.Value.CreatedAt };
        await catalog.UpdateProductAsync(product, Announce(OutboxKind.Product, product.Gtin), ct);
        Notify($"01/{product.Gtin}");
        return Outcome<Product>.Ok(product);
    }

    public async Task<Outcome<Product>> GetOwnProductAsync(string? producerId, string gtinText, CancellationToken ct)
    {
        if (!Gtin.TryParse(gtinText, out var gtin, out var error)) return Outcome<Product>.Invalid("gtin", error!);
        var product = await catalog.GetProductAsync(gtin.Value, ct);
        if (product is null) return Outcome<Product>.NotFound($"GTIN {gtin.Value} is not registered.");
        if (producerId is not null && product.ProducerId != producerId)
            return Outcome<Product>.Forbidden($"GTIN {gtin.Value} belongs to another producer.");
        return Outcome<Product>.Ok(product);
    }

    private Product? Validate(string producerId, ProductRequest r, Gtin gtin, ValidationErrors errors)
    {
        AccountService.Required(errors, "name.vi", r.Name?.Vi, 200);
        if (r.Name?.En is { Length: > 200 }) errors.Add("name.en", "At most 200 characters are allowed.");
        if (r.Brand is { Length: > 100 }) errors.Add("brand", "At most 100 characters are allowed.");
        if (r.ImageUrl is not null && !(Uri.TryCreate(r.ImageUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
            && !r.ImageUrl.StartsWith('/'))
            errors.Add("imageUrl", "The image URL must be an absolute http(s) URL.");
        if (r.Description?.Vi is { Length: > 4000 }) errors.Add("description.vi", "At most 4000 characters are allowed.");
        var standards = r.Standards ?? [];
        if (standards.Count > 20) errors.Add("standards", "At most 20 standards are allowed.");
        for (var i = 0; i < standards.Count; i++)
            if (string.IsNullOrWhiteSpace(standards[i]) || standards[i].Length > 100)
                errors.Add($"standards[{i}]", "A standard is a name of 1 to 100 characters (e.g. VietGAP, OCOP 4 sao, TCVN 12850:2019).");
        if (r.Unit is { Length: > 20 }) errors.Add("unit", "At most 20 characters are allowed.");
        var certificates = Certificates(r.Certificates ?? [], errors);
        if (!errors.IsValid) return null;
        var now = time.GetUtcNow();
        return new Product(gtin.Value, producerId, new LocalizedText(r.Name!.Vi!.Trim(), r.Name.En?.Trim()), r.Brand?.Trim(),
            r.ImageUrl, r.Category?.Trim(),
            r.Description?.Vi is { } dv ? new LocalizedText(dv, r.Description.En) : null,
            standards.Select(s => s.Trim()).ToList(), r.Unit?.Trim(), now, now) { Certificates = certificates };
    }

    /// <summary>At most 10; each names its standard, and its validity does not end before it starts.</summary>
    private static List<Certificate> Certificates(IReadOnlyList<CertificateRequest?> list, ValidationErrors errors)
    {
        if (list.Count > 10) errors.Add("certificates", "At most 10 certificates are allowed.");
        var result = new List<Certificate>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"certificates[{i}]";
            if (list[i] is not { } c) { errors.Add(path, "A certificate is an object {standard, number?, issuer?, validFrom?, validTo?}."); continue; }
            AccountService.Required(errors, path + ".standard", c.Standard, 100);
            if (c.Number is { Length: > 100 }) errors.Add(path + ".number", "At most 100 characters are allowed.");
            if (c.Issuer is { Length: > 200 }) errors.Add(path + ".issuer", "At most 200 characters are allowed.");
            if (c.ValidFrom is { } from && c.ValidTo is { } to && to < from)
                errors.Add(path + ".validTo", "The certificate's validity ends before it starts.");
            result.Add(new Certificate(c.Standard?.Trim() ?? "", Blank(c.Number), Blank(c.Issuer), c.ValidFrom, c.ValidTo));
        }
        return result;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public async Task<Outcome<Location>> AddLocationAsync(string producerId, LocationRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(r.Code) || r.Code.Length > 40 || !r.Code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors.Add("code", "The code is required: 1 to 40 letters, digits, '-', '_' or '.'.");
        AccountService.Required(errors, "name", r.Name, 200);
        if (r.Kind is null || !LocationKinds.Contains(r.Kind))
            errors.Add("kind", $"The kind must be one of: {string.Join(", ", LocationKinds)}.");
        if (r.Latitude is < -90 or > 90) errors.Add("latitude", "Latitude must be between -90 and 90.");
        if (r.Longitude is < -180 or > 180) errors.Add("longitude", "Longitude must be between -180 and 180.");
        if ((r.Latitude is null) != (r.Longitude is null)) errors.Add("longitude", "Give both latitude and longitude, or neither.");
        if (r.Gln is not null && !Gln.TryParse(r.Gln, out _, out var glnError)) errors.Add("gln", glnError!);
        if (!errors.IsValid) return Outcome<Location>.Invalid(errors);

        var location = new Location(producerId, r.Code!, r.Name!.Trim(), r.Kind!, r.Address?.Trim(), r.Province?.Trim(),
            r.Latitude, r.Longitude, r.Gln, time.GetUtcNow());
        try
        {
            await catalog.AddLocationAsync(location, ct);
        }
        catch (DuplicateKeyException)
        {
            return Outcome<Location>.Conflict($"You already have a location with code '{r.Code}'" + (r.Gln is null ? "." : " or GLN " + r.Gln + "."));
        }
        // Events may have named the place before it was registered: the producer's lookups show its name
        // from now on (the stored lookup views keep what they were built with until told). Another
        // producer's events naming its GLN follow within the read model's MaxAge.
        foreach (var product in await catalog.ListProductsAsync(producerId, ct)) Notify($"01/{product.Gtin}");
        return Outcome<Location>.Ok(location);
    }

    public async Task<Outcome<Lot>> AddLotAsync(string producerId, LotRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!Gtin.TryParse(r.Gtin, out var gtin, out var gtinError)) errors.Add("gtin", gtinError!);
        if (!Gs1Syntax.IsValidLot(r.Lot, out var lotError)) errors.Add("lot", lotError!);
        if (r.ProductionDate is { } made && r.ExpiryDate is { } expires && expires < made)
            errors.Add("expiryDate", "The expiry date is before the production date.");
        if (r.Quantity is < 0) errors.Add("quantity", "The quantity cannot be negative.");
        if (r.Uom is { Length: > 20 }) errors.Add("uom", "At most 20 characters are allowed.");
        if (!errors.IsValid) return Outcome<Lot>.Invalid(errors);

        var product = await catalog.GetProductAsync(gtin.Value, ct);
        if (product is null) return Outcome<Lot>.NotFound($"GTIN {gtin.Value} is not registered; register the product first.");
        if (product.ProducerId != producerId) return Outcome<Lot>.Forbidden($"GTIN {gtin.Value} belongs to another producer.");
        if (r.OriginLocation is { } origin && await catalog.GetLocationAsync(producerId, origin, ct) is null)
            return Outcome<Lot>.Invalid("originLocation", $"You have no location with code '{origin}'.");

        var lot = new Lot(gtin.Value, r.Lot!, producerId, r.ProductionDate, r.ExpiryDate, r.Quantity, r.Uom, r.OriginLocation,
            time.GetUtcNow());
        try
        {
            await catalog.AddLotAsync(lot, new OutboxMessage(OutboxKind.Lot, lot.Key, OutboxKind.Product, gtin.Value, TraceParent()), ct);
        }
        catch (DuplicateKeyException)
        {
            return Outcome<Lot>.Conflict($"Lot {r.Lot} of GTIN {gtin.Value} already exists.");
        }
        Notify(lot.Key);
        return Outcome<Lot>.Ok(lot);
    }

    private void Notify(string key)
    {
        foreach (var notifier in notifiers) notifier.Changed(key);
    }

    private static OutboxMessage Announce(OutboxKind kind, string key) => new(kind, key, null, null, TraceParent());

    /// <summary>The current W3C trace context, stored on outbox rows so the portal call joins the trace.</summary>
    internal static string? TraceParent() => Activity.Current?.Id;
}
