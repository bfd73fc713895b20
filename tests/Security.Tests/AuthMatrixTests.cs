using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Traceability.Security.Tests;

/// <summary>Who may call an endpoint. Owned: another producer's data must be refused (403, or 404 that hides it).</summary>
/// <summary>
/// AuthoritySession: the authority workspace's pages. Without a key, a redirect to its sign-in form;
/// a bearer key is judged by its role (every staff role reads, viewers cannot post; producer and
/// inspector 403). AuthorityWriteSession: pages only admins and officers open (write forms);
/// AuthorityAdminSession: staff management (admins). Staff, StaffWriter, StaffWriterOrProducer: the
/// staff APIs (every staff role; admins and officers; those or the owning producer).
/// </summary>
public enum Access
{
    Public, AnyKey, Admin, Producer, AdminOrProducer, Inspector, AdminOrInspector, ConsoleSession, PortalToken,
    AuthoritySession, AuthorityWriteSession, AuthorityAdminSession, Staff, StaffWriter, StaffWriterOrProducer,
}

public sealed record Rule(Access Access, bool Owned = false);

/// <summary>
/// Every endpoint the standalone host maps × every caller: no key, admin, producer A, producer B on
/// A's data, inspector. A new endpoint without a row in <see cref="Expected"/> fails the test, so
/// access is decided on purpose, not by default.
/// </summary>
public sealed partial class AuthMatrixTests : IClassFixture<SecurityApp>
{
    /// <summary>"METHOD route-pattern" → rule. Add a row with each new endpoint.</summary>
    public static readonly Dictionary<string, Rule> Expected = WithAuthorityRows(new()
    {
        ["GET /health"] = new(Access.Public),
        ["GET /alive"] = new(Access.Public),
        ["GET /"] = new(Access.Public),
        ["GET /docs/{documentName?}"] = new(Access.Public),
        ["GET /docs/favicon.svg"] = new(Access.Public),
        ["GET /docs/scalar.aspnetcore.js"] = new(Access.Public),
        ["GET /docs/scalar.js"] = new(Access.Public),
        ["GET /openapi/{documentName}.json"] = new(Access.Public),
        ["GET /.well-known/gs1resolver"] = new(Access.Public),
        ["GET /01/{**rest}"] = new(Access.Public),
        ["GET /gtin/{**rest}"] = new(Access.Public),
        ["HEAD /.well-known/gs1resolver"] = new(Access.Public),
        ["HEAD /01/{**rest}"] = new(Access.Public),
        ["HEAD /gtin/{**rest}"] = new(Access.Public),
        ["OPTIONS /.well-known/gs1resolver"] = new(Access.Public),
        ["OPTIONS /01/{**rest}"] = new(Access.Public),
        ["OPTIONS /gtin/{**rest}"] = new(Access.Public),
        // The REST binding's OPTIONS: the allowed methods and the capture limits, nothing about any data.
        ["OPTIONS /epcis/"] = new(Access.Public),
        ["OPTIONS /epcis/capture"] = new(Access.Public),
        ["OPTIONS /epcis/capture/{captureId}"] = new(Access.Public),
        ["OPTIONS /epcis/events"] = new(Access.Public),
        ["OPTIONS /epcis/events/{**eventId}"] = new(Access.Public),
        ["OPTIONS /epcis/eventTypes"] = new(Access.Public),
        ["OPTIONS /epcis/eventTypes/{eventType}"] = new(Access.Public),
        ["OPTIONS /epcis/eventTypes/{eventType}/events"] = new(Access.Public),
        ["OPTIONS /epcis/bizSteps"] = new(Access.Public),
        ["OPTIONS /epcis/bizSteps/{bizStep}"] = new(Access.Public),
        ["OPTIONS /epcis/bizSteps/{bizStep}/events"] = new(Access.Public),
        ["OPTIONS /epcis/dispositions"] = new(Access.Public),
        ["OPTIONS /epcis/dispositions/{disposition}"] = new(Access.Public),
        ["OPTIONS /epcis/dispositions/{disposition}/events"] = new(Access.Public),
        ["OPTIONS /epcis/bizLocations"] = new(Access.Public),
        ["OPTIONS /epcis/bizLocations/{bizLocation}"] = new(Access.Public),
        ["OPTIONS /epcis/bizLocations/{bizLocation}/events"] = new(Access.Public),
        ["OPTIONS /epcis/readPoints"] = new(Access.Public),
        ["OPTIONS /epcis/readPoints/{readPoint}"] = new(Access.Public),
        ["OPTIONS /epcis/readPoints/{readPoint}/events"] = new(Access.Public),
        ["OPTIONS /epcis/epcs"] = new(Access.Public),
        ["OPTIONS /epcis/epcs/{epc}"] = new(Access.Public),
        ["OPTIONS /epcis/epcs/{epc}/events"] = new(Access.Public),
        ["OPTIONS /epcis/queries"] = new(Access.Public),
        ["OPTIONS /epcis/queries/{queryName}"] = new(Access.Public),
        ["OPTIONS /epcis/queries/{queryName}/events"] = new(Access.Public),
        ["OPTIONS /epcis/queries/{queryName}/subscriptions"] = new(Access.Public),
        ["OPTIONS /epcis/queries/{queryName}/subscriptions/{subscriptionID}"] = new(Access.Public),
        ["GET /qr/01/{**rest}"] = new(Access.Public),
        // The consumer pages' stylesheet (no inline style under their CSP).
        ["GET /lookup.css"] = new(Access.Public),
        ["POST /api/v1/qr/decode"] = new(Access.Public),
        // Producer console: its own cookie session (signed in with a producer key); bearer keys do not open it.
        ["GET /console/signin"] = new(Access.Public),
        ["GET /console/console.css"] = new(Access.Public),
        ["GET /console/labels.css"] = new(Access.Public),
        ["GET /console/console.js"] = new(Access.Public),
        ["GET /console/lots/{gtin}/{lot}/portal"] = new(Access.ConsoleSession),
        ["GET /console/lots/{gtin}/{lot}"] = new(Access.ConsoleSession),
        ["POST /console/portal/retry"] = new(Access.ConsoleSession),
        ["GET /console/"] = new(Access.ConsoleSession),
        ["GET /console/events/new"] = new(Access.ConsoleSession),
        ["GET /console/import"] = new(Access.ConsoleSession),
        ["GET /console/import/{id}"] = new(Access.ConsoleSession),
        ["GET /console/import/{id}/status"] = new(Access.ConsoleSession),
        ["GET /console/import/template.csv"] = new(Access.ConsoleSession),
        ["GET /console/import/template.xlsx"] = new(Access.ConsoleSession),
        ["GET /console/labels"] = new(Access.ConsoleSession),
        ["GET /console/labels/sheet"] = new(Access.ConsoleSession),
        ["POST /console/labels/sheet"] = new(Access.ConsoleSession),
        ["GET /console/locations"] = new(Access.ConsoleSession),
        ["GET /console/locations/new"] = new(Access.ConsoleSession),
        ["GET /console/lots"] = new(Access.ConsoleSession),
        ["GET /console/lots/{gtin}/{lot}/export.csv"] = new(Access.ConsoleSession),
        ["GET /console/lots/new"] = new(Access.ConsoleSession),
        ["GET /console/products"] = new(Access.ConsoleSession),
        ["GET /console/contact"] = new(Access.ConsoleSession),
        ["GET /console/products/{gtin}/edit"] = new(Access.ConsoleSession),
        ["GET /console/products/new"] = new(Access.ConsoleSession),
        ["GET /console/transform"] = new(Access.ConsoleSession),
        ["POST /console/events/new"] = new(Access.ConsoleSession),
        ["POST /console/import"] = new(Access.ConsoleSession),
        ["POST /console/import/{id}/commit"] = new(Access.ConsoleSession),
        ["POST /console/locations/new"] = new(Access.ConsoleSession),
        ["POST /console/lots/new"] = new(Access.ConsoleSession),
        ["POST /console/products/{gtin}/edit"] = new(Access.ConsoleSession),
        ["POST /console/products/new"] = new(Access.ConsoleSession),
        ["POST /console/contact"] = new(Access.ConsoleSession),
        ["POST /console/transform"] = new(Access.ConsoleSession),
        ["POST /console/signout"] = new(Access.Public), // anonymous, but refused without the CSRF token
        ["POST /console/signin"] = new(Access.Public),
        // Personal accounts (issue 21 point 8): everyone signed in changes their own password; the
        // users pages refuse a session that is not the producer's admin (403 page).
        ["GET /console/password"] = new(Access.ConsoleSession),
        ["POST /console/password"] = new(Access.ConsoleSession),
        ["GET /console/users"] = new(Access.ConsoleSession),
        ["POST /console/users"] = new(Access.ConsoleSession),
        ["POST /console/users/{id}/reset"] = new(Access.ConsoleSession),
        ["POST /console/users/{id}/disable"] = new(Access.ConsoleSession),
        // In-process portal simulator (standalone host only, when Portal:BaseUrl is unset): the portal
        // API needs the simulator's own token; its control endpoints are open, as on a developer machine.
        ["POST /_portal/sso/token"] = new(Access.PortalToken),
        ["POST /_portal/gw/tochuc/v5/ToChuc_SanPham"] = new(Access.PortalToken),
        ["POST /_portal/gw/tochuc/v5/ToChuc_LoHang"] = new(Access.PortalToken),
        ["POST /_portal/gw/tochuc/v5/ToChuc_SuKien"] = new(Access.PortalToken),
        ["POST /_portal/gw/tochuc/v5/ToChuc_ThuHoi"] = new(Access.PortalToken),
        ["GET /_portal/_sim/faults"] = new(Access.Admin),
        ["POST /_portal/_sim/faults"] = new(Access.Admin),
        ["GET /_portal/_sim/received"] = new(Access.Admin),
        ["GET /_portal/_sim/stats"] = new(Access.Admin),
        ["GET /api/v1/sync/status"] = new(Access.Admin),
        ["GET /api/v1/sync/failed"] = new(Access.Admin),
        ["POST /api/v1/sync/failed/{id}/retry"] = new(Access.Admin),
        ["GET /api/v1/lots/{gtin}/{lot}/labels"] = new(Access.Producer, Owned: true),
        ["POST /api/v1/keys/rotate"] = new(Access.Admin), // label-signing key (verify), not API keys
        ["POST /api/v1/recalls"] = new(Access.StaffWriterOrProducer, Owned: true),
        ["POST /api/v1/recalls/{id}/end"] = new(Access.StaffWriterOrProducer, Owned: true),
        ["GET /api/v1/recalls/{id}"] = new(Access.Public),
        ["GET /api/v1/warnings"] = new(Access.Public),
        ["POST /api/v1/lots/{gtin}/{lot}/serials"] = new(Access.Producer, Owned: true),
        ["GET /.well-known/traceability-keys"] = new(Access.Public),
        ["POST /api/v1/verify"] = new(Access.Public),
        ["POST /api/v1/producers"] = new(Access.Admin),
        // Authority: consumer reports (public intake, staff reading, officers and admins triaging), inspections, trace export.
        ["POST /api/v1/reports/"] = new(Access.Public),
        ["GET /api/v1/reports/"] = new(Access.Staff),
        ["PATCH /api/v1/reports/{id}"] = new(Access.StaffWriter),
        ["GET /reports/thanks"] = new(Access.Public), // the report form's thank-you page
        ["PUT /api/v1/producers/me/contact"] = new(Access.Producer), // the caller's own contact: no one else's to reach
        // A producer's console accounts: its own (B reaching A's user id gets 404), or any producer's for the authority's admins.
        ["GET /api/v1/producers/me/users/"] = new(Access.Producer),
        ["POST /api/v1/producers/me/users/"] = new(Access.Producer),
        ["POST /api/v1/producers/me/users/{userId}/reset"] = new(Access.Producer, Owned: true),
        ["DELETE /api/v1/producers/me/users/{userId}"] = new(Access.Producer, Owned: true),
        ["GET /api/v1/producers/{id}/users/"] = new(Access.Admin),
        ["POST /api/v1/producers/{id}/users/"] = new(Access.Admin),
        ["POST /api/v1/producers/{id}/users/{userId}/reset"] = new(Access.Admin),
        ["DELETE /api/v1/producers/{id}/users/{userId}"] = new(Access.Admin),
        ["POST /api/v1/inspections/"] = new(Access.Inspector),
        ["POST /api/v1/inspections/{id}/photo"] = new(Access.Inspector),
        ["GET /api/v1/inspections/"] = new(Access.Staff),
        ["GET /api/v1/inspections/{id}/photo"] = new(Access.Staff),
        ["GET /api/v1/trace/{gtin}/{**lot}"] = new(Access.Staff),
        ["GET /inspect/{file?}"] = new(Access.Public),
        ["GET /images/{gtin}.{ext}"] = new(Access.Public),
        ["GET /console/lots/{gtin}/{lot}/recall"] = new(Access.ConsoleSession),
        ["POST /console/lots/{gtin}/{lot}/recall"] = new(Access.ConsoleSession),
        ["POST /console/lots/{gtin}/{lot}/recall/end"] = new(Access.ConsoleSession),
        ["POST /api/v1/inspectors"] = new(Access.Admin),
        ["POST /api/v1/api-keys/rotate"] = new(Access.AnyKey),
        ["POST /api/v1/producers/{id}/keys/revoke"] = new(Access.Admin),
        ["POST /api/v1/products"] = new(Access.Producer, Owned: true), // the body names A's GTIN

        ["PUT /api/v1/products/{gtin}"] = new(Access.Producer, Owned: true),
        ["GET /api/v1/products/{gtin}"] = new(Access.AdminOrProducer, Owned: true),
        ["GET /api/v1/products"] = new(Access.Producer),
        ["POST /api/v1/locations"] = new(Access.Producer),
        ["GET /api/v1/locations"] = new(Access.Producer),
        ["GET /api/v1/locations/{code}"] = new(Access.Producer, Owned: true),
        ["POST /api/v1/lots"] = new(Access.Producer, Owned: true),
        ["GET /api/v1/lots/{gtin}/{lot}"] = new(Access.AdminOrProducer, Owned: true),
        ["GET /api/v1/lots"] = new(Access.Producer),
        ["POST /epcis/capture"] = new(Access.Producer, Owned: true),
        ["GET /epcis/capture/{captureId}"] = new(Access.AdminOrProducer, Owned: true),
        ["POST /epcis/events"] = new(Access.Producer, Owned: true),
        ["GET /epcis/events"] = new(Access.AdminOrProducer),
        ["GET /epcis/events/{**eventId}"] = new(Access.AdminOrProducer, Owned: true),
        // Top-level resources: scoped like GET /epcis/events (a producer's own values and events; the admin's all).
        ["GET /epcis/eventTypes"] = new(Access.AdminOrProducer),
        ["GET /epcis/eventTypes/{eventType}"] = new(Access.AdminOrProducer),
        ["GET /epcis/eventTypes/{eventType}/events"] = new(Access.AdminOrProducer),
        ["GET /epcis/bizSteps"] = new(Access.AdminOrProducer),
        ["GET /epcis/bizSteps/{bizStep}"] = new(Access.AdminOrProducer),
        ["GET /epcis/bizSteps/{bizStep}/events"] = new(Access.AdminOrProducer),
        ["GET /epcis/dispositions"] = new(Access.AdminOrProducer),
        ["GET /epcis/dispositions/{disposition}"] = new(Access.AdminOrProducer),
        ["GET /epcis/dispositions/{disposition}/events"] = new(Access.AdminOrProducer),
        ["GET /epcis/bizLocations"] = new(Access.AdminOrProducer),
        ["GET /epcis/bizLocations/{bizLocation}"] = new(Access.AdminOrProducer),
        ["GET /epcis/bizLocations/{bizLocation}/events"] = new(Access.AdminOrProducer),
        ["GET /epcis/readPoints"] = new(Access.AdminOrProducer),
        ["GET /epcis/readPoints/{readPoint}"] = new(Access.AdminOrProducer),
        ["GET /epcis/readPoints/{readPoint}/events"] = new(Access.AdminOrProducer),
        ["GET /epcis/epcs"] = new(Access.AdminOrProducer),
        ["GET /epcis/epcs/{epc}"] = new(Access.AdminOrProducer),
        ["GET /epcis/epcs/{epc}/events"] = new(Access.AdminOrProducer),
        // Named queries: one namespace per producer (B finds no query of A's name).
        ["GET /epcis/queries"] = new(Access.AdminOrProducer),
        ["POST /epcis/queries"] = new(Access.AdminOrProducer),
        ["GET /epcis/queries/{queryName}"] = new(Access.AdminOrProducer, Owned: true),
        ["DELETE /epcis/queries/{queryName}"] = new(Access.AdminOrProducer, Owned: true),
        ["GET /epcis/queries/{queryName}/events"] = new(Access.AdminOrProducer, Owned: true),
        ["GET /epcis/queries/{queryName}/subscriptions"] = new(Access.AdminOrProducer, Owned: true),
        ["POST /epcis/queries/{queryName}/subscriptions"] = new(Access.AdminOrProducer, Owned: true),
        ["GET /epcis/queries/{queryName}/subscriptions/{subscriptionID}"] = new(Access.AdminOrProducer, Owned: true),
        ["DELETE /epcis/queries/{queryName}/subscriptions/{subscriptionID}"] = new(Access.AdminOrProducer, Owned: true),
    });

    private readonly SecurityApp app;

    public AuthMatrixTests(SecurityApp app) => this.app = app;

    [Fact]
    public void Every_mapped_endpoint_has_an_expected_access_rule()
    {
        var mapped = MappedEndpoints().Select(e => e.Key).ToHashSet();
        var missing = mapped.Except(Expected.Keys).Order().ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in AuthMatrixTests.Expected:\n" + string.Join("\n", missing));
        var stale = Expected.Keys.Except(mapped).Order().ToList();
        Assert.True(stale.Count == 0, "Rows for endpoints that are no longer mapped:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task Every_endpoint_refuses_callers_without_the_right_role_or_ownership()
    {
        var data = await OwnedDataAsync();
        var (_, producerB, _) = await app.RegisterProducerAsync();
        var (_, inspector) = await app.RegisterInspectorAsync();
        var officer = (await app.CreateStaffAsync("officer")).ApiKey;
        var viewer = (await app.CreateStaffAsync("viewer")).ApiKey;
        var failures = new List<string>();
        foreach (var (key, (method, pattern)) in MappedEndpoints())
        {
            if (!Expected.TryGetValue(key, out var rule)) continue;
            var path = Fill(pattern, data);
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var apiKey = caller switch
                {
                    Caller.None => null,
                    Caller.Admin => SecurityApp.AdminKey,
                    Caller.ProducerA => data.ProducerKey,
                    Caller.ProducerBOnA => producerB,
                    Caller.Officer => officer,
                    Caller.Viewer => viewer,
                    _ => inspector,
                };
                // Rotation revokes the caller's key: rotate throw-away keys of the same role.
                if (key == "POST /api/v1/api-keys/rotate" && apiKey is not null && caller != Caller.Admin)
                    apiKey = caller switch
                    {
                        Caller.Inspector => (await app.RegisterInspectorAsync()).ApiKey,
                        Caller.Officer => (await app.CreateStaffAsync("officer")).ApiKey,
                        Caller.Viewer => (await app.CreateStaffAsync("viewer")).ApiKey,
                        _ => (await app.RegisterProducerAsync()).ApiKey,
                    };
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                    request.Content = new StringContent(Body(pattern, data), Encoding.UTF8, "application/json");
                using var client = app.ClientWithKey(apiKey);
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var expected = Expect(rule, caller, method);
                var ok = expected switch
                {
                    Outcome.Allowed => status is not (401 or 403) && status < 500,
                    Outcome.Unauthorized => status == 401,
                    Outcome.Forbidden => status == 403,
                    Outcome.SignInRedirect => status == 302 && response.Headers.Location?.OriginalString.Contains("/console/signin") == true,
                    Outcome.AuthoritySignIn => status == 302 && response.Headers.Location?.OriginalString.Contains("/authority/signin") == true,
                    Outcome.RefusedByPortal => status is 400 or 401,
                    _ => status is 403 or 404,
                };
                if (!ok) failures.Add($"{key} as {caller}: got {status}, expected {expected} ({path})");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private enum Caller { None, Admin, ProducerA, ProducerBOnA, Inspector, Officer, Viewer }

    private enum Outcome { Allowed, Unauthorized, Forbidden, ForbiddenOrHidden, SignInRedirect, AuthoritySignIn, RefusedByPortal }

    private static Outcome Expect(Rule rule, Caller caller, string method)
    {
        if (rule.Access == Access.Public) return Outcome.Allowed;
        if (rule.Access == Access.ConsoleSession) return Outcome.SignInRedirect;
        var role = caller switch
        {
            Caller.Admin => "admin", Caller.Inspector => "inspector", Caller.Officer => "officer", Caller.Viewer => "viewer", _ => "producer",
        };
        if (rule.Access is Access.AuthoritySession or Access.AuthorityWriteSession or Access.AuthorityAdminSession)
        {
            if (caller == Caller.None) return Outcome.AuthoritySignIn;
            // Every post to a staff page is a write: viewers read only.
            var pageAllowed = rule.Access switch
            {
                Access.AuthorityAdminSession => role == "admin",
                Access.AuthorityWriteSession => role is "admin" or "officer",
                _ => role is "admin" or "officer" || (role == "viewer" && method != "POST"),
            };
            return pageAllowed ? Outcome.Allowed : Outcome.Forbidden;
        }
        if (rule.Access == Access.PortalToken) return Outcome.RefusedByPortal;
        if (caller == Caller.None) return Outcome.Unauthorized;
        var allowed = rule.Access switch
        {
            Access.Staff => role is "admin" or "officer" or "viewer",
            Access.StaffWriter => role is "admin" or "officer",
            Access.StaffWriterOrProducer => role is "admin" or "officer" or "producer",
            Access.AnyKey => true,
            Access.Admin => role == "admin",
            Access.Producer => role == "producer",
            Access.AdminOrProducer => role is "admin" or "producer",
            Access.Inspector => role == "inspector",
            Access.AdminOrInspector => role is "admin" or "inspector",
            _ => false,
        };
        if (!allowed) return Outcome.Forbidden;
        return caller == Caller.ProducerBOnA && rule.Owned ? Outcome.ForbiddenOrHidden : Outcome.Allowed;
    }

    private IEnumerable<KeyValuePair<string, (string Method, string Pattern)>> MappedEndpoints()
    {
        var sources = app.Services.GetServices<EndpointDataSource>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            foreach (var method in methods)
                yield return new($"{method} {pattern}", (method, pattern));
        }
    }

    private sealed record OwnedData(string ProducerId, string ProducerKey, string Gtin, string Lot, string LocationCode,
        string CaptureId, string EventId, string RecallId, string UserId);

    /// <summary>Producer A with a product, a lot, a location, a capture job and an event.</summary>
    private async Task<OwnedData> OwnedDataAsync()
    {
        var (id, key, prefix) = await app.RegisterProducerAsync();
        var client = app.ClientWithKey(key);
        var gtin = SecurityApp.Gtin14(prefix, 1);
        (await client.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam sành" } })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "A1" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/v1/locations", new { code = "FARM1", name = "Vườn", kind = "farm" })).EnsureSuccessStatusCode();
        var eventId = "urn:uuid:" + Guid.NewGuid();
        var capture = await client.PostAsync("/epcis/capture",
            new StringContent(Document(gtin, "A1", eventId), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, capture.StatusCode);
        var captureId = capture.Headers.Location!.OriginalString.Split('/').Last();
        (await client.PostAsync("/epcis/queries", new StringContent($"{{\"name\":\"{QueryName}\",\"query\":{{}}}}", Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        // A recall A issued of its own lot (another lot, so the lot the matrix reads stays active).
        (await client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "R1" })).EnsureSuccessStatusCode();
        var recall = await client.PostAsJsonAsync("/api/v1/recalls", new { gtin, lots = new[] { "R1" }, reason = "Matrix", severity = "low" });
        Assert.Equal(HttpStatusCode.Created, recall.StatusCode);
        var recallId = recall.Headers.Location!.OriginalString.Split('/').Last();
        // A console account of A's.
        var user = await client.PostAsJsonAsync("/api/v1/producers/me/users", new { login = $"matrix-{id}@example.vn", name = "Matrix", role = "staff" });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var userId = (string)(await user.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["user"]!["id"]!;
        return new OwnedData(id, key, gtin, "A1", "FARM1", captureId, eventId, recallId, userId);
    }

    private static string Fill(string pattern, OwnedData d) => pattern
        .Replace("/api/v1/recalls/{id}", "/api/v1/recalls/" + d.RecallId)
        .Replace("{gtin}", d.Gtin).Replace("{lot}", d.Lot).Replace("{id}", d.ProducerId).Replace("{Id}", d.ProducerId)
        .Replace("{code}", d.LocationCode).Replace("{captureId}", d.CaptureId)
        .Replace("{**eventId}", Uri.EscapeDataString(d.EventId))
        .Replace("{**rest}", $"{d.Gtin}/10/{d.Lot}")
        .Replace("{eventType}", "ObjectEvent").Replace("{bizStep}", "shipping").Replace("{disposition}", "in_progress")
        .Replace("{bizLocation}", Uri.EscapeDataString($"urn:x-traceability:loc:{d.ProducerId}:{d.LocationCode}"))
        .Replace("{readPoint}", Uri.EscapeDataString($"urn:x-traceability:loc:{d.ProducerId}:{d.LocationCode}"))
        .Replace("{epc}", Uri.EscapeDataString($"https://id.gs1.org/01/{d.Gtin}/10/{d.Lot}")).Replace("{documentName?}", "").Replace("{documentName}", "v1")
        .Replace("{userId}", d.UserId).Replace("{queryName}", QueryName).Replace("{subscriptionID}", "sub_matrix");

    private const string QueryName = "matrix";

    /// <summary>A body about A's data, so a write by B is a write to A's products.</summary>
    private static string Body(string pattern, OwnedData d) => pattern switch
    {
        "/epcis/capture" => Document(d.Gtin, d.Lot, "urn:uuid:" + Guid.NewGuid()),
        "/epcis/events" => Event(d.Gtin, d.Lot, "urn:uuid:" + Guid.NewGuid()),
        "/api/v1/recalls" => $$"""{"gtin":"{{d.Gtin}}","lots":["{{d.Lot}}"],"reason":"Matrix test","severity":"low"}""",
        "/api/v1/lots/{gtin}/{lot}/serials" => """{"count":1}""",
        "/api/v1/recalls/{id}/end" => """{"reason":"Matrix test"}""",
        _ => $$$"""{"gtin":"{{{d.Gtin}}}","lot":"N{{{Random.Shared.Next(100000)}}}","name":{"vi":"Tên"}}""",
    };

    private static string Document(string gtin, string lot, string eventId) =>
        $$$"""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[{{{Event(gtin, lot, eventId)}}}]}}""";

    private static string Event(string gtin, string lot, string eventId) =>
        $$"""{"type":"ObjectEvent","eventID":"{{eventId}}","eventTime":"2026-10-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00","action":"OBSERVE","bizStep":"shipping","quantityList":[{"epcClass":"https://id.gs1.org/01/{{gtin}}/10/{{lot}}","quantity":1,"uom":"KGM"}]}""";
}
