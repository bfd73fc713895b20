using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Traceability.ServiceDefaults.Problems;

namespace Traceability.ServiceDefaults.Http;

/// <summary>Options section "Limits".</summary>
public sealed class UploadLimitOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// How long an upload endpoint (capture, images, imports, photos, QR decode) may take, body
    /// included; a client trickling its body is cut off with 408. Two minutes carry 10 MB over a
    /// slow (~1 Mbit/s) mobile link.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Per-endpoint upload limits: <c>.WithUploadLimits(maxBytes)</c> caps the body the server reads
/// (413) and bounds the request's duration (408), both answered as problem+json. The server-wide
/// body limit (30 MB) stays as the backstop for every other endpoint.
/// </summary>
public static class UploadLimits
{
    public const string TimeoutPolicy = "upload";

    /// <summary>Room for a multipart form's other fields and boundaries beside its file.</summary>
    public const long FormOverhead = 256 * 1024;

    private sealed record SizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    /// <param name="maxBodyBytes">The largest body accepted, or null to keep the server's limit (the endpoint checks its own).</param>
    public static TBuilder WithUploadLimits<TBuilder>(this TBuilder builder, long? maxBodyBytes) where TBuilder : IEndpointConventionBuilder
    {
        if (maxBodyBytes is { } max) builder.WithMetadata(new SizeLimit(max));
        builder.WithRequestTimeout(TimeoutPolicy);
        return builder;
    }

    public static IServiceCollection AddUploadLimits(this IServiceCollection services)
    {
        services.AddOptions<UploadLimitOptions>().BindConfiguration(UploadLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<UploadLimitOptions>>((timeouts, limits) =>
            timeouts.AddPolicy(TimeoutPolicy, new RequestTimeoutPolicy
            {
                Timeout = limits.Value.UploadTimeout,
                TimeoutStatusCode = StatusCodes.Status408RequestTimeout,
                WriteTimeoutResponse = context => ProblemWriter.WriteAsync(context, StatusCodes.Status408RequestTimeout,
                    "Request timeout", $"The upload took longer than {limits.Value.UploadTimeout.TotalSeconds:0.#} s."),
            }));
        return services;
    }

    /// <summary>After routing and authorization: applies the endpoint's size limit, then its timeout.</summary>
    public static IApplicationBuilder UseUploadLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } max })
            {
                // A declared length over the limit is refused before a byte is read; a chunked body
                // fails when the server reads past the limit (the exception handler answers 413).
                if (context.Request.ContentLength > max)
                {
                    await ProblemWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                        $"The request body is larger than the limit of {max / (1024.0 * 1024):0.##} MB.");
                    return;
                }
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                    feature.MaxRequestBodySize = max;
            }
            await next(context);
        });
        return app.UseRequestTimeouts();
    }
}
