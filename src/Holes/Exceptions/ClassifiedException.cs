namespace Holes;

/// <summary>
/// A transform inside <see cref="Classified{T}.Map{TResult}"/> (or <c>FlatMap</c>, <c>MapAsync</c>) threw. The
/// original exception's message, stack trace and inner exceptions are withheld, because they may carry the classified
/// content; only its type is kept.
/// </summary>
public sealed class ClassifiedException : Exception
{
    private ClassifiedException(string message, string exceptionType)
        : base(message) => ExceptionType = exceptionType;

    /// <summary>The full name of the type of the exception the transform threw.</summary>
    public string ExceptionType { get; }

    internal static ClassifiedException From(Exception thrown, string method) =>
        OfType(thrown.GetType().FullName ?? thrown.GetType().Name, method);

    /// <summary>The failure of a transform that threw an exception of <paramref name="type"/> (as it crosses from the worker).</summary>
    internal static ClassifiedException OfType(string type, string method = "Map")
    {
        return new ClassifiedException(
            $"The transform passed to Classified<T>.{method} threw {type}. Its message is withheld because it may carry classified content; " +
            "make the transform total (handle the bad input and return a value) instead of throwing.",
            type);
    }
}
