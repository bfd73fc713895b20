using System.Threading.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Traceability.NationalPortal.Client;

public static class NationalPortalClientExtensions
{
    public const string PipelineName = "portal";

    /// <summary>
    /// One set of settings for every client instance: without it Refit makes new settings, and so a
    /// new JSON serializer whose metadata is built again, each time the factory hands out a client.
    /// </summary>
    private static readonly RefitSettings Settings = new();

    /// <summary>
    /// Registers <see cref="INationalPortalApi"/> through the HttpClient factory with the token handler
    /// and one resilience pipeline, configured from the "Portal" section (validated at start).
    /// </summary>
    public static IHttpClientBuilder AddNationalPortalClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>()
            .Bind(configuration.GetSection(PortalOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PortalTokenProvider>();
        services.TryAddTransient<PortalTokenHandler>();

        services.AddHttpClient(PortalTokenProvider.HttpClientName, (sp, client) =>
        {
            var o = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
            client.BaseAddress = WithoutTrailingSlash(o.BaseUrl!);
            client.Timeout = o.AttemptTimeout;
        });

        // Order matters: handlers run outer to inner as added. The pipeline is outermost, the token
        // handler inside it, so each attempt (and each retry) carries a current token.
        var client = services.AddRefitGeneratedClient<INationalPortalApi>(Settings)
            .ConfigureHttpClient((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
                http.BaseAddress = WithoutTrailingSlash(o.BaseUrl!);
                // The pipeline owns timeouts; HttpClient's own is only a backstop.
                http.Timeout = o.TotalTimeout + TimeSpan.FromSeconds(5);
            });
        client.AddResilienceHandler(PipelineName, (builder, context) =>
            ConfigurePipeline(builder, context.ServiceProvider.GetRequiredService<IOptions<PortalOptions>>().Value));
        client.AddHttpMessageHandler<PortalTokenHandler>();
        // The factory's logging handlers log each request at Information (off by default here) but
        // open a log scope and time every call anyway: two async layers per push for nothing. Failures
        // reach the logs through Polly (retries, breaker) and the sync worker (every outcome).
        client.RemoveAllLoggers();
        return client;
    }

    internal static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, PortalOptions o)
    {
        builder
            .AddTimeout(o.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.RetryMaxDelay,
                // Retry-After is honoured by hand so that it is capped like any other delay.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, o.RetryMaxDelay)),
                ShouldHandle = args => ValueTask.FromResult(o.MaxRetries > 0 && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakerBreakDuration,
            })
            .AddRateLimiter(CreateLimiter(o))
            .AddTimeout(o.AttemptTimeout);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        if (response?.Headers.RetryAfter is not { } header)
            return null;
        var wait = header.Delta ?? (header.Date is { } at ? at - DateTimeOffset.UtcNow : null);
        if (wait is not { } w)
            return null;
        return w < TimeSpan.Zero ? TimeSpan.Zero : w > cap ? cap : w;
    }

    /// <summary>A token bucket refilled every 100 ms (or per token when the quota is under 10/s).</summary>
    private static TokenBucketRateLimiter CreateLimiter(PortalOptions o)
    {
        var (period, tokens) = o.RatePerSecond >= 10
            ? (TimeSpan.FromMilliseconds(100), (int)Math.Round(o.RatePerSecond / 10))
            : (TimeSpan.FromSeconds(1 / o.RatePerSecond), 1);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, tokens),
            TokensPerPeriod = Math.Max(1, tokens),
            ReplenishmentPeriod = period,
            QueueLimit = o.RateLimitQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    // Refit appends "/sso/token" etc. to the base address's path, so a prefix like "/_portal" must
    // not end with a slash.
    internal static Uri WithoutTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? new Uri(uri.AbsoluteUri.TrimEnd('/')) : uri;
}
