using System.ComponentModel;

namespace Holes.Runtime;

/// <summary>
/// Everything the engine needs to know about one <c>agent&lt;T&gt;(...)</c> call site: where it is,
/// what it must produce, what is handed to it and the source around it.
/// </summary>
/// <remarks>
/// Instances are created by the Holes source generator (one per call site, at compile time) and by
/// the engine itself for holes inside fills and for calls that were not intercepted.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HoleSite
{
    /// <summary>Creates a site descriptor.</summary>
    /// <param name="filePath">The source file that contains the call.</param>
    /// <param name="line">The 1-based line of the call.</param>
    /// <param name="column">The 1-based column of the call.</param>
    /// <param name="memberName">The enclosing member, for messages (for example <c>Main</c> or <c>Program.Run</c>).</param>
    /// <param name="resultType">The hole's result type, fully qualified with <c>global::</c>, usable in generated code.</param>
    /// <param name="parameters">The values handed to the hole, in argument order.</param>
    /// <param name="usings">Namespaces and <c>using static</c> types in scope at the call, e.g. <c>System.Linq</c> or <c>static System.Math</c>.</param>
    /// <param name="typeDeclarations">Declarations of the program's own types that the model needs to see, as C# text.</param>
    /// <param name="enclosingSource">The source of the enclosing member with the hole marked.</param>
    /// <param name="capabilityBound">
    /// The hole bound in force at the call (<c>[HoleBound]</c> or <c>[PureHoles]</c> on the enclosing lambda, local function,
    /// member or type), as reflection-style full type names (<c>Ns.Outer+Inner</c>): <see langword="null"/> when unbounded,
    /// empty under <c>[PureHoles]</c>.
    /// </param>
    /// <param name="typeParameters">
    /// The type parameters of the enclosing method or type that <paramref name="resultType"/> or a parameter's type
    /// mentions (those types are then spelled open, e.g. <c>global::System.Collections.Generic.List&lt;T&gt;</c>); the
    /// engine substitutes the types they have at run time before it describes the hole. Empty or <see langword="null"/>
    /// for a site with no type parameters.
    /// </param>
    /// <param name="model">The key of the model the enclosing <c>[HoleModel]</c> names; <see langword="null"/> when none does.</param>
    public HoleSite(
        string filePath,
        int line,
        int column,
        string memberName,
        string resultType,
        IReadOnlyList<HoleParameter> parameters,
        IReadOnlyList<string> usings,
        IReadOnlyList<string> typeDeclarations,
        string enclosingSource,
        IReadOnlyList<string>? capabilityBound = null,
        IReadOnlyList<string>? typeParameters = null,
        string? model = null)
    {
        FilePath = filePath ?? throw new ArgumentNullException(nameof(filePath));
        Line = line;
        Column = column;
        MemberName = memberName ?? "";
        ResultType = resultType ?? throw new ArgumentNullException(nameof(resultType));
        Parameters = parameters ?? [];
        Usings = usings ?? [];
        TypeDeclarations = typeDeclarations ?? [];
        EnclosingSource = enclosingSource ?? "";
        CapabilityBound = capabilityBound;
        TypeParameters = typeParameters ?? [];
        Model = model;
    }

    /// <summary>The source file that contains the call.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line of the call.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the call.</summary>
    public int Column { get; }

    /// <summary>The enclosing member, for messages.</summary>
    public string MemberName { get; }

    /// <summary>The hole's result type, fully qualified with <c>global::</c>.</summary>
    public string ResultType { get; }

    /// <summary>The values handed to the hole, in argument order.</summary>
    public IReadOnlyList<HoleParameter> Parameters { get; }

    /// <summary>Namespaces (and <c>static</c> types) imported at the call site.</summary>
    public IReadOnlyList<string> Usings { get; }

    /// <summary>C# declarations of the program's own types that the model needs to see.</summary>
    public IReadOnlyList<string> TypeDeclarations { get; }

    /// <summary>The enclosing member's source with the hole marked; empty when unknown.</summary>
    public string EnclosingSource { get; }

    /// <summary>
    /// The hole bound in force at the call, as reflection-style full type names (<c>Ns.Outer+Inner</c>):
    /// <see langword="null"/> when unbounded, empty under <c>[PureHoles]</c>. The effective bound of a nested hole is
    /// its own intersected with its ancestors'.
    /// </summary>
    public IReadOnlyList<string>? CapabilityBound { get; }

    /// <summary>
    /// The type parameters that <see cref="ResultType"/> and the parameters' types are spelled with; empty when the
    /// site's types are all closed. The engine replaces such a site by one with the run-time types before using it.
    /// </summary>
    public IReadOnlyList<string> TypeParameters { get; }

    /// <summary>Whether the site's types mention type parameters whose run-time types the engine must substitute.</summary>
    public bool IsOpen => TypeParameters.Count > 0;

    /// <summary>
    /// The key of the session's model the enclosing <c>[HoleModel]</c> names; <see langword="null"/> when none does. A
    /// <c>UseModel</c> scope around the call wins over it.
    /// </summary>
    public string? Model { get; }

    /// <summary>The site as <c>file:line</c>, the form every Holes error uses.</summary>
    public string Location => $"{Path.GetFileName(FilePath)}:{Line}";

    /// <inheritdoc />
    public override string ToString() => Location;
}
