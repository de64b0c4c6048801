using Mono.Cecil;

namespace Holes.Effects;

/// <summary>
/// Whether a program needs an effect table: it references Holes, and it has holes (the generator's interceptors, which
/// call the dispatcher) or runs code through <c>AgentSession.ExecuteAsync</c>, which the verifier checks as it checks a
/// fill. Decided from the module's references alone, without reading a method body, so a program without holes costs
/// the build only the read of its metadata tables.
/// </summary>
internal static class HoleUse
{
    public const string HolesAssembly = "Holes";

    public static bool ReferencesHoles(ModuleDefinition module) => HolesReference(module) is not null;

    public static AssemblyNameReference? HolesReference(ModuleDefinition module) =>
        module.AssemblyReferences.FirstOrDefault(r => r.Name == HolesAssembly);

    public static bool UsesHoles(ModuleDefinition module)
    {
        foreach (var reference in module.GetMemberReferences())
        {
            if (reference.DeclaringType?.GetElementType() is not { Scope: AssemblyNameReference { Name: HolesAssembly } } type)
            {
                continue;
            }

            switch (type.FullName)
            {
                case "Holes.Runtime.HoleDispatcher":
                case "Holes.Agents" when reference.Name == "agent":
                case "Holes.AgentSession" when reference.Name == "ExecuteAsync":
                    return true;
            }
        }

        return false;
    }
}
