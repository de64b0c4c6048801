using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Holes.Effects;

/// <summary>
/// What the compiler added to the program while lowering it, and to which of the program's members it belongs.
/// </summary>
/// <remarks>
/// <para>Lambdas, local functions, iterators and async methods become methods of their own (<c>&lt;Run&gt;b__0_0</c>,
/// <c>&lt;Run&gt;g__Local|0_1</c>, <c>&lt;Run&gt;d__3.MoveNext</c>), in the member's type or in types the compiler adds
/// (display classes, <c>&lt;&gt;c</c>, state machines). Their code is the member's code, so it is analysed as part of
/// the member that owns it: the member that references the method (<c>ldftn</c>, <c>call</c>, <c>newobj</c>), or whose
/// <c>[AsyncStateMachine]</c>/<c>[IteratorStateMachine]</c> names the state machine, followed through generated methods
/// up to a member of the program.</para>
/// <para>Members the compiler synthesizes without source (a record's <c>Equals</c>, <c>PrintMembers</c>,
/// <c>EqualityContract</c>; an auto-property's accessors; a field-like event's accessors) carry
/// <c>[CompilerGenerated]</c>: they are left out, as the source of the program has no code for them.</para>
/// </remarks>
internal sealed partial class CompilerGenerated
{
    private static readonly HashSet<string> s_stateMachineAttributes = new(StringComparer.Ordinal)
    {
        "AsyncStateMachineAttribute", "IteratorStateMachineAttribute", "AsyncIteratorStateMachineAttribute",
    };

    private readonly Dictionary<MethodDefinition, List<MethodDefinition>> _referencedBy = new();
    // By metadata token: asked for every member of the program, whose objects would each get a hash code made.
    private readonly Dictionary<int, List<MethodDefinition>> _owned = new();

    private readonly MethodMarks _marks;

    /// <param name="module">The program, as Cecil reads it.</param>
    /// <param name="image">The same image's bytes.</param>
    public CompilerGenerated(ModuleDefinition module, ImmutableArray<byte> image)
    {
        _marks = new MethodMarks(image, s_stateMachineAttributes);
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                Collect(method);
            }
        }

        var owners = new Dictionary<MethodDefinition, HashSet<MethodDefinition>>();
        foreach (var generated in _referencedBy.Keys)
        {
            foreach (var owner in Owners(generated, owners, new HashSet<MethodDefinition>()))
            {
                if (!_owned.TryGetValue(owner.MetadataToken.ToInt32(), out var list))
                {
                    list = new List<MethodDefinition>();
                    _owned.Add(owner.MetadataToken.ToInt32(), list);
                }

                list.Add(generated);
            }
        }
    }

    /// <summary>The generated methods whose code belongs to <paramref name="member"/> (its lambdas, local functions, state machine).</summary>
    public IReadOnlyList<MethodDefinition> OwnedBy(MethodDefinition member) =>
        _owned.Count > 0 && _owned.TryGetValue(member.MetadataToken.ToInt32(), out var list) ? list : [];

    /// <summary>A name the compiler made up: it starts with '&lt;' (<c>&lt;&gt;c</c>, <c>&lt;Run&gt;b__0_0</c>, <c>&lt;Name&gt;k__BackingField</c>).</summary>
    public static bool IsGeneratedName(string name) => name.Length > 0 && name[0] == '<';

    /// <summary>A file-local type (<c>file class Helper</c>): a type of the program, under a name the compiler mangles.</summary>
    public static bool IsFileLocal(TypeDefinition type) => IsFileLocalName(type.Name);

    /// <summary>Whether a type's metadata name is the mangled name of a file-local type (<c>&lt;Program&gt;F1A2B__Helper</c>).</summary>
    public static bool IsFileLocalName(string name) => FileLocalName().IsMatch(name);

    /// <summary>A type the compiler added (display class, state machine, <c>&lt;PrivateImplementationDetails&gt;</c>), or one nested in it.</summary>
    public static bool IsGeneratedType(TypeDefinition type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if ((IsGeneratedName(t.Name) && !IsFileLocal(t)) || t.Name == "<Module>")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A method whose code is lowered from a member of the program: a lambda, a local function, a state machine's method.</summary>
    public static bool IsGeneratedMethod(MethodDefinition method) =>
        (IsGeneratedName(method.Name) && method.Name != "<Main>$") || IsGeneratedType(method.DeclaringType);

    /// <summary>A method the compiler synthesized with no code in source: <c>[CompilerGenerated]</c> on the method itself.</summary>
    public bool IsSynthesized(MethodDefinition method) => _marks.IsCompilerGenerated(method.MetadataToken.ToInt32());

    /// <summary>The hole interceptors the Holes generator adds (namespace <c>Holes.Generated</c>): they stand for the <c>agent&lt;T&gt;</c> calls they replace.</summary>
    public static bool IsInterceptor(TypeDefinition type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring)
        {
            outer = declaring;
        }

        return outer.Namespace == "Holes.Generated" ||
               (outer.Namespace == "System.Runtime.CompilerServices" && IsFileLocal(outer) && outer.Name.EndsWith("__InterceptsLocationAttribute", StringComparison.Ordinal));
    }

    /// <summary>Code the compiler adds for its own lowering and shares (<c>&lt;PrivateImplementationDetails&gt;</c>, inline arrays): no member of the program owns it.</summary>
    private static bool IsShared(TypeDefinition type) =>
        type.Name.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal) || type.Name.StartsWith("<>y__InlineArray", StringComparison.Ordinal);

    private void Collect(MethodDefinition method)
    {
        if (_marks.HasStateMachine(method.MetadataToken.ToInt32()))
        {
            foreach (var attribute in method.CustomAttributes)
            {
                if (attribute.AttributeType.Namespace == "System.Runtime.CompilerServices" && s_stateMachineAttributes.Contains(attribute.AttributeType.Name) &&
                    attribute.ConstructorArguments.Count == 1 &&
                    attribute.ConstructorArguments[0].Value is TypeReference machine && machine.Resolve() is { } machineType &&
                    machineType.Module == method.Module)
                {
                    // MoveNext carries the member's code (and calls the finally blocks an iterator moves out);
                    // the rest of the state machine is the compiler's plumbing.
                    foreach (var step in machineType.Methods)
                    {
                        if (step.Name is "MoveNext" or "System.Collections.IEnumerator.MoveNext")
                        {
                            Reference(step, method);
                        }
                    }
                }
            }
        }

        // Synthesized members are not scanned, so what they reference needs no owner.
        if (!method.HasBody || (!IsGeneratedMethod(method) && IsSynthesized(method)))
        {
            return;
        }

        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.Operand is MethodReference target && instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn &&
                target.DeclaringType?.GetElementType() is TypeDefinition declaring && declaring.Module == method.Module &&
                Definition(target) is { } definition && IsGeneratedMethod(definition) && !IsShared(RootOf(definition.DeclaringType)))
            {
                Reference(definition, method);
            }
        }
    }

    private static TypeDefinition RootOf(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static MethodDefinition? Definition(MethodReference reference)
    {
        if (reference is MethodDefinition definition)
        {
            return definition;
        }

        try
        {
            return reference.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    private void Reference(MethodDefinition generated, MethodDefinition by)
    {
        if (generated == by)
        {
            return;
        }

        if (!_referencedBy.TryGetValue(generated, out var list))
        {
            list = new List<MethodDefinition>();
            _referencedBy.Add(generated, list);
        }

        if (!list.Contains(by))
        {
            list.Add(by);
        }
    }

    private HashSet<MethodDefinition> Owners(MethodDefinition generated, Dictionary<MethodDefinition, HashSet<MethodDefinition>> memo, HashSet<MethodDefinition> visiting)
    {
        if (memo.TryGetValue(generated, out var known))
        {
            return known;
        }

        var owners = new HashSet<MethodDefinition>();
        if (!visiting.Add(generated))
        {
            return owners;
        }

        if (_referencedBy.TryGetValue(generated, out var list))
        {
            foreach (var by in list)
            {
                if (!IsGeneratedMethod(by))
                {
                    owners.Add(by);
                }
                else
                {
                    owners.UnionWith(Owners(by, memo, visiting));
                }
            }
        }

        visiting.Remove(generated);
        memo[generated] = owners;
        return owners;
    }

    [GeneratedRegex("^<[^>]*>F[0-9A-Fa-f]+__")]
    private static partial Regex FileLocalName();
}
