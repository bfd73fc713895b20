using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Traceability.ServiceDefaults.Auth;
using Traceability.ServiceDefaults.Http;
using Traceability.ServiceDefaults.Problems;

namespace Traceability.Authority.Api.Reports;

/// <summary>Consumers report problems (public, rate-limited); the authority reads and triages them.</summary>
public static class ReportsApi
{
    private const long BodyLimit = 16 * 1024;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/reports").WithTags("Reports");
        group.MapPost("/", Submit).WithName("SubmitReport")
            .WithSummary("Report a problem with a product (public). JSON, or the lookup page's form post. Contact details are encrypted at rest.")
            .Accepts<CreateReportRequest>("application/json", "application/x-www-form-urlencoded")
            .Produces<ReportAccepted>(StatusCodes.Status202Accepted)
            .AddEndpointFilterFactory((context, next) =>
            {
                // One limiter for the endpoint (AddEndpointFilter<T> would build a new one per request).
                var limiter = context.ApplicationServices.GetRequiredService<ReportRateLimiter>();
                return invocation => limiter.InvokeAsync(invocation, next);
            })
            .DisableAntiforgery()
            .AllowAnonymous();
        group.MapGet("/", List).WithName("ListReports").RequireAuthorization(Policies.Admin)
            .WithSummary("Consumer reports, newest first, with contact details (admin). ?status=new|in_review|closed")
            .Produces<ReportList>();
        group.MapPatch("/{id}", SetStatus).WithName("UpdateReport").RequireAuthorization(Policies.Admin)
            .WithSummary("Move a report through new → in_review → closed (admin).")
            .Accepts<UpdateReportRequest>("application/json").Produces<ReportView>();
        return routes;
    }

    private static async Task<IResult> Submit(HttpRequest request, ReportService reports, CancellationToken ct)
    {
        var isForm = request.HasFormContentType;
        CreateReportRequest? body;
        if (isForm)
        {
            if (request.ContentLength > BodyLimit) return Problem.TooLarge(BodyLimit);
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = BodyLimit;
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions
                {
                    ValueLengthLimit = (int)BodyLimit, KeyLengthLimit = 64, ValueCountLimit = 16, MultipartBodyLengthLimit = BodyLimit,
                }, ct);
            }
            catch (Exception e) when (e is InvalidDataException or Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                return Problem.BadRequest("The form could not be read (too large or malformed).");
            }
            body = new CreateReportRequest(form["code"], form["category"], form["message"], form["contact"]);
        }
        else
        {
            var (json, problem) = await JsonBody.ReadAsync<CreateReportRequest>(request, BodyLimit);
            if (problem is not null) return problem;
            body = json;
        }
        var outcome = await reports.SubmitAsync(body!, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        return isForm && AcceptsHtml(request)
            ? Results.Content(ThankYouPage(request.Headers.AcceptLanguage.ToString()), "text/html; charset=utf-8", statusCode: StatusCodes.Status202Accepted)
            : TypedResults.Accepted((string?)null, outcome.Value);
    }

    private static async Task<IResult> List(string? status, int? max, ReportService reports, CancellationToken ct)
    {
        var outcome = await reports.ListAsync(status, max, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    private static async Task<IResult> SetStatus(string id, HttpRequest request, ReportService reports, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<UpdateReportRequest>(request, BodyLimit);
        if (problem is not null) return problem;
        var outcome = await reports.SetStatusAsync(id, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a browser sees after the page's form post (no script needed).</summary>
    private static string ThankYouPage(string acceptLanguage)
    {
        var en = acceptLanguage.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var (lang, title, text, back) = en
            ? ("en", "Thank you", "Your report has been sent to the authorities.", "Back")
            : ("vi", "Cảm ơn bạn", "Phản ánh của bạn đã được gửi đến cơ quan chức năng.", "Quay lại");
        return $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
               $"<title>{WebUtility.HtmlEncode(title)}</title></head><body style=\"font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem\">" +
               $"<h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p><p><a href=\"javascript:history.back()\">{WebUtility.HtmlEncode(back)}</a></p></body></html>";
    }
}
