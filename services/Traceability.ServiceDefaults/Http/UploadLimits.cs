using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Timeouts;
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

    /// <summary>After routing and authorization: applies the endpoint's timeout and size limit.</summary>
    public static IApplicationBuilder UseUploadLimits(this IApplicationBuilder app)
    {
        app.UseRequestTimeouts();
        return app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            // Routing hands the limit to the server, which fails a read past it (the exception handler
            // answers 413); a declared length over it is refused here before a byte is read.
            if (endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } max }
                && context.Request.ContentLength > max)
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"The request body is larger than the limit of {max / (1024.0 * 1024):0.##} MB.");
                return;
            }
            // The timeout only cancels RequestAborted; form and antiforgery readers do not pass it,
            // so the body's reads are tied to it here and a stalled upload ends in 408 wherever it is read.
            if (endpoint?.Metadata.GetMetadata<RequestTimeoutAttribute>()?.PolicyName == TimeoutPolicy)
                context.Request.Body = new CancelOnTimeoutStream(context.Request.Body, context.RequestAborted);
            await next(context);
        });
    }

    private sealed class CancelOnTimeoutStream(Stream inner, CancellationToken aborted) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!cancellationToken.CanBeCanceled) return await inner.ReadAsync(buffer, aborted);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
            return await inner.ReadAsync(buffer, both.Token);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
