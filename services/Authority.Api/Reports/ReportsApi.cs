using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Traceability.Lookup.Api.Pages;
using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Authority.Api.Reports;

/// <summary>Consumers report problems (public, rate-limited); the authority reads and triages them.</summary>
public static class ReportsApi
{
    private const long BodyLimit = 16 * 1024;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(ReportPages.SubmitPath).WithTags("Reports");
        group.MapPost("/", Submit).WithName("SubmitReport")
            .WithSummary("Report a problem with a product (public). JSON, or the lookup page's form post (a browser is redirected to the thank-you page). Contact details are encrypted at rest.")
            .Accepts<CreateReportRequest>("application/json", "application/x-www-form-urlencoded")
            .Produces<ReportAccepted>(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status303SeeOther)
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
        var staff = group.MapGroup("").RequireAuthorization(Policies.Staff);
        var writers = group.MapGroup("").RequireAuthorization(Policies.StaffWriter);
        staff.MapGet("/", List).WithName("ListReports")
            .WithSummary("Consumer reports, newest first (staff), without contacts. ?status=new|in_review|resolved|rejected&overdue=true|false&max=");
        staff.MapGet("/{id}", Get).WithName("GetReport")
            .WithSummary("One report with its notes and the complainant's decrypted contact (staff). Every call is audited (report.contact_view) when there is a contact.");
        writers.MapPost("/{id}/triage", Triage).WithName("TriageReport")
            .WithSummary("Triage a report (officer, admin): {status?, assignee?, outcome?, note?}. Audited.")
            .Accepts<TriageRequest>("application/json");
        writers.MapPatch("/{id}", SetStatus).WithName("UpdateReport")
            .WithSummary("Move a report through new → in_review → resolved|rejected (officer, admin); a decided report needs an outcome (use triage). Audited.")
            .Accepts<UpdateReportRequest>("application/json");
        routes.MapGet(ReportPages.ThanksPath, ThankYou).WithTags("Reports").WithName("ReportThankYouPage")
            .WithSummary("The page a browser lands on after sending the report form: the reference number and a link back to the product (public).")
            .Produces(StatusCodes.Status200OK, contentType: "text/html").AllowAnonymous();
        return routes;
    }

    private static async Task<IResult> Submit(HttpRequest request, ReportService reports, CancellationToken ct)
    {
        var isForm = request.HasFormContentType;
        // A browser posting the lookup page's form gets pages in the page's language, never JSON.
        var browser = isForm && AcceptsHtml(request);
        var lang = ReportPages.Language(request);
        CreateReportRequest? body;
        if (isForm)
        {
            if (request.ContentLength > BodyLimit) return browser ? Page(ReportPages.Invalid([], null, lang), StatusCodes.Status413PayloadTooLarge, lang) : Problem.TooLarge(BodyLimit);
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
                return browser ? Page(ReportPages.Invalid([], null, lang), StatusCodes.Status400BadRequest, lang)
                    : Problem.BadRequest("The form could not be read (too large or malformed).");
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
        if (!browser) return outcome.IsOk ? TypedResults.Accepted((string?)null, outcome.Value) : outcome.ToProblem();
        // Post-redirect-get: a refresh of the thank-you page does not send the report again.
        return outcome.IsOk
            ? new SeeOther(ReportPages.ThanksUrl(outcome.Value!.Id, body!.Code, lang))
            : Page(ReportPages.Invalid(outcome.Errors?.Keys ?? [], body!.Code, lang), StatusCodes.Status400BadRequest, lang);
    }

    private static async Task<Results<Ok<ReportList>, AnyProblem>> List(string? status, string? overdue, int? max, ReportService reports, CancellationToken ct)
    {
        bool? onlyOverdue = null;
        if (!string.IsNullOrEmpty(overdue))
        {
            if (!bool.TryParse(overdue, out var o)) return (AnyProblem)Problem.Validation("overdue", "Use true or false.");
            onlyOverdue = o;
        }
        var outcome = await reports.ListAsync(status, onlyOverdue, max, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ReportDetails>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, ReportService reports, CancellationToken ct) =>
        await reports.GetAsync(user, id, revealContact: true, ct) is { } details
            ? TypedResults.Ok(details)
            : Problem.NotFound($"There is no report '{id}'.");

    private static async Task<Results<Ok<ReportView>, AnyProblem>> Triage(string id, HttpRequest request, ClaimsPrincipal user, ReportService reports, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<TriageRequest>(request, BodyLimit);
        if (problem is not null) return problem;
        var outcome = await reports.TriageAsync(user, id, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ReportView>, AnyProblem>> SetStatus(string id, HttpRequest request, ClaimsPrincipal user, ReportService reports, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<UpdateReportRequest>(request, BodyLimit);
        if (problem is not null) return problem;
        var outcome = await reports.SetStatusAsync(user, id, body!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    /// <summary>The thank-you page; only a well-formed reference is echoed (it is the report's id, shown so it can be quoted).</summary>
    private static IResult ThankYou(HttpRequest request, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "ref")] string? reference, string? code)
    {
        var lang = ReportPages.Language(request);
        if (!ReportService.IsReportId(reference)) return Results.Redirect(ReportPages.BackPath(code, lang) ?? "/canh-bao");
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Page(ReportPages.ThankYou(reference!, code, lang), StatusCodes.Status200OK, lang);
    }

    internal static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>A report page under the lookup pages' CSP (their stylesheet, nothing that runs).</summary>
    private static IResult Page(string html, int status, string lang) => new HtmlPage(html, status, lang);

    private sealed class HtmlPage(string html, int status, string lang) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.ContentSecurityPolicy = ReportPages.ContentSecurityPolicy;
            http.Response.Headers.ContentLanguage = lang;
            return http.Response.WriteAsync(html, http.RequestAborted);
        }
    }

    /// <summary>303 See Other: the browser follows with a GET, whatever the original method.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
