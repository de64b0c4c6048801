namespace Holes;

/// <summary>A hole was reached with no <see cref="AgentSession.Current"/> to fill it.</summary>
public sealed class HoleSessionMissingException : HoleException
{
    internal HoleSessionMissingException(string location, string task)
        : base(location, task,
            $"The hole at {location} (\"{task}\") has no session to run in. Create one and make it ambient before the first hole: " +
            "`await using var session = new AgentSession(chatClient); AgentSession.Current = session;` " +
            "(or register it with services.AddHoles() and resolve AgentSession).")
    {
    }
}
