using Holes.Rules;
using Microsoft.CodeAnalysis;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Holes.Effects;

/// <summary>
/// Reads one method body's IL into a node: every member it calls, constructs, reads or writes (<c>call</c>,
/// <c>callvirt</c>, <c>newobj</c>, <c>ldftn</c>, <c>ldsfld</c>, <c>stsfld</c>, <c>ldsflda</c>...), and every write to
/// static state in each shape the compiler lowers it to.
/// </summary>
/// <remarks>
/// <para>Where a write lands is found by following the evaluation stack: each value on it remembers whether it was
/// reached through static state (<c>ldsfld</c>, <c>ldsflda</c>, a static property's getter, then fields, elements and
/// getters of what those return) or through <c>this</c>. A store into such a value (<c>stfld</c>, <c>stelem</c>,
/// <c>stind</c>, <c>initobj</c>, a setter), a static address passed to a <c>ref</c> parameter, kept in a <c>ref</c>
/// local or returned by reference, and a mutator called on it, are writes, as the source analysis found them on
/// assignments, <c>ref</c> arguments, <c>ref</c> locals and returns, and invocations. Values are not followed through
/// locals, as the source analysis did not follow them through variables.</para>
/// <para>The stack is simulated in instruction order; a branch target takes the stack the branch left, and the
/// instruction after an unconditional transfer starts from it (the compiler leaves the stack empty there except in
/// conditional expressions, where both arms push one value).</para>
/// </remarks>
internal sealed class BodyScanner
{
    private static readonly Slot s_other = new(null, false, false);

    private readonly ReferenceJudge _judge;
    private readonly ProgramSymbols _symbols;

    public BodyScanner(ReferenceJudge judge)
    {
        _judge = judge;
        _symbols = judge.Symbols;
    }

    /// <summary>Scans <paramref name="method"/> into <paramref name="node"/>.</summary>
    /// <param name="method">The member's own method, or one of the generated methods it owns.</param>
    /// <param name="node">The member's node.</param>
    /// <param name="initializing">The static constructor of this type: its stores to the type's own static fields initialise them, as field initializers do.</param>
    public void Scan(MethodDefinition method, NodeBuilder node, TypeDefinition? initializing)
    {
        if (!method.HasBody)
        {
            return;
        }

        var body = method.Body;
        var userThis = method.HasThis && !CompilerGenerated.IsGeneratedType(method.DeclaringType);
        var inStateMachine = CompilerGenerated.IsGeneratedType(method.DeclaringType);
        // By IL offset: an instruction's own hash code would be made for every instruction of the program.
        var saved = new Dictionary<int, Slot[]>();
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.HandlerType is ExceptionHandlerType.Catch or ExceptionHandlerType.Filter && handler.HandlerStart is { } start)
            {
                saved[start.Offset] = [s_other];
            }

            if (handler.FilterStart is { } filter)
            {
                saved[filter.Offset] = [s_other];
            }
        }

        var stack = new List<Slot>();
        var reachable = true;
        foreach (var instruction in body.Instructions)
        {
            if (saved.Count > 0 && saved.TryGetValue(instruction.Offset, out var incoming) && (!reachable || stack.Count == 0))
            {
                stack.Clear();
                stack.AddRange(incoming);
            }
            else if (!reachable)
            {
                stack.Clear();
            }

            reachable = true;
            Step(instruction, method, node, stack, userThis, inStateMachine, initializing);

            switch (instruction.Operand)
            {
                case Instruction target:
                    saved.TryAdd(target.Offset, stack.ToArray());
                    break;
                case Instruction[] targets:
                    foreach (var target in targets)
                    {
                        saved.TryAdd(target.Offset, stack.ToArray());
                    }

                    break;
            }

            if (instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Return or FlowControl.Throw)
            {
                reachable = false;
            }
        }
    }

    private void Step(Instruction instruction, MethodDefinition method, NodeBuilder node, List<Slot> stack, bool userThis, bool inStateMachine, TypeDefinition? initializing)
    {
        var code = instruction.OpCode.Code;
        switch (code)
        {
            case Code.Ldarg_0 when userThis:
                stack.Add(new Slot(null, true, false) { IsThisItself = true });
                return;
            case Code.Dup:
                stack.Add(Peek(stack));
                return;
            case Code.Ldsfld or Code.Ldsflda:
            {
                var field = (FieldReference)instruction.Operand;
                stack.Add(StaticField(field, node, code == Code.Ldsflda));
                return;
            }

            case Code.Stsfld:
            {
                Pop(stack);
                var field = (FieldReference)instruction.Operand;
                if (Field(field) is { } symbol && !IsInitialization(field, initializing))
                {
                    node.Effect("writes static " + Describe(symbol));
                    Use(node, symbol, null);
                }

                return;
            }

            case Code.Ldfld or Code.Ldflda:
            {
                var receiver = Pop(stack);
                var field = (FieldReference)instruction.Operand;
                if (field.Name == "<>4__this")
                {
                    // A lambda's or state machine's copy of the member's 'this'.
                    stack.Add(new Slot(null, true, false) { IsThisItself = true });
                    return;
                }

                if (Field(field) is { } symbol)
                {
                    Use(node, symbol, null);
                }

                stack.Add(receiver with { IsAddress = code == Code.Ldflda, IsThisItself = false });
                return;
            }

            case Code.Stfld:
            {
                Pop(stack);
                var receiver = Pop(stack);
                var field = (FieldReference)instruction.Operand;
                if (Field(field) is { } symbol)
                {
                    Use(node, symbol, null);
                }

                if (!(field.DeclaringType?.GetElementType() is TypeDefinition declaring && CompilerGenerated.IsGeneratedType(declaring)))
                {
                    Write(node, receiver, "writes static ");
                }

                return;
            }

            case Code.Stelem_Any or Code.Stelem_I or Code.Stelem_I1 or Code.Stelem_I2 or Code.Stelem_I4 or Code.Stelem_I8 or Code.Stelem_R4 or Code.Stelem_R8 or Code.Stelem_Ref:
            {
                Pop(stack);
                Pop(stack);
                Write(node, Pop(stack), "writes static ");
                return;
            }

            case Code.Stind_I or Code.Stind_I1 or Code.Stind_I2 or Code.Stind_I4 or Code.Stind_I8 or Code.Stind_R4 or Code.Stind_R8 or Code.Stind_Ref or Code.Stobj:
            {
                Pop(stack);
                Write(node, Pop(stack), "writes static ");
                return;
            }

            case Code.Initobj:
                Write(node, Pop(stack), "writes static ");
                return;
            case Code.Ldelema or Code.Ldelem_Any or Code.Ldelem_I or Code.Ldelem_I1 or Code.Ldelem_I2 or Code.Ldelem_I4 or Code.Ldelem_I8 or Code.Ldelem_R4 or
                Code.Ldelem_R8 or Code.Ldelem_Ref or Code.Ldelem_U1 or Code.Ldelem_U2 or Code.Ldelem_U4:
            {
                Pop(stack);
                var array = Pop(stack);
                stack.Add(array with { IsAddress = code == Code.Ldelema, IsThisItself = false });
                return;
            }

            case Code.Castclass or Code.Isinst or Code.Unbox or Code.Unbox_Any or Code.Box or Code.Ldobj or Code.Ldind_I or Code.Ldind_I1 or Code.Ldind_I2 or
                Code.Ldind_I4 or Code.Ldind_I8 or Code.Ldind_R4 or Code.Ldind_R8 or Code.Ldind_Ref or Code.Ldind_U1 or Code.Ldind_U2 or Code.Ldind_U4:
                // Conversions and loads through an address: the value is still reached the way its source was.
                stack.Add(Pop(stack) with { IsAddress = false });
                return;
            case Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3:
            {
                var value = Pop(stack);
                if (value is { IsAddress: true, Root: { } root } && Local(instruction, method) is { VariableType: ByReferenceType })
                {
                    node.Effect("takes a reference to static " + root);
                }

                return;
            }

            case Code.Ret:
                if (method.ReturnType is ByReferenceType && stack.Count > 0 && Pop(stack) is { Root: { } returned } && !inStateMachine)
                {
                    node.Effect("returns a reference to static " + returned);
                }

                stack.Clear();
                return;
            case Code.Call or Code.Callvirt or Code.Newobj:
                Call(instruction, node, stack, inStateMachine);
                return;
            case Code.Ldftn or Code.Ldvirtftn:
            {
                if (code == Code.Ldvirtftn)
                {
                    Pop(stack);
                }

                var target = (MethodReference)instruction.Operand;
                if (!IsGenerated(target) && _symbols.Resolve(target) is { } symbol)
                {
                    _judge.Reference(node, symbol, null, Access.Call);
                }

                stack.Add(s_other);
                return;
            }

            case Code.Calli:
            {
                node.Effect("unsafe code (function pointer call)");
                var site = (CallSite)instruction.Operand;
                PopMany(stack, site.Parameters.Count + (site.HasThis ? 1 : 0) + 1);
                if (site.ReturnType.MetadataType != MetadataType.Void)
                {
                    stack.Add(s_other);
                }

                return;
            }
        }

        Generic(instruction, method, stack);
    }

    private Slot StaticField(FieldReference field, NodeBuilder node, bool address)
    {
        if (Field(field) is not { } symbol)
        {
            return s_other;
        }

        Use(node, symbol, null);
        return symbol is IFieldSymbol { IsConst: true } ? s_other : new Slot(Describe(symbol), false, address);
    }

    /// <summary>The field's symbol; an event's backing field stands for the event. <see langword="null"/> for the compiler's own fields (lambda caches, hoisted locals, backing fields).</summary>
    private ISymbol? Field(FieldReference field)
    {
        var declaring = field.DeclaringType?.GetElementType();
        if (declaring is TypeDefinition own && own.Module == _symbols.Module)
        {
            if (CompilerGenerated.IsGeneratedType(own) || CompilerGenerated.IsGeneratedName(field.Name))
            {
                return null;
            }

            if (own.HasEvents && own.Events.FirstOrDefault(e => e.Name == field.Name) is { } @event)
            {
                return _symbols.Definition(@event);
            }
        }

        return _symbols.Resolve(field);
    }

    private void Use(NodeBuilder node, ISymbol symbol, ITypeSymbol? receiver) => _judge.Reference(node, symbol, receiver, Access.Call);

    private string Describe(ISymbol symbol) => _judge.Describe(symbol);

    private static void Write(NodeBuilder node, Slot target, string verb)
    {
        if (target.Root is { } root)
        {
            node.Effect(verb + root);
        }
        else if (target.IsThis)
        {
            node.WritesThis = true;
        }
    }

    private static bool IsInitialization(FieldReference field, TypeDefinition? initializing) =>
        initializing is not null && field.DeclaringType?.GetElementType() is TypeDefinition declaring && declaring == initializing;

    private bool IsGenerated(MethodReference method) =>
        method.DeclaringType?.GetElementType() is TypeDefinition declaring && declaring.Module == _symbols.Module &&
        (CompilerGenerated.IsGeneratedType(declaring) || CompilerGenerated.IsInterceptor(declaring) ||
         (CompilerGenerated.IsGeneratedName(method.Name) && method.Name != "<Main>$"));

    private void Call(Instruction instruction, NodeBuilder node, List<Slot> stack, bool inStateMachine)
    {
        var target = (MethodReference)instruction.Operand;
        var isNew = instruction.OpCode.Code == Code.Newobj;
        var arguments = new Slot[target.Parameters.Count];
        for (var i = arguments.Length - 1; i >= 0; i--)
        {
            arguments[i] = Pop(stack);
        }

        var receiver = target.HasThis && !isNew ? Pop(stack) : s_other;
        var pushes = isNew || target.ReturnType.MetadataType != MetadataType.Void;
        if (IsGenerated(target) || Plumbing.IsLowering(target, inStateMachine) || _symbols.Resolve(target) is not IMethodSymbol method)
        {
            if (pushes)
            {
                stack.Add(s_other);
            }

            return;
        }

        // In the order the source analysis found effects: an assignment's write before the member it assigns; an
        // invocation's member, then what it passes by reference, then what it changes.
        var associated = method.OriginalDefinition.AssociatedSymbol;
        var isWriteAccessor = method.MethodKind is MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove;
        var verb = method.MethodKind == MethodKind.PropertySet ? "writes static " : "subscribes to static ";
        if (isWriteAccessor && associated is not null)
        {
            if (method.IsStatic)
            {
                node.Effect(verb + Describe(associated));
            }
            else
            {
                Write(node, receiver, verb);
            }
        }

        _judge.Reference(node, method, isNew ? null : method.ContainingType, isNew ? Access.Construct : Access.Call);
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] is { IsAddress: true, Root: { } root } && target.Parameters[i].ParameterType is ByReferenceType && !IsReadOnlyReference(target.Parameters[i]))
            {
                node.Effect("passes by reference static " + root);
            }
        }

        if (ReferenceJudge.IsArrayMutator(method))
        {
            foreach (var argument in arguments)
            {
                if (argument.Root is { } root)
                {
                    node.Effect($"mutates static {root} ({EffectNames.Qualified(method.OriginalDefinition)})");
                }
            }
        }

        if (!isWriteAccessor && method.MethodKind != MethodKind.PropertyGet && !isNew)
        {
            Receiver(node, method, method.IsExtensionMethod && arguments.Length > 0 ? arguments[0] : receiver);
        }

        if (!pushes)
        {
            return;
        }

        if (method.MethodKind == MethodKind.PropertyGet && associated is not null)
        {
            // A getter's result is reached the way its object was, or through the static property itself.
            stack.Add(method.IsStatic ? new Slot(Describe(associated), false, false) : receiver with { IsAddress = false, IsThisItself = false });
        }
        else
        {
            stack.Add(s_other);
        }
    }

    /// <summary>The object a method acts on: reached through static state it is a static write if the method changes it; through <c>this</c>, a change of the instance.</summary>
    private void Receiver(NodeBuilder node, IMethodSymbol method, Slot receiver)
    {
        if (method.IsStatic && !method.IsExtensionMethod)
        {
            return;
        }

        var isProgram = _symbols.IsProgram(method.OriginalDefinition) && !method.IsExtensionMethod;
        if (receiver.Root is { } root)
        {
            if (isProgram && _symbols.Id(ReferenceJudge.Definition(method)) is { } calleeId)
            {
                node.StaticCall(new StaticReceiverCall(calleeId, root));
            }
            else if (!isProgram && ReferenceJudge.IsMutator(method, method.IsExtensionMethod ? method.Parameters.FirstOrDefault()?.Type : method.ContainingType))
            {
                node.Effect($"mutates static {root} ({EffectNames.Qualified(method.OriginalDefinition)})");
            }
        }
        else if (receiver.IsThis)
        {
            if (isProgram && _symbols.Id(ReferenceJudge.Definition(method)) is { } calleeId)
            {
                node.ThisCall(calleeId);
            }
            else if (!isProgram && !receiver.IsThisItself && ReferenceJudge.IsMutator(method, method.ContainingType))
            {
                node.WritesThis = true;
            }
        }
    }

    private static bool IsReadOnlyReference(ParameterDefinition parameter) =>
        parameter.ParameterType is RequiredModifierType { ModifierType.FullName: "System.Runtime.InteropServices.InAttribute" } ||
        (parameter.ParameterType is ByReferenceType && parameter.HasCustomAttributes &&
         parameter.CustomAttributes.Any(a => a.AttributeType.Name is "IsReadOnlyAttribute" or "RequiresLocationAttribute"));

    private static VariableDefinition? Local(Instruction instruction, MethodDefinition method)
    {
        var variables = method.Body.Variables;
        var index = instruction.OpCode.Code switch
        {
            Code.Stloc_0 => 0,
            Code.Stloc_1 => 1,
            Code.Stloc_2 => 2,
            Code.Stloc_3 => 3,
            _ => instruction.Operand is VariableDefinition variable ? variable.Index : -1,
        };
        return index >= 0 && index < variables.Count ? variables[index] : null;
    }

    /// <summary>Any other instruction: pops and pushes values reached through nothing in particular.</summary>
    private static void Generic(Instruction instruction, MethodDefinition method, List<Slot> stack)
    {
        var opCode = instruction.OpCode;
        switch (opCode.StackBehaviourPop)
        {
            case StackBehaviour.PopAll:
                stack.Clear();
                break;
            case StackBehaviour.Varpop:
                PopMany(stack, opCode.Code == Code.Ret && method.ReturnType.MetadataType != MetadataType.Void ? 1 : 0);
                break;
            default:
                PopMany(stack, Pops(opCode.StackBehaviourPop));
                break;
        }

        var pushes = opCode.StackBehaviourPush switch
        {
            StackBehaviour.Push0 => 0,
            StackBehaviour.Push1_push1 => 2,
            StackBehaviour.Varpush => 0,
            _ => 1,
        };
        for (var i = 0; i < pushes; i++)
        {
            stack.Add(s_other);
        }
    }

    private static int Pops(StackBehaviour behaviour) => behaviour switch
    {
        StackBehaviour.Pop0 => 0,
        StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
        StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8 or StackBehaviour.Popi_popr4 or
            StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
        _ => 3,
    };

    private static Slot Pop(List<Slot> stack)
    {
        if (stack.Count == 0)
        {
            return s_other;
        }

        var slot = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return slot;
    }

    private static Slot Peek(List<Slot> stack) => stack.Count == 0 ? s_other : stack[^1];

    private static void PopMany(List<Slot> stack, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Pop(stack);
        }
    }

    /// <summary>A value on the evaluation stack: the static location it was reached through, or <c>this</c>, and whether it is an address.</summary>
    private sealed record Slot(string? Root, bool IsThis, bool IsAddress)
    {
        /// <summary><c>this</c> itself, not something reached through it (a mutator called on <c>this</c> is the member's own business).</summary>
        public bool IsThisItself { get; init; }
    }
}
