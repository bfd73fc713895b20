namespace Traceability.Security.Tests;

public sealed partial class AuthMatrixTests
{
    /// <summary>The authority's rows (issue 18): the producer directory API and the workspace's pages.</summary>
    private static Dictionary<string, Rule> WithAuthorityRows(Dictionary<string, Rule> rows)
    {
        Dictionary<string, Rule> authority = new()
        {
            // Authority: the producer directory and suspension (admin).
            ["GET /api/v1/producers/"] = new(Access.Admin),
            ["GET /api/v1/producers/{id}"] = new(Access.Admin),
            ["POST /api/v1/producers/{id}/suspend"] = new(Access.Admin),
            ["POST /api/v1/producers/{id}/reinstate"] = new(Access.Admin),
            // The authority workspace (Razor components: every page answers GET and its forms' POST).
            ["GET /authority"] = new(Access.AuthoritySession),
            ["POST /authority"] = new(Access.AuthoritySession),
            ["GET /authority/producers"] = new(Access.AuthoritySession),
            ["POST /authority/producers"] = new(Access.AuthoritySession),
            ["GET /authority/producers/new"] = new(Access.AuthoritySession),
            ["POST /authority/producers/new"] = new(Access.AuthoritySession),
            ["GET /authority/producers/{Id}"] = new(Access.AuthoritySession),
            ["POST /authority/producers/{Id}"] = new(Access.AuthoritySession),
            ["GET /authority/audit"] = new(Access.AuthoritySession),
            ["POST /authority/audit"] = new(Access.AuthoritySession),
            // Complaints triage and inspections (staff; the writes need an officer or admin).
            ["GET /api/v1/reports/{id}"] = new(Access.Admin),
            ["POST /api/v1/reports/{id}/triage"] = new(Access.Admin),
            ["POST /api/v1/inspections/{id}/publish"] = new(Access.Admin),
            ["POST /api/v1/inspections/{id}/unpublish"] = new(Access.Admin),
            ["GET /authority/complaints"] = new(Access.AuthoritySession),
            ["POST /authority/complaints"] = new(Access.AuthoritySession),
            ["GET /authority/complaints/{Id}"] = new(Access.AuthoritySession),
            ["POST /authority/complaints/{Id}"] = new(Access.AuthoritySession),
            ["GET /authority/inspections"] = new(Access.AuthoritySession),
            ["POST /authority/inspections"] = new(Access.AuthoritySession),
            ["GET /authority/inspections/{id}/photo"] = new(Access.AuthoritySession),
            ["GET /authority/signin"] = new(Access.Public),
            ["POST /authority/signin"] = new(Access.Public), // refused without the CSRF token
            ["POST /authority/signout"] = new(Access.Public), // anonymous, but refused without the CSRF token
            ["GET /authority/workspace.css"] = new(Access.Public),
            ["GET /canh-bao"] = new(Access.Public),
            ["POST /canh-bao"] = new(Access.Public), // no form on it: a post is refused (no CSRF token, no form name)
            // Razor components' own redirect helper (a data-protected target URL, for enhanced navigation): nothing to read.
            ["GET /_framework/opaque-redirect"] = new(Access.Public),
        };
        foreach (var (key, rule) in authority) rows.Add(key, rule);
        return rows;
    }
}
