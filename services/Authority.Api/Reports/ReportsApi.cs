using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Authority.Api.Workspace;
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
        // Reads for every staff role, writes for officers and admins (StaffRoles); the bearer key
        // decides, as on the workspace's pages.
        group.MapGet("/", List).WithName("ListReports").RequireAuthorization(StaffRoles.ReadPolicy)
            .WithSummary("Consumer reports, newest first (staff), without contacts. ?status=new|in_review|resolved|rejected&overdue=true|false&max=")
            .Produces<ReportList>();
        group.MapGet("/{id}", Get).WithName("GetReport").RequireAuthorization(StaffRoles.ReadPolicy)
            .WithSummary("One report with its notes and the complainant's decrypted contact (staff). Every call is audited (report.contact_view) when there is a contact.")
            .Produces<ReportDetails>();
        group.MapPost("/{id}/triage", Triage).WithName("TriageReport").RequireAuthorization(StaffRoles.WritePolicy)
            .WithSummary("Triage a report (officer, admin): {status?, assignee?, outcome?, note?}. Audited.")
            .Accepts<TriageRequest>("application/json").Produces<ReportView>();
        group.MapPatch("/{id}", SetStatus).WithName("UpdateReport").RequireAuthorization(StaffRoles.WritePolicy)
            .WithSummary("Move a report through new → in_review → resolved|rejected (officer, admin); a decided report needs an outcome (use triage). Audited.")
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

    private static async Task<IResult> List(string? status, string? overdue, int? max, ReportService reports, CancellationToken ct)
    {
        bool? onlyOverdue = null;
        if (!string.IsNullOrEmpty(overdue))
        {
            if (!bool.TryParse(overdue, out var o)) return Problem.Validation("overdue", "Use true or false.");
            onlyOverdue = o;
        }
        var outcome = await reports.ListAsync(status, onlyOverdue, max, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    private static async Task<IResult> Get(string id, ClaimsPrincipal user, ReportService reports, CancellationToken ct) =>
        await reports.GetAsync(user, id, revealContact: true, ct) is { } details
            ? TypedResults.Ok(details)
            : Problem.NotFound($"There is no report '{id}'.");

    private static async Task<IResult> Triage(string id, HttpRequest request, ClaimsPrincipal user, ReportService reports, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<TriageRequest>(request, BodyLimit);
        if (problem is not null) return problem;
        var outcome = await reports.TriageAsync(user, id, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    private static async Task<IResult> SetStatus(string id, HttpRequest request, ClaimsPrincipal user, ReportService reports, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<UpdateReportRequest>(request, BodyLimit);
        if (problem is not null) return problem;
        var outcome = await reports.SetStatusAsync(user, id, body!, ct);
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
