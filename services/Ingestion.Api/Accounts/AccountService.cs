namespace Traceability.Ingestion.Api.Accounts;

public sealed class AccountService(
    IAccountStore store, IProducerProfileStore profiles, TimeProvider time, IEnumerable<IChangeNotifier> notifiers)
{
    public async Task<Outcome<ProducerCreated>> CreateProducerAsync(CreateProducerRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        Required(errors, "name", r.Name, 200);
        Required(errors, "address", r.Address, 500);
        Required(errors, "province", r.Province, 100);
        // Vietnamese tax codes (MST): 10 digits, or 10 digits + "-" + 3 digits for branches.
        if (string.IsNullOrWhiteSpace(r.TaxCode))
            errors.Add("taxCode", "Tax code (MST) is required.");
        else if (!System.Text.RegularExpressions.Regex.IsMatch(r.TaxCode, @"^\d{10}(-\d{3})?$"))
            errors.Add("taxCode", "Tax code (MST) must be 10 digits, or 10 digits, '-' and 3 digits for a branch.");
        if (r.Gln is not null && !Gln.TryParse(r.Gln, out _, out var glnError))
            errors.Add("gln", glnError!);
        if (r.CompanyPrefixes is not { Count: > 0 })
            errors.Add("companyPrefixes", "At least one GS1 company prefix is required.");
        else
            for (var i = 0; i < r.CompanyPrefixes.Count; i++)
                if (!Gs1Syntax.IsValidCompanyPrefix(r.CompanyPrefixes[i]))
                    errors.Add($"companyPrefixes[{i}]", "A GS1 company prefix has 4 to 12 digits.");
        if (!errors.IsValid) return Outcome<ProducerCreated>.Invalid(errors);

        var now = time.GetUtcNow();
        var producer = new Producer(NewId("p"), r.Name!.Trim(), r.TaxCode!, r.Address!.Trim(), r.Province!.Trim(),
            r.Gln, r.CompanyPrefixes!, now, r.Phone, r.Email);
        var (apiKey, key) = ApiKeys.Issue(Role.Producer, now, producerId: producer.Id);
        try
        {
            await store.AddProducerAsync(producer, key, ct);
        }
        catch (DuplicateKeyException)
        {
            return Outcome<ProducerCreated>.Conflict($"A producer with tax code {r.TaxCode} is already registered.");
        }
        return Outcome<ProducerCreated>.Ok(new ProducerCreated(producer.Id, apiKey, producer.Name, producer.TaxCode,
            producer.Address, producer.Province, producer.Gln, producer.CompanyPrefixes));
    }

    public async Task<Outcome<InspectorCreated>> CreateInspectorAsync(CreateInspectorRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        Required(errors, "name", r.Name, 200);
        Required(errors, "agency", r.Agency, 200);
        if (!errors.IsValid) return Outcome<InspectorCreated>.Invalid(errors);

        var now = time.GetUtcNow();
        var inspector = new Inspector(NewId("i"), r.Name!.Trim(), r.Agency!.Trim(), now);
        var (apiKey, key) = ApiKeys.Issue(Role.Inspector, now, inspectorId: inspector.Id);
        await store.AddInspectorAsync(inspector, key, ct);
        return Outcome<InspectorCreated>.Ok(new InspectorCreated(inspector.Id, apiKey, inspector.Name, inspector.Agency));
    }

    /// <summary>The producer replaces the contact it publishes; every product page of it shows the new one at once.</summary>
    public async Task<Outcome<ProducerContact>> SetContactAsync(string producerId, ProducerContactRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var contact = ValidateContact(r, errors);
        if (!errors.IsValid) return Outcome<ProducerContact>.Invalid(errors);
        if (!await profiles.SetProducerPublicContactAsync(producerId, contact.Phone, contact.Website, ct))
            return Outcome<ProducerContact>.NotFound($"There is no producer '{producerId}'.");
        // The producer shows on every one of its pages: clear them all (rare, so the cost does not matter).
        foreach (var notifier in notifiers) notifier.Changed(ChangeKeys.All);
        return Outcome<ProducerContact>.Ok(contact);
    }

    /// <summary>
    /// Phone: digits with spaces, dots, dashes, brackets or a leading +; website an absolute http(s)
    /// URL (the consumer page links to it, so never javascript: or a relative path).
    /// </summary>
    internal static ProducerContact ValidateContact(ProducerContactRequest r, ValidationErrors errors)
    {
        string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var phone = Trimmed(r.Phone);
        var website = Trimmed(r.Website);
        if (phone is not null && (phone.Length > 30 || !System.Text.RegularExpressions.Regex.IsMatch(phone, @"^\+?[0-9 .()\-]{6,}$")))
            errors.Add("phone", "A phone number is digits, with spaces, dots, dashes or brackets and an optional leading '+' (at most 30 characters).");
        if (website is not null && (website.Length > 300
            || !Uri.TryCreate(website, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            errors.Add("website", "The website must be an absolute http(s) URL (at most 300 characters).");
        return new ProducerContact(phone, website);
    }

    internal static void Required(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(field, "This field is required.");
        else if (value.Length > maxLength) errors.Add(field, $"At most {maxLength} characters are allowed.");
    }

    private static string NewId(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
}
