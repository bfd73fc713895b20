using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traceability.Authority.Api;
using Traceability.ServiceDefaults;
using Traceability.ServiceDefaults.Auth;
using Traceability.Storage;

namespace Traceability.Inspector.BrowserTests;

/// <summary>
/// The authority API and the inspector app on a real Kestrel port, with stand-ins for the verify
/// feature (another branch): `POST /api/v1/verify`, `GET /.well-known/traceability-keys` and
/// `GET /api/v1/warnings`, following DESIGN §4.5 and the label signature format of the verify
/// branch (ECDSA P-256, `?sig={kid}.{base64url r||s}` over the link as printed). A switch cuts
/// the network: every request is aborted, as when the phone has no signal.
/// </summary>
public sealed class InspectorHost : IAsyncDisposable
{
    public const string AdminKey = "browser-admin-key-0123456789-abcdefghij";
    public const string KeyId = "k2026";
    public const string OrangeGtin = "08936001000010";
    public const string RecalledLot = "RECALL-1";

    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly ECDsa _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private volatile bool _cut;

    public ConcurrentQueue<string> VerifiedCodes { get; } = new();

    /// <summary>What the verify stand-in answers for a code (exact text); anything else is `unknown`.</summary>
    public ConcurrentDictionary<string, string> Verdicts { get; } = new();

    private InspectorHost(WebApplication app, string directory)
    {
        _app = app;
        _directory = directory;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Admin = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
    }

    public string BaseUrl { get; }
    public HttpClient Admin { get; }

    /// <summary>The store itself, readable while the network is cut.</summary>
    public IInspectionStore Inspections => _app.Services.GetRequiredService<IInspectionStore>();

    public bool NetworkCut { get => _cut; set => _cut = value; }

    public static async Task<InspectorHost> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("inspector-browser-").FullName;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Storage:DataDirectory"] = directory;
        builder.Configuration["Auth:AdminKey"] = AdminKey;
        builder.AddServiceDefaults();
        builder.AddAuthority();
        var app = builder.Build();
        InspectorHost? host = null;
        app.Use(async (context, next) =>
        {
            if (host?.NetworkCut == true)
            {
                context.Abort();
                return;
            }
            await next();
        });
        app.MapDefaultEndpoints();
        app.MapAuthorityApi();
        app.MapPost("/api/v1/verify", async (HttpRequest request) =>
        {
            var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            var code = body.RootElement.GetProperty("code").GetString() ?? "";
            host!.VerifiedCodes.Enqueue(code);
            var verdict = host.Verdicts.GetValueOrDefault(code, "unknown");
            return Results.Json(new
            {
                verdict,
                reasons = new[] { new { code = verdict, message = "stand-in verdict" } },
                code,
                product = new { gtin = OrangeGtin, name = new { vi = "Cam sành Hàm Yên", en = "Ham Yen king orange" } },
            });
        }).AllowAnonymous();
        app.MapGet("/.well-known/traceability-keys", () => host!.Jwks()).AllowAnonymous();
        app.MapGet("/api/v1/warnings", () => Results.Json(new
        {
            updated = DateTimeOffset.UtcNow,
            warnings = new[]
            {
                new
                {
                    id = "rc_1", kind = "recall", gtin = OrangeGtin, productName = "Cam sành Hàm Yên",
                    lots = new[] { new { lot = RecalledLot, digitalLink = $"/01/{OrangeGtin}/10/{RecalledLot}" } },
                    reason = "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng", severity = "high", issuedAt = DateTimeOffset.UtcNow,
                },
            },
        })).AllowAnonymous();
        await app.StartAsync();
        host = new InspectorHost(app, directory);
        return host;
    }

    /// <summary>Registers an inspector in the store (the accounts API lives in another service); returns its key.</summary>
    public async Task<string> NewInspectorAsync(string name)
    {
        var now = DateTimeOffset.UtcNow;
        var inspector = new Traceability.Storage.Inspector("i_" + Guid.NewGuid().ToString("N")[..12], name, "QLTT Tuyên Quang", now);
        var (apiKey, key) = ApiKeys.Issue(Role.Inspector, now, inspectorId: inspector.Id);
        await _app.Services.GetRequiredService<IAccountStore>().AddInspectorAsync(inspector, key);
        return apiKey;
    }

    /// <summary>A serialised label signed as the verify feature signs them.</summary>
    public string SignedLabel(string lot, string serial)
    {
        var link = $"{BaseUrl.TrimEnd('/')}/01/{OrangeGtin}/10/{lot}/21/{serial}";
        var signature = _signingKey.SignData(Encoding.UTF8.GetBytes(link), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{link}?sig={KeyId}.{Base64Url(signature)}";
    }

    private object Jwks()
    {
        var p = _signingKey.ExportParameters(false);
        return new
        {
            keys = new[]
            {
                new { kty = "EC", crv = "P-256", x = Base64Url(p.Q.X!), y = Base64Url(p.Q.Y!), kid = KeyId, use = "sig", alg = "ES256", status = "active", created = DateTimeOffset.UtcNow },
            },
        };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        NetworkCut = false;
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signingKey.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
