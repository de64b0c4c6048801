namespace Holes;

/// <summary>The model never answered a hole with code (every reply was prose or empty). Nothing changed.</summary>
public sealed class HoleNoCodeException : HoleRejectedException
{
    internal HoleNoCodeException(string location, string task, IReadOnlyList<HoleAttempt> attempts)
        : base(location, task, attempts,
            "The model must reply with a JSON object {\"code\": ...} or a ```csharp block. Check that the chat client " +
            "supports structured output, or set HoleOptions.UseStructuredOutput = false for providers that do not.")
    {
    }
}
