using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Traceability.PortalSimulator;

public static class PortalSimulatorApi
{
    // Strict like a real gateway: unknown fields are an error, names are matched exactly.
    private static readonly JsonSerializerOptions Strict = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = false,
    };

    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddPortalSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>()
            .Bind(configuration.GetSection(SimulatorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PortalState>();
        services.TryAddSingleton<FaultInjector>();
        return services;
    }

    /// <summary>
    /// Maps the portal under <paramref name="prefix"/> ("" on its own host, "/_portal" in the
    /// standalone host): /sso/token, /gw/tochuc/v5/…, and the control endpoints /_sim/…, open or
    /// behind <paramref name="controlPolicy"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapPortalSimulator(this IEndpointRouteBuilder routes, string prefix = "",
        string? controlPolicy = null)
    {
        var portal = routes.MapGroup(prefix).ExcludeFromDescription();

        portal.MapPost("/sso/token", Token);
        var gw = portal.MapGroup("/gw/tochuc/v5");
        gw.MapPost("/ToChuc_SanPham", (HttpContext c, PortalState s, FaultInjector f) =>
            Create<ProductRequest>(c, s, f, "idSanPham", PortalValidation.Product, s.AddProduct));
        gw.MapPost("/ToChuc_LoHang", (HttpContext c, PortalState s, FaultInjector f) =>
            Create<LotRequest>(c, s, f, "idLoHang", PortalValidation.Lot, s.AddLot));
        gw.MapPost("/ToChuc_SuKien", (HttpContext c, PortalState s, FaultInjector f) =>
            Create<EventRequest>(c, s, f, "idSuKien", PortalValidation.Event, s.AddEvent));
        gw.MapPost("/ToChuc_ThuHoi", (HttpContext c, PortalState s, FaultInjector f) =>
            Create<RecallRequest>(c, s, f, "idThuHoi", PortalValidation.Recall, s.AddRecall));

        var sim = portal.MapGroup("/_sim");
        // Inside a real deployment's host, faults and received bodies are for its operators only.
        if (controlPolicy is not null) sim.RequireAuthorization(controlPolicy);
        sim.MapGet("/faults", (FaultInjector f) => TypedResults.Json(f.Current, Camel));
        sim.MapPost("/faults", SetFaults);
        sim.MapGet("/received", (PortalState s, string? kind) => TypedResults.Json(s.Received(kind), Camel));
        sim.MapGet("/stats", (PortalState s) => TypedResults.Json(s.Stats(), Camel));
        return routes;
    }

    private static async Task<IResult> SetFaults(HttpContext context, FaultInjector faults)
    {
        FaultSettings? settings;
        try
        {
            settings = await context.Request.ReadFromJsonAsync<FaultSettings>(Camel, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, title: "Invalid fault settings");
        }
        if (settings is null)
            return TypedResults.Problem("A body is required.", statusCode: 400, title: "Invalid fault settings");
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
                settings, new(settings), errors, validateAllProperties: true))
            return TypedResults.Problem(string.Join(" ", errors.Select(e => e.ErrorMessage)), statusCode: 400,
                title: "Invalid fault settings");
        faults.Set(settings);
        return TypedResults.Json(settings, Camel);
    }

    private static async Task<IResult> Token(HttpContext context, PortalState state, FaultInjector faults,
        IOptions<SimulatorOptions> options)
    {
        if (await Fault(context, state, faults) is { } fault)
            return fault;
        if (!context.Request.HasFormContentType)
            return OAuthError("invalid_request", 400);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "client_credentials")
            return OAuthError("unsupported_grant_type", 400);
        var o = options.Value;
        if (o.ClientId.Length > 0 && (form["client_id"] != o.ClientId || form["client_secret"] != o.ClientSecret))
            return OAuthError("invalid_client", 401);

        var lifetime = faults.Current.TokenLifetimeSeconds;
        var token = state.IssueToken(TimeSpan.FromSeconds(lifetime));
        return TypedResults.Json(new { access_token = token, token_type = "Bearer", expires_in = lifetime });
    }

    private static async Task<IResult> Create<T>(HttpContext context, PortalState state, FaultInjector faults,
        string idField, Func<T, PortalErrorBody?> validate, Func<T, StoreResult> store) where T : class
    {
        if (await Fault(context, state, faults) is { } fault)
            return fault;

        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !state.IsTokenValid(auth["Bearer ".Length..]))
            return Error(401, PortalValidation.Error("TOKEN_KHONG_HOP_LE", "Token không hợp lệ hoặc đã hết hạn."));

        T? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<T>(Strict, context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Error(400, PortalValidation.Error("DU_LIEU_KHONG_HOP_LE", $"Dữ liệu không hợp lệ: {ex.Message}"));
        }
        if (body is null)
            return Error(400, PortalValidation.Error("DU_LIEU_KHONG_HOP_LE", "Thiếu nội dung yêu cầu."));
        if (validate(body) is { } invalid)
            return Error(400, invalid);

        switch (store(body))
        {
            case StoreResult.Invalid i:
                return Error(400, i.Error);
            case StoreResult.Duplicate d:
                return TypedResults.Json(new Dictionary<string, string>
                {
                    ["maLoi"] = "DA_TON_TAI",
                    ["thongBao"] = "Bản ghi đã tồn tại.",
                    [idField] = d.ExistingId,
                }, statusCode: 409);
            case StoreResult.Stored s when faults.DrawDrop():
                // Stored, but the client never hears so: it must retry and get the 409.
                state.CountFault();
                context.Abort();
                return TypedResults.Empty;
            case StoreResult.Stored s:
                return TypedResults.Json(new Dictionary<string, string> { [idField] = s.Id }, statusCode: 201);
            default:
                throw new InvalidOperationException("Unknown store result.");
        }
    }

    /// <summary>Counts the request, waits the configured latency, and answers an injected error if one is drawn.</summary>
    private static async Task<IResult?> Fault(HttpContext context, PortalState state, FaultInjector faults)
    {
        state.CountRequest();
        if (faults.Current.LatencyMs > 0)
            await Task.Delay(faults.Current.LatencyMs, context.RequestAborted);
        if (faults.DrawError() is not { } status)
            return null;
        state.CountFault();
        if (status == 429)
            context.Response.Headers.RetryAfter = faults.Current.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(status, PortalValidation.Error("LOI_HE_THONG", $"Lỗi giả lập {status}."));
    }

    private static IResult Error(int status, PortalErrorBody body) => TypedResults.Json(body, statusCode: status);

    private static IResult OAuthError(string error, int status) => TypedResults.Json(new { error }, statusCode: status);
}
