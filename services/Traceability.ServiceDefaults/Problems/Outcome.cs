namespace Traceability.ServiceDefaults.Problems;

public enum OutcomeKind { Ok, Invalid, Forbidden, NotFound, Conflict }

/// <summary>
/// The result of a use case shared by the API, the console and the demo seeder: a value, or why
/// not. Each front end renders the failure its own way (problem+json, errors beside form fields).
/// </summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, string? Message, IReadOnlyDictionary<string, string[]>? Errors)
{
    public bool IsOk => Kind == OutcomeKind.Ok;

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, null, null);
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(OutcomeKind.Invalid, default, null, errors);
    public static Outcome<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
    public static Outcome<T> Forbidden(string message) => new(OutcomeKind.Forbidden, default, message, null);
    public static Outcome<T> NotFound(string message) => new(OutcomeKind.NotFound, default, message, null);
    public static Outcome<T> Conflict(string message) => new(OutcomeKind.Conflict, default, message, null);

    /// <summary>
    /// The failure as a problem+json result, typed so that an endpoint's <c>Results&lt;Ok&lt;T&gt;, Results&lt;ValidationProblem,
    /// ProblemHttpResult&gt;&gt;</c> takes it as it is and OpenAPI lists both kinds of problem.
    /// </summary>
    public Results<ValidationProblem, ProblemHttpResult> ToProblem() => Kind switch
    {
        OutcomeKind.Invalid => Problem.Validation(Errors!.ToDictionary()),
        OutcomeKind.Forbidden => Problem.Forbidden(Message!),
        OutcomeKind.NotFound => Problem.NotFound(Message!),
        OutcomeKind.Conflict => Problem.Conflict(Message!),
        _ => throw new InvalidOperationException("A successful outcome is not a problem."),
    };

    /// <summary>Casts a failure to another value type.</summary>
    public Outcome<TOther> As<TOther>() => new(Kind, default, Message, Errors);
}
