namespace Holes;

/// <summary>The chat client threw while a hole was waiting for it. Nothing changed in the session.</summary>
public sealed class HoleModelException : HoleException
{
    internal HoleModelException(string location, string task, int attempt, Exception inner)
        : base(location, task,
            $"The model call for the hole at {location} (\"{task}\", attempt {attempt}) failed: {inner.GetType().Name}: {inner.Message} " +
            "Nothing changed in the session. Check the chat client's configuration (endpoint, key, model id) or add a retry policy to it.",
            inner)
    {
    }
}
