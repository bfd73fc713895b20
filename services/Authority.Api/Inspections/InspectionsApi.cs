using Microsoft.AspNetCore.Http.Features;
using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Authority.Api.Inspections;

/// <summary>
/// Inspectors record what they found (JSON, or multipart with a `photo` file); the authority lists
/// the records. Photos: JPEG/PNG only (sniffed from the bytes), at most Inspections:MaxPhotoBytes.
/// </summary>
public static class InspectionsApi
{
    public static IEndpointRouteBuilder MapInspectionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/inspections").WithTags("Inspections");
        // Inspectors record; every staff role reads; admins and officers publish.
        var inspectors = group.MapGroup("").RequireAuthorization(Policies.Inspector);
        var staff = group.MapGroup("").RequireAuthorization(Policies.Staff);
        var writers = group.MapGroup("").RequireAuthorization(Policies.StaffWriter);
        inspectors.MapPost("/", Record).WithName("RecordInspection")
            .WithSummary("Record an inspection (inspector): JSON {code, result, notes?, latitude?, longitude?, inspectedAt?, clientRef?}, or multipart with the same fields and a `photo` file.")
            .Accepts<CreateInspectionRequest>("application/json", "multipart/form-data")
            .Produces<InspectionView>(StatusCodes.Status201Created).Produces<InspectionView>()
            .WithUploadLimits(null).DisableAntiforgery();
        inspectors.MapPost("/{id}/photo", AttachPhoto).WithName("AttachInspectionPhoto")
            .WithSummary("Attach photo evidence to one's own inspection: a raw image/jpeg or image/png body, or multipart field `photo`.")
            .Produces<InspectionView>().WithUploadLimits(null).DisableAntiforgery();
        staff.MapGet("/", List).WithName("ListInspections")
            .WithSummary("Inspection records, newest inspected first (staff). ?gtin=&lot=&province=&inspector=&result=&from=&to= (yyyy-MM-dd, Vietnam days)&published=&max=");
        staff.MapGet("/{id}/photo", Photo).WithName("GetInspectionPhoto")
            .WithSummary("The photo evidence of an inspection (staff).");
        writers.MapPost("/{id}/publish", (string id, HttpRequest request, ClaimsPrincipal user, InspectionService inspections, CancellationToken ct) =>
                PublishAsync(request, reason => inspections.SetPublishedAsync(user, id, true, reason, ct)))
            .WithName("PublishInspection").Accepts<PublishRequest>("application/json")
            .WithSummary("Publish the outcome on /canh-bao and the warnings feed (officer, admin): {reason?}. Audited.");
        writers.MapPost("/{id}/unpublish", (string id, HttpRequest request, ClaimsPrincipal user, InspectionService inspections, CancellationToken ct) =>
                PublishAsync(request, reason => inspections.SetPublishedAsync(user, id, false, reason, ct)))
            .WithName("UnpublishInspection").Accepts<PublishRequest>("application/json")
            .WithSummary("Withdraw a published outcome (officer, admin): {reason} required. Audited.");
        return routes;
    }

    private static async Task<IResult> Record(HttpRequest request, ClaimsPrincipal user, InspectionService inspections,
        IOptions<InspectionOptions> options, CancellationToken ct)
    {
        var inspectorId = user.InspectorId();
        if (inspectorId is null) return Problem.Forbidden("Only an inspector's key may record inspections.");
        CreateInspectionRequest body;
        byte[]? photo = null;
        if (request.HasFormContentType)
        {
            var limit = options.Value.MaxPhotoBytes + 64 * 1024;
            var (form, problem) = await ReadFormAsync(request, limit, ct);
            if (problem is not null) return problem;
            var errors = new ValidationErrors();
            body = new CreateInspectionRequest(form!["code"], form["result"], form["notes"],
                Number(form, "latitude", errors), Number(form, "longitude", errors), Time(form, "inspectedAt", errors),
                string.IsNullOrEmpty(form["clientRef"]) ? null : form["clientRef"].ToString(), form["place"]);
            if (form.Files.GetFile("photo") is { } file)
            {
                if (file.Length > options.Value.MaxPhotoBytes) return Problem.TooLarge(options.Value.MaxPhotoBytes);
                photo = await ReadAllAsync(file.OpenReadStream(), options.Value.MaxPhotoBytes, ct);
                if (photo is null) return Problem.TooLarge(options.Value.MaxPhotoBytes);
                if (ImageSniffer.Sniff(photo) is null) errors.Add("photo", "The photo must be a JPEG or PNG image.");
            }
            if (!errors.IsValid) return Problem.Validation(errors);
        }
        else
        {
            var (json, problem) = await JsonBody.ReadAsync<CreateInspectionRequest>(request, 64 * 1024);
            if (problem is not null) return problem;
            body = json!;
        }

        var outcome = await inspections.RecordAsync(inspectorId, body, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        var view = outcome.Value!.Inspection;
        if (photo is not null)
        {
            var attached = await inspections.AttachPhotoAsync(inspectorId, view.Id, photo, ct);
            if (!attached.IsOk) return attached.ToProblem();
            view = attached.Value!;
        }
        var location = $"/api/v1/inspections/{view.Id}";
        return outcome.Value.Created ? TypedResults.Created(location, view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> AttachPhoto(string id, HttpRequest request, ClaimsPrincipal user,
        InspectionService inspections, IOptions<InspectionOptions> options, CancellationToken ct)
    {
        var inspectorId = user.InspectorId();
        if (inspectorId is null) return Problem.Forbidden("Only an inspector's key may attach evidence.");
        var max = options.Value.MaxPhotoBytes;
        byte[]? data;
        if (request.HasFormContentType)
        {
            var (form, problem) = await ReadFormAsync(request, max + 64 * 1024, ct);
            if (problem is not null) return problem;
            if (form!.Files.GetFile("photo") is not { } file) return Problem.Validation("photo", "Send the image in the multipart field 'photo'.");
            if (file.Length > max) return Problem.TooLarge(max);
            data = await ReadAllAsync(file.OpenReadStream(), max, ct);
        }
        else if (request.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (request.ContentLength > max) return Problem.TooLarge(max);
            data = await ReadAllAsync(request.Body, max, ct);
        }
        else
        {
            return Problem.UnsupportedMediaType("Send a JPEG or PNG image (image/jpeg, image/png) or multipart/form-data with a 'photo' file.");
        }
        if (data is null) return Problem.TooLarge(max);
        if (ImageSniffer.Sniff(data) is null)
            return Problem.UnsupportedMediaType("The photo must be a JPEG or PNG image.");
        var outcome = await inspections.AttachPhotoAsync(inspectorId, id, data, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<InspectionList>, AnyProblem>> List(string? gtin, string? lot, string? province, string? inspector, string? result,
        string? from, string? to, string? published, int? max, InspectionService inspections, CancellationToken ct)
    {
        var filter = InspectionService.ParseFilter(new InspectionFilterInput(gtin, lot, province, inspector, result, from, to, published, max));
        return filter.IsOk ? TypedResults.Ok(await inspections.QueryAsync(filter.Value!, ct)) : filter.ToProblem();
    }

    private static async Task<Results<Ok<InspectionView>, AnyProblem>> PublishAsync(HttpRequest request, Func<string?, Task<Outcome<InspectionView>>> change)
    {
        // An empty body is a publish without a reason.
        string? reason = null;
        if (request.ContentLength is not 0 && (request.ContentLength is not null || request.ContentType is not null))
        {
            var (body, problem) = await JsonBody.ReadAsync<PublishRequest>(request);
            if (problem is not null) return problem;
            reason = body!.Reason;
        }
        var outcome = await change(reason);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    // IResult, not Results<…>: the workspace maps this handler too (/authority/inspections/{id}/photo), and ASP.NET Core 10
    // counts an endpoint with typed results as an API endpoint, whose cookie challenge is a 401 instead of the sign-in redirect.
    internal static async Task<IResult> Photo(string id, IInspectionStore store, CancellationToken ct) =>
        await store.GetInspectionPhotoAsync(id, ct) is { } photo
            ? TypedResults.File(photo.Data, photo.ContentType)
            : Problem.NotFound($"Inspection '{id}' has no photo.");

    private static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return (null, Problem.TooLarge(limit));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        try
        {
            var form = await request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = limit, ValueCountLimit = 32, KeyLengthLimit = 64, ValueLengthLimit = 16 * 1024,
            }, ct);
            return (form, null);
        }
        catch (InvalidDataException)
        {
            return (null, Problem.TooLarge(limit));
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problem.TooLarge(limit)
                : Problem.BadRequest("The multipart body could not be read."));
        }
    }

    /// <summary>The whole stream, or null when it is longer than <paramref name="max"/>.</summary>
    private static async Task<byte[]?> ReadAllAsync(Stream stream, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > max) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    private static double? Number(IFormCollection form, string field, ValidationErrors errors)
    {
        var text = form[field].ToString();
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add(field, "This field must be a number.");
        return null;
    }

    private static DateTimeOffset? Time(IFormCollection form, string field, ValidationErrors errors)
    {
        var text = form[field].ToString();
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)) return value;
        errors.Add(field, "This field must be an ISO 8601 date and time.");
        return null;
    }
}
