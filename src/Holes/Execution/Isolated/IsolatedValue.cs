using Holes.Execution.Protocol;

namespace Holes.Execution.Isolated;

/// <summary>
/// The host's stand-in for a value that lives only in the worker (a function a fill built, a value that is not data):
/// handed on to another fill it crosses back as itself; in the host it shows only its type and a preview.
/// </summary>
internal sealed class IsolatedValue
{
    public IsolatedValue(WorkerProcess? worker, long handle, string typeName, string preview)
    {
        Worker = worker;
        Handle = handle;
        TypeName = typeName;
        Preview = preview;
    }

    /// <summary>The worker that holds it; null for a snapshot that only describes it.</summary>
    public WorkerProcess? Worker { get; }

    public long Handle { get; }

    public string TypeName { get; }

    public string Preview { get; }

    /// <summary>The hole whose fill made it, as <c>file:line</c>, for messages about calls into it.</summary>
    public string Origin { get; init; } = "";

    /// <summary>The preview, so prompts show the value as the fill that made it would.</summary>
    public override string ToString() => Preview;
}

/// <summary>A value cannot cross the process boundary; the message says why.</summary>
internal sealed class ValueCrossingException : Exception
{
    public ValueCrossingException(string message) : base(message)
    {
    }

    public ValueCrossingException()
    {
    }

    public ValueCrossingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>Copies data as JSON, checking that a copy loses nothing.</summary>
internal static class DataCopy
{
    public static string Serialize(object value, Type type)
    {
        try
        {
            var json = System.Text.Json.JsonSerializer.Serialize(value, type, WireJson.Options);
            if (!WireJson.IsSimple(type))
            {
                var back = System.Text.Json.JsonSerializer.Deserialize(json, type, WireJson.Options);
                var again = System.Text.Json.JsonSerializer.Serialize(back, type, WireJson.Options);
                if (!string.Equals(json, again, StringComparison.Ordinal))
                {
                    throw new ValueCrossingException($"a {TypeText.Of(type)} does not survive a copy as JSON (a value with a private setter, or a constructor that drops one, would be lost)");
                }
            }

            return json;
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException or MissingMethodException)
        {
            throw new ValueCrossingException($"a {TypeText.Of(type)} is not data that can be copied as JSON: {ex.Message}", ex);
        }
    }

    public static object? Deserialize(string json, Type type)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(json, type, WireJson.Options);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException or MissingMethodException)
        {
            throw new ValueCrossingException($"a {TypeText.Of(type)} could not be rebuilt from its JSON copy: {ex.Message}", ex);
        }
    }

    /// <summary>A lazy sequence: copying it would run it here, perhaps forever.</summary>
    public static bool IsLazySequence(Type type) =>
        type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) &&
        !typeof(System.Collections.ICollection).IsAssignableFrom(type) && !type.IsArray &&
        !type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d &&
                                       (d == typeof(IReadOnlyCollection<>) || d == typeof(ICollection<>)));
}
