using Mono.Cecil;

namespace Holes.Effects;

/// <summary>
/// Writes the effect table into the program's assembly as the attributes the runtime reads
/// (<c>[assembly: Holes.Runtime.HoleEffectsAnalyzed]</c>, <c>HoleEffect(id, path)</c>, <c>HoleEffectFree(id)</c>),
/// declared by the Holes runtime the program references.
/// </summary>
internal static class EffectAttributes
{
    public const string Namespace = "Holes.Runtime";
    public const string AnalyzedAttribute = Namespace + ".HoleEffectsAnalyzedAttribute";
    public const string EffectAttribute = Namespace + ".HoleEffectAttribute";
    public const string EffectFreeAttribute = Namespace + ".HoleEffectFreeAttribute";

    /// <summary>Whether the assembly already carries a table: the build step has run on it (or an older generator wrote one).</summary>
    public static bool IsAnalyzed(AssemblyDefinition assembly) =>
        assembly.HasCustomAttributes && assembly.CustomAttributes.Any(a => a.AttributeType.FullName == AnalyzedAttribute);

    /// <summary>Adds the table's attributes to <paramref name="assembly"/>, in id order so the image is deterministic.</summary>
    public static void Add(AssemblyDefinition assembly, AssemblyNameReference holes, EffectTableResult table)
    {
        var module = assembly.MainModule;
        var stringType = module.TypeSystem.String;
        assembly.CustomAttributes.Add(new CustomAttribute(Constructor(module, holes, "HoleEffectsAnalyzedAttribute")));

        var effect = Constructor(module, holes, "HoleEffectAttribute", stringType, stringType);
        foreach (var (id, path) in table.Effects.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var attribute = new CustomAttribute(effect);
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(stringType, id));
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(stringType, path));
            assembly.CustomAttributes.Add(attribute);
        }

        var free = Constructor(module, holes, "HoleEffectFreeAttribute", stringType);
        foreach (var id in table.EffectFree)
        {
            var attribute = new CustomAttribute(free);
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(stringType, id));
            assembly.CustomAttributes.Add(attribute);
        }
    }

    private static MethodReference Constructor(ModuleDefinition module, AssemblyNameReference holes, string typeName, params TypeReference[] parameters)
    {
        var type = new TypeReference(Namespace, typeName, module, holes);
        var ctor = new MethodReference(".ctor", module.TypeSystem.Void, type) { HasThis = true };
        foreach (var parameter in parameters)
        {
            ctor.Parameters.Add(new ParameterDefinition(parameter));
        }

        return ctor;
    }
}
