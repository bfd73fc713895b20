namespace Traceability.ProducerConsole.Events;

/// <summary>What the event and processing forms share: time and place fields, capture and error mapping.</summary>
internal static class EventForm
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm";

    public static string Now(TimeProvider time) =>
        time.GetUtcNow().ToOffset(VietnamTime.Offset).ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A datetime-local value, read as Vietnam time (UTC+7), inside <see cref="EventTimeWindow"/>.</summary>
    public static DateTimeOffset? ParseTime(string? text, FieldErrors errors, IStringLocalizer<ConsoleTexts> texts, TimeProvider time)
    {
        if (text is null || !DateTime.TryParseExact(text, [TimeFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
        {
            errors.Add("time", texts["Event_BadTime"]);
            return null;
        }
        var at = InVietnam(local);
        var now = time.GetUtcNow();
        if (at is { } t && EventTimeWindow.Contains(t, now)) return t;
        var latest = EventTimeWindow.Latest(now).ToOffset(VietnamTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        var earliest = EventTimeWindow.Earliest.ToOffset(VietnamTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        errors.Add("time", texts.Format("Event_TimeWindow", earliest, latest));
        return null;
    }

    /// <summary>A local Vietnam time as an instant; null for the first hours of year 1, which have no UTC instant.</summary>
    internal static DateTimeOffset? InVietnam(DateTime local) =>
        local.Ticks >= VietnamTime.Offset.Ticks ? new DateTimeOffset(local, VietnamTime.Offset) : null;

    public static decimal? ParseQuantity(string? text, string field, FieldErrors errors, IStringLocalizer<ConsoleTexts> texts)
    {
        if (text is null) return null;
        if (decimal.TryParse(text.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d >= 0) return d;
        errors.Add(field, texts["Event_BadQuantity"]);
        return null;
    }

    /// <summary>The place as events name it: the location's GLN as a Digital Link, or its producer-scoped URN.</summary>
    public static async Task<string?> LocationIdAsync(HttpContext ctx, IStringLocalizer<ConsoleTexts> texts, ICatalogStore catalog, string? code, FieldErrors errors,
        string field = "location")
    {
        if (code is null) return null;
        var location = await catalog.GetLocationAsync(ctx.User.ProducerId()!, code, ctx.RequestAborted);
        if (location is null)
        {
            errors.Add(field, texts["Event_NoLocation"]);
            return null;
        }
        return LocationIdentifier.ForEvent(location);
    }

    /// <summary>
    /// Where the goods go or are, beyond the producer's own place: a shipment's destination (one of the
    /// producer's locations, <paramref name="destination"/>, or a receiving partner's GLN) and, for
    /// receiving and retail, a partner's GLN as the place itself (its Digital Link <c>…/414/{gln}</c>)
    /// when it is not one of the producer's locations. Errors are keyed by form field.
    /// </summary>
    public static async Task<(Destination? To, string? PartnerPlace)> WhereAsync(HttpContext ctx, IStringLocalizer<ConsoleTexts> texts, ICatalogStore catalog, Step? step,
        string? destination, string? partnerGln, bool hasPlace, FieldErrors errors)
    {
        if (destination is null && partnerGln is null) return (null, null);
        var gln = "";
        if (partnerGln is not null)
        {
            if (!Gln.TryParse(partnerGln, out var parsed, out var glnError))
            {
                errors.Add("partnerGln", ServiceMessages.Translate(glnError!));
                return (null, null);
            }
            gln = parsed.Value;
        }
        string either = texts["Event_Either"];
        switch (step)
        {
            case null:
                return (null, null);
            case { IsShipping: true } when destination is not null && partnerGln is not null:
                errors.Add("partnerGln", either);
                return (null, null);
            case { IsShipping: true } when partnerGln is not null:
                return (Destination.Partner(gln), null);
            case { IsShipping: true }:
                return await LocationIdAsync(ctx, texts, catalog, destination, errors, "destination") is { } id ? (Destination.Location(id), null) : (null, null);
            case { AtPartner: true }:
                if (destination is not null)
                    errors.Add("destination", texts["Event_DestinationShippingOnly"]);
                if (partnerGln is not null && hasPlace) errors.Add("partnerGln", either);
                return (null, partnerGln is null ? null : LocationIdentifier.GlnPlace(gln));
            default:
                errors.Add(destination is not null ? "destination" : "partnerGln", texts["Event_PartnerOnly"]);
                return (null, null);
        }
    }

    /// <summary>Captures one event through the API's capture service; errors come back keyed by form field.</summary>
    public static async Task<FieldErrors> CaptureAsync(HttpContext ctx, CaptureService capture, TimeProvider time, EventDraft draft)
    {
        var document = EventBuilder.Document([EventBuilder.Event(draft)], time.GetUtcNow());
        var outcome = await capture.CaptureDocumentAsync(ctx.User.ProducerId()!, JsonSerializer.SerializeToElement(document), ctx.RequestAborted);
        if (outcome.IsOk) return new FieldErrors();
        if (outcome.Kind != OutcomeKind.Invalid) return new FieldErrors { ["lot"] = [outcome.Message!] };
        var errors = new FieldErrors();
        foreach (var (key, messages) in outcome.Errors!)
            foreach (var m in messages) errors.Add(FieldOf(key), m);
        return errors;
    }

    /// <summary>An EPCIS error path (<c>eventList[0].quantityList[0].uom</c>) as the form field it came from.</summary>
    internal static string FieldOf(string path)
    {
        var p = path.StartsWith("eventList[0]", StringComparison.Ordinal) ? path["eventList[0]".Length..].TrimStart('.') : path;
        if (p.Length == 0) return "lot";
        if (p.StartsWith("eventTime", StringComparison.Ordinal)) return "time";
        if (p.EndsWith(".uom", StringComparison.Ordinal)) return "uom";
        if (p.EndsWith(".quantity", StringComparison.Ordinal)) return "quantity";
        if (p.StartsWith("readPoint", StringComparison.Ordinal) || p.StartsWith("bizLocation", StringComparison.Ordinal)) return "location";
        if (p.StartsWith("inputQuantityList", StringComparison.Ordinal)) return "inputs";
        if (p.StartsWith("destinationList", StringComparison.Ordinal)) return "destination";
        if (p.StartsWith("quantityList", StringComparison.Ordinal) || p.StartsWith("outputQuantityList", StringComparison.Ordinal)) return "lot";
        return p;
    }
}
