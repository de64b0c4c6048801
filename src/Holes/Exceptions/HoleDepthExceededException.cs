namespace Holes;

/// <summary>A fill called <c>agent&lt;T&gt;</c> deeper than <see cref="HoleOptions.MaxDepth"/> allows.</summary>
public sealed class HoleDepthExceededException : HoleException
{
    internal HoleDepthExceededException(string location, string task, int maxDepth, IReadOnlyList<string> chain)
        : base(location, task,
            $"The hole at {location} (\"{task}\") would be nested {maxDepth + 1} deep; HoleOptions.MaxDepth is {maxDepth}. " +
            $"Chain of holes: {string.Join(" > ", chain.Select(t => $"\"{t}\""))}. " +
            "Raise HoleOptions.MaxDepth, or check the fills for unbounded recursion.")
    {
        MaxDepth = maxDepth;
    }

    /// <summary>The configured limit.</summary>
    public int MaxDepth { get; }
}
