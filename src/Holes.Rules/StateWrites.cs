using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Rules;

/// <summary>
/// One way an operation changes state: the location or object that changes (<see cref="Target"/>) and how.
/// </summary>
internal readonly struct StateWrite
{
    public StateWrite(IOperation target, string shape, bool isCall)
    {
        Target = target;
        Shape = shape;
        IsCall = isCall;
    }

    /// <summary>The written location (an assignment's target, a ref argument) or the object a call changes.</summary>
    public IOperation Target { get; }

    /// <summary>How, as a verb phrase for messages: "assigns", "calls 'Add', which changes", ...</summary>
    public string Shape { get; }

    /// <summary>The object is changed by a member it is handed to (a mutating call), not by writing the location itself.</summary>
    public bool IsCall { get; }
}

/// <summary>Where a written location or changed object is reached from: a static member, or a local or parameter.</summary>
internal readonly struct StateRoot
{
    public StateRoot(IOperation root, bool isTargetItself, bool throughReference)
    {
        Root = root;
        IsTargetItself = isTargetItself;
        ThroughReference = throughReference;
    }

    /// <summary>A static field, property or event reference, or a local or parameter reference.</summary>
    public IOperation Root { get; }

    /// <summary>The target is the root itself (<c>Config.Value = 1</c>), not something reached through it.</summary>
    public bool IsTargetItself { get; }

    /// <summary>An object on the heap lies between the root and the target, so changing it changes shared state even when the root itself is readonly or a property.</summary>
    public bool ThroughReference { get; }

    public ISymbol? Symbol => Root switch
    {
        IMemberReferenceOperation member => member.Member,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };
}

/// <summary>
/// Finds every shape of state change in the operation tree: assignment (simple, compound, <c>??=</c>,
/// deconstruction), <c>++</c>/<c>--</c>, <c>ref</c>/<c>out</c> arguments, writable <c>ref</c> locals and returns,
/// address-of, event subscription, writable spans, and calls that change the object they are called on (collection
/// mutators, setters of struct state, non-readonly struct methods) or an array or collection they are handed.
/// <see cref="Roots"/> then says whether the change reaches static state or a captured variable.
/// </summary>
/// <remarks>
/// Whether a call changes its receiver cannot be known in general. Framework types are judged by a list of mutator
/// names (Add, Remove, Clear, Set..., Append, Sort...), the program's types and structs the other way round: a call
/// counts as a change unless the method is readonly, <c>[Pure]</c>, on an immutable type, or named like a reader
/// (Get..., Is..., Contains, ToString...). Both err towards reporting.
/// </remarks>
internal static class StateWrites
{
    private static readonly string[] s_mutatorPrefixes =
    [
        "Add", "Remove", "Insert", "Clear", "Push", "Pop", "Enqueue", "Dequeue", "Append", "TryAdd", "TryRemove", "TryPop",
        "TryDequeue", "TryTake", "TrySet", "Set", "Sort", "Reverse", "Fill", "Shuffle", "Resize", "Initialize", "TrimExcess",
        "EnsureCapacity", "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "Replace", "Update", "TryUpdate",
        "GetOrAdd", "Cancel", "Dispose", "Return", "Rent", "Register", "Unregister", "Store", "Put", "Release",
        "Reset", "Increment", "Decrement", "Exchange", "CompareExchange", "CopyFrom", "Load", "Move", "Swap",
    ];

    // Algorithms that rewrite the array or list they are handed, in place (Array.Sort(a), random.Shuffle(a)).
    private static readonly HashSet<string> s_inPlace = new(System.StringComparer.Ordinal) { "Sort", "Fill", "Shuffle", "Reverse", "Clear", "Initialize", "Resize" };

    private static readonly string[] s_readerPrefixes =
    [
        "Get", "TryGet", "Is", "Has", "Can", "Find", "To", "Contains", "Compare", "Equals", "Format", "Describe", "Count",
        "IndexOf", "LastIndexOf", "Peek", "TryPeek", "Deconstruct", "Matches", "Clone", "Exists", "TrueForAll", "Select",
        "Where", "Any", "All",
    ];

    /// <summary>Adds the state changes <paramref name="operation"/> makes to <paramref name="writes"/>.</summary>
    public static void Collect(IOperation operation, TypeImmutability immutability, List<StateWrite> writes)
    {
        switch (operation)
        {
            case IDeconstructionAssignmentOperation deconstruction:
                AddTupleTargets(deconstruction.Target, writes);
                break;
            case ISimpleAssignmentOperation { IsRef: true } refAssignment:
                writes.Add(new StateWrite(refAssignment.Value, "takes a writable ref to", isCall: false));
                break;
            case IAssignmentOperation assignment:
                writes.Add(new StateWrite(assignment.Target, "assigns", isCall: false));
                break;
            case IIncrementOrDecrementOperation increment:
                writes.Add(new StateWrite(increment.Target, "increments or decrements", isCall: false));
                break;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                writes.Add(new StateWrite(argument.Value, "passes by ref or out", isCall: false));
                break;
            case IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref, Initializer: { } initializer }:
                writes.Add(new StateWrite(initializer.Value, "takes a writable ref to", isCall: false));
                break;
            case IReturnOperation { ReturnedValue: { } returned } when ReturnsWritableRef(operation):
                writes.Add(new StateWrite(returned, "returns a writable ref to", isCall: false));
                break;
            case IAddressOfOperation addressOf:
                writes.Add(new StateWrite(addressOf.Reference, "takes the address of", isCall: false));
                break;
            case IEventAssignmentOperation eventAssignment:
                writes.Add(new StateWrite(eventAssignment.EventReference, eventAssignment.Adds ? "subscribes to" : "unsubscribes from", isCall: false));
                break;
            case IInvocationOperation invocation:
                CollectCall(invocation.TargetMethod, Receiver(invocation), invocation.Arguments, immutability, writes);
                break;
            case IMethodReferenceOperation { Instance: { } instance } methodReference when ChangesReceiver(methodReference.Method, instance.Type, immutability):
                writes.Add(new StateWrite(instance, $"makes a delegate of '{methodReference.Method.Name}', which changes", isCall: true));
                break;
            case IConversionOperation { OperatorMethod: null } conversion when IsWritableView(conversion.Type) && conversion.Operand.Type is IArrayTypeSymbol:
                writes.Add(new StateWrite(conversion.Operand, "takes a writable span over", isCall: true));
                break;
        }
    }

    /// <summary>
    /// The static members and variables a written location or changed object is reached from. Follows member
    /// accesses, element accesses, conditional branches and, conservatively, calls whose result may be an object held
    /// by their receiver (<c>dict.GetValueOrDefault(k)</c>); stops at new objects.
    /// </summary>
    public static void Roots(IOperation target, List<StateRoot> roots) => AddRoots(target, isTargetItself: true, throughReference: false, roots, depth: 0);

    /// <summary>Whether calling <paramref name="method"/> on a receiver of type <paramref name="receiverType"/> may change the receiver.</summary>
    public static bool ChangesReceiver(IMethodSymbol method, ITypeSymbol? receiverType, TypeImmutability immutability)
    {
        if (receiverType is null || method.MethodKind is MethodKind.DelegateInvoke or MethodKind.LocalFunction or MethodKind.AnonymousFunction ||
            receiverType is { Name: "Random", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
        {
            // A random generator's state is not data anyone can read back: Random.Shared.Next() changes nothing shared.
            return false;
        }

        // Fast path for the common case, a framework method on a class that is not named like a mutator: this runs
        // for every call in every fill.
        var name = method.Name;
        var program = method.ContainingType is { } declaring && CapabilityRules.IsProgram(declaring);
        if (!program && !receiverType.IsValueType && !IsMutatorName(name) && !method.ReturnsByRef && !IsWritableView(method.ReturnType) &&
            !(method.IsExtensionMethod && method.Parameters.Length > 0 && method.Parameters[0].RefKind == RefKind.Ref))
        {
            return false;
        }

        if (immutability.IsImmutable(receiverType) || method.IsReadOnly || method.ContainingType is { IsValueType: true, IsReadOnly: true } ||
            CapabilityFacts.IsDeclaredPure(method))
        {
            return false;
        }

        if (method.ReturnsByRef || IsWritableView(method.ReturnType))
        {
            return true;
        }

        if (method.IsExtensionMethod && method.Parameters.Length > 0)
        {
            if (method.Parameters[0].RefKind == RefKind.Ref)
            {
                return true;
            }

            if (method.Parameters[0].RefKind is RefKind.In or RefKind.RefReadOnlyParameter || IsLinq(method))
            {
                return false;
            }
        }

        if (IsMutatorName(name))
        {
            return true;
        }

        return (receiverType.IsValueType || program) && !IsReaderName(name);
    }

    private static void CollectCall(IMethodSymbol method, IOperation? receiver, IReadOnlyList<IArgumentOperation> arguments, TypeImmutability immutability, List<StateWrite> writes)
    {
        if (receiver is not null && ChangesReceiver(method, receiver.Type, immutability))
        {
            writes.Add(new StateWrite(receiver, $"calls '{method.Name}', which changes", isCall: true));
        }

        var program = method.ContainingType is { } declaring && CapabilityRules.IsProgram(declaring);
        var inPlace = s_inPlace.Contains(method.Name) && !method.IsExtensionMethod;
        var copies = method.Name.IndexOf("Copy", System.StringComparison.Ordinal) >= 0;
        var firstCollection = true;
        foreach (var argument in arguments)
        {
            if (argument.Parameter is not { } parameter || argument.Value == receiver || parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                continue;
            }

            // Most arguments are handed to framework methods that only read them: decide that before any type test.
            var name = parameter.Name;
            var writesByName = name.StartsWith("dest", System.StringComparison.Ordinal) || name is "buffer" or "output" ||
                               name == "bytes" && method.Name == "GetBytes" || name == "chars" && method.Name == "GetChars" || copies && name == "array";
            var staticMutator = inPlace && firstCollection;
            if (!program && !writesByName && !staticMutator)
            {
                continue;
            }

            var value = Unconverted(argument.Value);
            var type = value.Type;
            if (type is null || type.IsValueType && !IsWritableView(type) || immutability.IsImmutable(type) || IsReadOnlyView(parameter.Type))
            {
                continue;
            }

            var isCollection = type is IArrayTypeSymbol || IsWritableView(type) || IsCollection(type);
            if (isCollection && (staticMutator || writesByName))
            {
                writes.Add(new StateWrite(value, $"hands it to '{method.Name}', which changes", isCall: true));
            }
            else if (program && (isCollection || type is INamedTypeSymbol named && CapabilityRules.IsProgram(named)))
            {
                // A method of the program may change whatever mutable object it is handed.
                writes.Add(new StateWrite(value, $"hands it to '{method.Name}', which may change", isCall: true));
            }

            firstCollection &= !isCollection;
        }
    }

    private static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance;
        }

        return invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
    }

    private static void AddTupleTargets(IOperation target, List<StateWrite> writes)
    {
        switch (target)
        {
            case ITupleOperation tuple:
                foreach (var element in tuple.Elements)
                {
                    AddTupleTargets(element, writes);
                }

                break;
            case IDeclarationExpressionOperation declaration:
                AddTupleTargets(declaration.Expression, writes);
                break;
            case IDiscardOperation:
                break;
            default:
                writes.Add(new StateWrite(target, "assigns", isCall: false));
                break;
        }
    }

    private static void AddRoots(IOperation? operation, bool isTargetItself, bool throughReference, List<StateRoot> roots, int depth)
    {
        for (var op = operation; op is not null && depth < 32; depth++)
        {
            switch (op)
            {
                case IConversionOperation { OperatorMethod: null } conversion:
                    op = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    op = parenthesized.Operand;
                    continue;
                case ILocalReferenceOperation or IParameterReferenceOperation:
                case IFieldReferenceOperation { Field.IsStatic: true }:
                case IPropertyReferenceOperation { Property.IsStatic: true }:
                case IEventReferenceOperation { Event.IsStatic: true }:
                    roots.Add(new StateRoot(op, isTargetItself, throughReference));
                    return;
                case IMemberReferenceOperation { Instance: { } instance }:
                    throughReference |= instance.Type is { IsValueType: false };
                    isTargetItself = false;
                    op = instance;
                    continue;
                case IArrayElementReferenceOperation element:
                    throughReference = true;
                    isTargetItself = false;
                    op = element.ArrayReference;
                    continue;
                case IImplicitIndexerReferenceOperation indexer:
                    throughReference |= indexer.Instance.Type is { IsValueType: false };
                    isTargetItself = false;
                    op = indexer.Instance;
                    continue;
                case IInlineArrayAccessOperation inlineArray:
                    isTargetItself = false;
                    op = inlineArray.Instance;
                    continue;
                case IConditionalAccessInstanceOperation:
                    op = ConditionalAccessed(op);
                    continue;
                case IConditionalAccessOperation conditionalAccess:
                    op = conditionalAccess.WhenNotNull;
                    continue;
                case IConditionalOperation conditional:
                    AddRoots(conditional.WhenTrue, isTargetItself, throughReference, roots, depth + 1);
                    op = conditional.WhenFalse;
                    continue;
                case ICoalesceOperation coalesce:
                    AddRoots(coalesce.Value, isTargetItself, throughReference, roots, depth + 1);
                    op = coalesce.WhenNull;
                    continue;
                case ISwitchExpressionOperation switchExpression:
                    foreach (var arm in switchExpression.Arms)
                    {
                        AddRoots(arm.Value, isTargetItself, throughReference, roots, depth + 1);
                    }

                    return;
                case IInvocationOperation invocation when MayReturnHeldObject(invocation):
                    // dict.GetValueOrDefault(k).Add(x) changes an object the dictionary holds.
                    throughReference = true;
                    isTargetItself = false;
                    op = Receiver(invocation);
                    continue;
                default:
                    return;
            }
        }
    }

    private static bool MayReturnHeldObject(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.ReturnsVoid || method.ReturnType.IsValueType && !method.ReturnsByRef || method.ReturnType.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        // LINQ's To... methods and the collection factories build new objects.
        return !(IsLinq(method) && method.Name.StartsWith("To", System.StringComparison.Ordinal)) && Receiver(invocation) is not null;
    }

    private static IOperation? ConditionalAccessed(IOperation instance)
    {
        for (var parent = instance.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation access)
            {
                return access.Operation;
            }
        }

        return null;
    }

    private static bool ReturnsWritableRef(IOperation returnOperation)
    {
        for (var parent = returnOperation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol.RefKind == RefKind.Ref;
                case ILocalFunctionOperation function:
                    return function.Symbol.RefKind == RefKind.Ref;
            }
        }

        return false;
    }

    internal static IOperation Unconverted(IOperation operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static bool IsMutatorName(string name)
    {
        if (name == "SetEquals")
        {
            return false;
        }

        foreach (var prefix in s_mutatorPrefixes)
        {
            if (name.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReaderName(string name)
    {
        foreach (var prefix in s_readerPrefixes)
        {
            if (name.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLinq(IMethodSymbol method) =>
        method.ContainingType is { Name: "Enumerable" or "AsyncEnumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static bool IsWritableView(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "Memory", Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static bool IsReadOnlyView(ITypeSymbol type) =>
        type is INamedTypeSymbol named && (named.SpecialType is SpecialType.System_Collections_Generic_IEnumerable_T or SpecialType.System_Collections_IEnumerable or
            SpecialType.System_Collections_Generic_IReadOnlyList_T or SpecialType.System_Collections_Generic_IReadOnlyCollection_T ||
            named.Name is "ReadOnlySpan" or "ReadOnlyMemory" or "IReadOnlyDictionary" or "IReadOnlySet" or "IAsyncEnumerable");

    private static bool IsCollection(ITypeSymbol type)
    {
        foreach (var implemented in type.AllInterfaces)
        {
            // Compared part by part: this runs for arguments of calls in every fill, and ToDisplayString allocates.
            if (implemented.Name is "ICollection" or "IList" or "IDictionary" &&
                implemented.ContainingNamespace is { Name: "Generic", ContainingNamespace: { Name: "Collections", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }
                    or { Name: "Collections", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }
}
