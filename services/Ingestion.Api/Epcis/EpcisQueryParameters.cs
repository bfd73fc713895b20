namespace Traceability.Ingestion.Api.Epcis;

/// <summary>EPCIS 2.0 REST query parameters (GET /epcis/events) → a store query.</summary>
public static class EpcisQueryParameters
{
    public const int DefaultPerPage = 100;
    public const int MaxPerPage = 1000;

    private static readonly Dictionary<string, EventKeyRole[]> KeyParameters = new(StringComparer.Ordinal)
    {
        ["MATCH_epc"] = [EventKeyRole.Epc],
        ["MATCH_parentID"] = [EventKeyRole.Parent],
        ["MATCH_inputEPC"] = [EventKeyRole.Input],
        ["MATCH_outputEPC"] = [EventKeyRole.Output],
        ["MATCH_anyEPC"] = [EventKeyRole.Epc, EventKeyRole.Parent, EventKeyRole.Input, EventKeyRole.Output],
        ["MATCH_epcClass"] = [EventKeyRole.Class],
        ["MATCH_inputEPCClass"] = [EventKeyRole.InputClass],
        ["MATCH_outputEPCClass"] = [EventKeyRole.OutputClass],
        ["MATCH_anyEPCClass"] = [EventKeyRole.Class, EventKeyRole.InputClass, EventKeyRole.OutputClass],
    };

    /// <param name="prefixes">Namespace prefixes the query declares (a named query's @context), for CURIE extension-field names.</param>
    public static Outcome<EventQuery> Parse(IQueryCollection query, string? producerId, IReadOnlyDictionary<string, string>? prefixes = null)
    {
        var errors = new ValidationErrors();
        var q = new EventQuery { ProducerId = producerId, PerPage = DefaultPerPage };
        var keyFilters = new List<KeyFilter>();
        var filter = new EventPredicate();
        string? orderBy = null, direction = null;
        foreach (var (name, raw) in query)
        {
            var values = raw.SelectMany(v => (v ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            switch (name)
            {
                case "eventType": q = q with { EventTypes = values }; break;
                case "GE_eventTime": q = q with { GeEventTime = Time(name, raw, errors) }; break;
                case "LT_eventTime": q = q with { LtEventTime = Time(name, raw, errors) }; break;
                case "GE_recordTime": q = q with { GeRecordTime = Time(name, raw, errors) }; break;
                case "LT_recordTime": q = q with { LtRecordTime = Time(name, raw, errors) }; break;
                case "EQ_bizStep": q = q with { BizSteps = Terms(name, values, Cbv.TryNormalizeBizStep, errors) }; break;
                case "EQ_disposition": q = q with { Dispositions = Terms(name, values, Cbv.TryNormalizeDisposition, errors) }; break;
                case "EQ_bizLocation": q = q with { BizLocations = values.Select(Location).ToList() }; break;
                case "EQ_readPoint": q = q with { ReadPoints = values.Select(Location).ToList() }; break;
                case "EQ_action":
                    if (values.FirstOrDefault(v => v is not ("ADD" or "OBSERVE" or "DELETE")) is { } action)
                        errors.Add(name, $"'{action}' is not an action: use ADD, OBSERVE or DELETE.");
                    q = q with { Actions = values };
                    break;
                case "EQ_eventID": q = q with { EventIds = values }; break;
                // Error declarations (EPCIS 2.0 §7.4.1.5, §8.2.7.1): EXISTS_ takes no value.
                case "EXISTS_errorDeclaration":
                    if (EventPredicate.TryReadFlag(values, out var declared, out var flagError)) q = q with { ErrorDeclared = declared };
                    else errors.Add(name, flagError!);
                    break;
                case "GE_errorDeclarationTime": q = q with { GeErrorDeclarationTime = Time(name, raw, errors) }; break;
                case "LT_errorDeclarationTime": q = q with { LtErrorDeclarationTime = Time(name, raw, errors) }; break;
                case "EQ_errorReason": q = q with { ErrorReasons = [.. values.Select(ErrorDeclaration.NormalizeReason).Distinct()] }; break;
                case "EQ_correctiveEventID": q = q with { CorrectiveEventIds = values }; break;
                case "eventCountLimit":
                    // At most N events in all: one page of N, without a next page.
                    if (int.TryParse(raw, out var limit) && limit is >= 1 and <= MaxPerPage) q = q with { EventCountLimit = limit };
                    else errors.Add(name, $"eventCountLimit must be a whole number from 1 to {MaxPerPage}.");
                    break;
                case "perPage":
                    if (int.TryParse(raw, out var perPage) && perPage is >= 1 and <= MaxPerPage) q = q with { PerPage = perPage };
                    else errors.Add(name, $"perPage must be a whole number from 1 to {MaxPerPage}.");
                    break;
                case "nextPageToken": q = q with { PageToken = raw.ToString() }; break;
                // orderBy: eventTime or recordTime (extension fields are refused); orderDirection defaults to DESC
                // when orderBy is given (EPCIS 2.0 §8.2.7.1). Without either, events come by record time ascending.
                case "orderBy":
                    orderBy = raw.ToString();
                    if (orderBy is not ("eventTime" or "recordTime"))
                        errors.Add(name, $"'{orderBy}' cannot order events here: use eventTime or recordTime (ordering by an extension field is not supported).");
                    break;
                case "orderDirection":
                    direction = raw.ToString();
                    if (direction is not ("ASC" or "DESC")) errors.Add(name, $"'{direction}' is not an order direction: use ASC or DESC.");
                    break;
                default:
                    if (KeyParameters.TryGetValue(name, out var roles))
                        keyFilters.Add(new KeyFilter(roles, Keys(name, values, errors)));
                    else if (filter.TryAdd(name, values, prefixes, out var filterError))
                    {
                        if (filterError is not null) errors.Add(name, filterError);
                    }
                    else
                        errors.Add(name, "This query parameter is not supported. Supported: eventType, GE_/LT_eventTime, " +
                            "GE_/LT_recordTime, EQ_/WD_bizLocation, EQ_/WD_readPoint, EQ_bizStep, EQ_disposition, EQ_action, EQ_eventID, EQ_transformationID, " +
                            "EQ_persistentDisposition_set/_unset, EQ_bizTransaction_/EQ_source_/EQ_destination_{type}, " +
                            "EXISTS_{field}, EQ_/GT_/GE_/LT_/LE_ and EXISTS_ of extension fields ({namespace}#{name} or prefix:name; ILMD_, INNER_, " +
                            "ERROR_DECLARATION_, SENSORELEMENT_, SENSORMETADATA_, SENSORREPORT_), EQ_/GT_/GE_/LT_/LE_quantity[_{uom}], " +
                            "sensor filters (EQ_type, EQ_deviceID, EQ_dataProcessingMethod, EQ_microorganism, EQ_chemicalSubstance, EQ_bizRules, " +
                            "EQ_stringValue, EQ_booleanValue, EQ_hexBinaryValue, EQ_uriValue, GE_/LT_time, GE_/LT_startTime, GE_/LT_endTime, " +
                            "EQ_/GT_/GE_/LT_/LE_{value|minValue|maxValue|meanValue|sDev|percRank|percValue}[_{uom}]), " +
                            "EXISTS_errorDeclaration, GE_/LT_errorDeclarationTime, EQ_errorReason, EQ_correctiveEventID, orderBy, orderDirection, eventCountLimit, " +
                            string.Join(", ", KeyParameters.Keys) + ", perPage, nextPageToken.");
                    break;
            }
        }
        if (q.EventCountLimit is { } count) q = q with { PerPage = count };
        q = q with
        {
            OrderBy = orderBy == "eventTime" ? EventOrder.EventTime : EventOrder.RecordTime,
            // With orderBy the binding's default is DESC; without it, the default order (record time) ascends unless DESC is asked.
            Descending = direction == "DESC" || (direction is null && orderBy is not null),
        };
        return errors.IsValid
            ? Outcome<EventQuery>.Ok(q with { KeyFilters = keyFilters, Filter = filter.IsEmpty ? null : filter })
            : Outcome<EventQuery>.Invalid(errors);
    }

    private static DateTimeOffset? Time(string name, Microsoft.Extensions.Primitives.StringValues raw, ValidationErrors errors)
    {
        if (DateTimeOffset.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var t) && raw.ToString().Length > 10
            && (raw.ToString().EndsWith('Z') || raw.ToString()[^6] is '+' or '-'))
            return t;
        errors.Add(name, "Give an ISO 8601 time with an offset, e.g. 2026-05-01T00:00:00+07:00.");
        return null;
    }

    private delegate bool Normalizer(string value, out string normalized);

    private static List<string> Terms(string name, List<string> values, Normalizer normalize, ValidationErrors errors)
    {
        var list = new List<string>();
        foreach (var v in values)
            if (normalize(v, out var n)) list.Add(n);
            else errors.Add(name, $"'{v}' is not a CBV term or URI.");
        return list;
    }

    /// <summary>
    /// EPC URNs, Digital Links and EPC patterns (<c>urn:epc:idpat:sgtin:CP.IR.*</c>) become the
    /// store's canonical keys; a pattern becomes "the GTIN itself or anything under it".
    /// </summary>
    private static List<string> Keys(string name, List<string> values, ValidationErrors errors)
    {
        var keys = new List<string>();
        foreach (var v in values)
        {
            if (EpcIdentifier.TryToKey(v, out var key, out var error))
            {
                keys.Add(key);
                if (v.StartsWith("urn:epc:idpat:", StringComparison.Ordinal) || key.Count(c => c == '/') == 1)
                    keys.Add(key + "/*");
            }
            else errors.Add(name, $"'{v}': {error}");
        }
        return keys;
    }

    private static string Location(string value) => EpcIdentifier.TryToKey(value, out var key, out _) ? key : value;
}
