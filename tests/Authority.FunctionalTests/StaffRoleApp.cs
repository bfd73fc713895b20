using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Authority.Api.Workspace;

namespace Traceability.Authority.FunctionalTests;

/// <summary>
/// The authority host where a request carrying <c>X-Test-Staff-Role</c> is a staff member of that
/// role (viewer, officer, admin) — a stand-in for the named staff accounts, so the role rules
/// (<see cref="StaffRoles"/>) can be exercised before those accounts exist. Test-only.
/// </summary>
public sealed class StaffRoleApp : AuthorityApp
{
    public const string Header = "X-Test-Staff-Role";
    private const string TestScheme = "test-staff";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, RoleHeaderHandler>(TestScheme, null);
            services.PostConfigure<PolicySchemeOptions>(WorkspaceAuth.Scheme, o =>
            {
                var inner = o.ForwardDefaultSelector!;
                o.ForwardDefaultSelector = ctx => ctx.Request.Headers.ContainsKey(Header) ? TestScheme : inner(ctx);
            });
        });
    }

    public HttpClient As(string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(Header, role);
        return client;
    }

    private sealed class RoleHeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var role = Request.Headers[Header].ToString();
            var identity = new ClaimsIdentity(
                [new(ClaimTypes.NameIdentifier, "test-" + role), new(ClaimTypes.Name, "test:" + role), new(ClaimTypes.Role, role)],
                Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
