namespace Holes;

/// <summary>
/// A capability went where the capability rules forbid: a hole was handed one outside its bound (checked before any
/// model call), or a fill kept one in the session after its hole ended. Nothing was committed.
/// </summary>
public sealed class HoleCapabilityException : HoleException
{
    internal HoleCapabilityException(string location, string task, string valueName, string valueType, string allowed, string message)
        : base(location, task, message)
    {
        ValueName = valueName;
        ValueType = valueType;
        Allowed = allowed;
    }

    /// <summary>The name of the value or variable that holds the capability.</summary>
    public string ValueName { get; }

    /// <summary>The capability's type.</summary>
    public string ValueType { get; }

    /// <summary>What was allowed instead, in words (the hole's bound, or the capabilities granted to the session).</summary>
    public string Allowed { get; }

    internal static HoleCapabilityException OutsideBound(string location, string task, string valueName, Type type, string allowed) => new(
        location, task, valueName, type.FullName ?? type.Name, allowed,
        $"The hole at {location} (\"{task}\") was handed '{valueName}', a {type.FullName ?? type.Name}, which is outside its capability bound: it may be handed {allowed}. " +
        "No model was called. Hand the hole only capabilities within its bound, or widen the bound with [HoleBound(typeof(...))] on the enclosing member " +
        "(a nested hole can never get more than its parent may hand out).");

    internal static HoleCapabilityException Kept(string location, string task, string variableName, Type type) => new(
        location, task, variableName, type.FullName ?? type.Name, "capabilities granted to the session",
        $"The fill of the hole at {location} (\"{task}\") kept '{variableName}', a {type.FullName ?? type.Name}, in the session, but that capability was handed to the hole " +
        "and must not outlive it; nothing the fill declared or assigned was committed. Grant it to the session with AgentSession.Grant if it should persist.");

    internal static HoleCapabilityException GrantReplaced(string location, string task, string variableName) => new(
        location, task, variableName, "", "using the granted capability",
        $"The fill of the hole at {location} (\"{task}\") redeclared or assigned '{variableName}', a capability granted to the session; fills may use a grant " +
        "but never replace it. Nothing the fill declared or assigned was committed. Use another name for the new variable.");
}
