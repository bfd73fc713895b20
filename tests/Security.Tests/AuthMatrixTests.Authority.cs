namespace Traceability.Security.Tests;

public sealed partial class AuthMatrixTests
{
    /// <summary>The authority's rows (issue 18): the producer directory API and the workspace's pages.</summary>
    private static Dictionary<string, Rule> WithAuthorityRows(Dictionary<string, Rule> rows)
    {
        Dictionary<string, Rule> authority = new()
        {
            // Authority: the producer directory (every staff role reads), suspension (admins and officers).
            ["GET /api/v1/producers/"] = new(Access.Staff),
            ["GET /api/v1/producers/{id}"] = new(Access.Staff),
            ["GET /api/v1/producers/{id}/products"] = new(Access.Staff),
            ["GET /api/v1/producers/{id}/lots"] = new(Access.Staff),
            ["POST /api/v1/producers/{id}/suspend"] = new(Access.StaffWriter),
            ["POST /api/v1/producers/{id}/reinstate"] = new(Access.StaffWriter),
            // Staff accounts: admins only (officers cannot manage staff).
            ["GET /api/v1/staff/"] = new(Access.Admin),
            ["POST /api/v1/staff/"] = new(Access.Admin),
            ["POST /api/v1/staff/{id}/revoke"] = new(Access.Admin),
            // The authority workspace (Razor components: every page answers GET and its forms' POST;
            // a POST is a write, refused to viewers).
            ["GET /authority"] = new(Access.AuthoritySession),
            ["POST /authority"] = new(Access.AuthoritySession),
            ["GET /authority/producers"] = new(Access.AuthoritySession),
            ["POST /authority/producers"] = new(Access.AuthoritySession),
            ["GET /authority/producers/new"] = new(Access.AuthorityWriteSession),
            ["POST /authority/producers/new"] = new(Access.AuthorityWriteSession),
            ["GET /authority/producers/{Id}"] = new(Access.AuthoritySession),
            ["POST /authority/producers/{Id}"] = new(Access.AuthoritySession),
            ["GET /authority/audit"] = new(Access.AuthoritySession),
            ["POST /authority/audit"] = new(Access.AuthoritySession),
            // Complaints triage and inspections (any staff role reads; the writes need an officer or admin).
            ["GET /api/v1/reports/{id}"] = new(Access.Staff),
            ["POST /api/v1/reports/{id}/triage"] = new(Access.StaffWriter),
            ["POST /api/v1/inspections/{id}/publish"] = new(Access.StaffWriter),
            ["POST /api/v1/inspections/{id}/unpublish"] = new(Access.StaffWriter),
            ["GET /authority/complaints"] = new(Access.AuthoritySession),
            ["POST /authority/complaints"] = new(Access.AuthoritySession),
            ["GET /authority/complaints/{Id}"] = new(Access.AuthoritySession),
            ["POST /authority/complaints/{Id}"] = new(Access.AuthoritySession),
            ["GET /authority/inspections"] = new(Access.AuthoritySession),
            ["POST /authority/inspections"] = new(Access.AuthoritySession),
            ["GET /authority/inspections/{id}/photo"] = new(Access.AuthoritySession),
            ["GET /authority/audit/export"] = new(Access.AuthoritySession),
            // Early warning (issue 19): every staff role reads the alerts, admins and officers change them;
            // a producer reads only the alerts about its own products, in the API and the console.
            ["GET /api/v1/alerts/"] = new(Access.Staff),
            ["GET /api/v1/alerts/{id}"] = new(Access.Staff),
            ["PATCH /api/v1/alerts/{id}"] = new(Access.StaffWriter),
            ["GET /api/v1/producers/me/alerts"] = new(Access.Producer),
            ["GET /console/alerts"] = new(Access.ConsoleSession),
            // The periodic report: any staff role reads it; the API with a key, the page and its files with the session.
            ["GET /api/v1/statistics"] = new(Access.Staff),
            ["GET /authority/report"] = new(Access.AuthoritySession),
            ["POST /authority/report"] = new(Access.AuthoritySession),
            ["GET /authority/report/export"] = new(Access.AuthoritySession),
            ["GET /authority/recalls"] = new(Access.AuthoritySession),
            ["POST /authority/recalls"] = new(Access.AuthoritySession),
            ["GET /authority/recalls/new"] = new(Access.AuthorityWriteSession),
            ["POST /authority/recalls/new"] = new(Access.AuthorityWriteSession),
            ["GET /authority/recalls/{Id}"] = new(Access.AuthoritySession),
            ["POST /authority/recalls/{Id}"] = new(Access.AuthoritySession),
            ["GET /authority/staff"] = new(Access.AuthorityAdminSession),
            ["POST /authority/staff"] = new(Access.AuthorityAdminSession),
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
