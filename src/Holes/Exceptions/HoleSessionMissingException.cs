namespace Holes;

/// <summary>A hole was reached with no session to fill it: none current on its async flow and no <see cref="AgentSession.Default"/>.</summary>
public sealed class HoleSessionMissingException : HoleException
{
    internal HoleSessionMissingException(string location, string task, bool setElsewhere = false)
        : base(location, task, Describe(location, task, setElsewhere))
    {
    }

    private static string Describe(string location, string task, bool setElsewhere) =>
        $"The hole at {location} (\"{task}\") has no session to run in. " +
        (setElsewhere
            ? "A session was made current (AgentSession.Current = session, or session.Enter()), but that setting does not reach this hole: " +
              "a value set inside an async method, or inside a using scope that has ended, does not flow back to the caller. " +
              "Set `AgentSession.Current = session` in the method that awaits the holes (or one that calls it), wrap the holes in " +
              "`using (session.Enter()) { ... }` there, or make it the session of the whole process: `AgentSession.Default = session`."
            : "Create one and make it current before the first hole, in the method that awaits the holes or one that calls it: " +
              "`await using var session = new AgentSession(chatClient); AgentSession.Current = session;`, or make it the session of " +
              "the whole process with `AgentSession.Default = session`. With dependency injection, `services.AddHoles()` makes its " +
              "session the default when the host starts, or when AgentSession is first resolved from the container.");
}
