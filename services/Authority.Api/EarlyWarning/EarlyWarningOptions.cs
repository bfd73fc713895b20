namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>Configuration section "EarlyWarning" (validated at start: a bad value stops the host).</summary>
public sealed class EarlyWarningOptions : IValidatableObject
{
    public const string Section = "EarlyWarning";

    /// <summary>
    /// The score from which a case becomes an alert: −log10 of the chance of seeing at least that
    /// many by chance on a usual day (4 = once in 10,000 days of one product in one province).
    /// </summary>
    [Range(1.0, 50.0)]
    public double Threshold { get; set; } = 4.0;

    /// <summary>Days of a case's own history its baseline is learned from (the days before the scored one).</summary>
    [Range(7, 365)]
    public int HistoryDays { get; set; } = 28;

    /// <summary>
    /// Optional: an absolute http(s) URL that receives a POST for every alert that opens, and again
    /// whenever its score rises by another <see cref="Threshold"/> (see <see cref="AlertWebhook"/>).
    /// </summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Optional: signs each push, header <c>X-Traceability-Signature: sha256=HEX(HMAC-SHA256(secret, body))</c>.</summary>
    [MinLength(16)]
    public string? WebhookSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(WebhookUrl))
        {
            if (!string.IsNullOrEmpty(WebhookSecret))
                yield return new("EarlyWarning:WebhookSecret needs EarlyWarning:WebhookUrl.", [nameof(WebhookSecret)]);
            yield break;
        }
        if (!Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.UserInfo.Length > 0)
            yield return new("EarlyWarning:WebhookUrl must be an absolute http or https URL without user information.", [nameof(WebhookUrl)]);
    }
}
