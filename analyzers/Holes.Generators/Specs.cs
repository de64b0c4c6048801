using Holes.Rules;

namespace Holes.Generators;

// The specs carry only strings, numbers and equatable arrays, never symbols or syntax: they outlive the
// compilation they came from and must compare by value for the incremental pipeline to cache.

/// <summary>One value handed to a hole, as the emitted <c>HoleParameter</c> spells it.</summary>
internal sealed record HoleParameterSpec(string Name, string Type, string Expression);

/// <summary>Where the compiler must redirect a call: the opaque payload of <c>[InterceptsLocation]</c>.</summary>
internal sealed record InterceptSpec(int Version, string Data);

/// <summary>Everything emitted for one intercepted <c>agent&lt;T&gt;</c> call.</summary>
internal sealed record HoleSiteSpec(
    string FilePath,
    int Line,
    int Column,
    string MemberName,
    string ResultType,
    bool HasCancellationToken,
    EquatableArray<HoleParameterSpec> Parameters,
    EquatableArray<string> Usings,
    EquatableArray<string> TypeDeclarations,
    string EnclosingSource,
    InterceptSpec Intercept,
    bool WrapsTypedArray = false,
    EquatableArray<string>? CapabilityBound = null,
    EquatableArray<string> TypeParameters = default,
    string? Model = null);

/// <summary>Facts about the compilation as a whole that decide what, if anything, is emitted.</summary>
internal sealed record CompilationSpec(bool ReferencesHoles, bool NeedsFillAccess);
