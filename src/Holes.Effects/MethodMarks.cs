using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Holes.Effects;

/// <summary>
/// The program's methods that carry <c>[CompilerGenerated]</c> or a state machine attribute, by metadata token, read
/// in one pass over the image's custom attribute table.
/// </summary>
/// <remarks>
/// The step asks this of nearly every method; asking Cecil decodes each method's attribute list on its own (a lookup
/// and an allocation per method), which cost a tenth of the step on a 500-file program.
/// </remarks>
internal sealed class MethodMarks
{
    private const string CompilerServices = "System.Runtime.CompilerServices";

    private readonly HashSet<int> _compilerGenerated = new();
    private readonly HashSet<int> _stateMachines = new();

    /// <param name="image">The program's image.</param>
    /// <param name="stateMachineAttributes">The names of the state machine attributes (of <c>System.Runtime.CompilerServices</c>).</param>
    public MethodMarks(ImmutableArray<byte> image, IReadOnlySet<string> stateMachineAttributes)
    {
        using var pe = new PEReader(image);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.CustomAttributes)
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Parent.Kind != HandleKind.MethodDefinition || AttributeTypeName(metadata, attribute.Constructor) is not { } name)
            {
                continue;
            }

            var token = MetadataTokens.GetToken(attribute.Parent);
            if (name == "CompilerGeneratedAttribute")
            {
                _compilerGenerated.Add(token);
            }
            else if (stateMachineAttributes.Contains(name))
            {
                _stateMachines.Add(token);
            }
        }
    }

    /// <summary>Whether the method with this token carries <c>[CompilerGenerated]</c>.</summary>
    public bool IsCompilerGenerated(int methodToken) => _compilerGenerated.Contains(methodToken);

    /// <summary>Whether the method with this token names its state machine (<c>[AsyncStateMachine]</c> and the like).</summary>
    public bool HasStateMachine(int methodToken) => _stateMachines.Contains(methodToken);

    /// <summary>The name of the attribute's type when it is one of <c>System.Runtime.CompilerServices</c>, else <see langword="null"/>.</summary>
    private static string? AttributeTypeName(MetadataReader metadata, EntityHandle constructor)
    {
        var type = constructor.Kind switch
        {
            HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)constructor).Parent,
            HandleKind.MethodDefinition => metadata.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType(),
            _ => default,
        };

        switch (type.Kind)
        {
            case HandleKind.TypeReference:
                var reference = metadata.GetTypeReference((TypeReferenceHandle)type);
                return metadata.StringComparer.Equals(reference.Namespace, CompilerServices) ? metadata.GetString(reference.Name) : null;
            case HandleKind.TypeDefinition:
                var definition = metadata.GetTypeDefinition((TypeDefinitionHandle)type);
                return metadata.StringComparer.Equals(definition.Namespace, CompilerServices) ? metadata.GetString(definition.Name) : null;
            default:
                return null;
        }
    }
}
