using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Weaves the budget checks into a fill's emitted IL, so they reach every shape of loop and recursion whatever the
/// syntax (expression-bodied and <c>static</c> lambdas and local functions, query clauses, <c>goto</c>, iterators,
/// async state machines): a call to <see cref="Runtime.FillBudget.Enter"/> at the entry of every method (leaves
/// included), and before every backward branch (every cycle of the control flow has one) a poll of
/// <see cref="Runtime.FillBudget.Stops"/> that calls <see cref="Runtime.FillBudget.Tick"/> when some budget has stopped
/// (in methods with no entry check, a countdown that calls it every <see cref="TickEvery"/> iterations). It
/// also guards what the budget could not otherwise stop: every <c>localloc</c> (<c>stackalloc</c>) is checked for its
/// size, <c>Task&lt;T&gt;.Result</c> never blocks, and a regular expression's match timeout is bounded.
/// </summary>
/// <remarks>
/// Instructions are inserted, so IL offsets move; <see cref="WovenFill.OffsetMaps"/> maps them back, so a fault's line
/// can still be found from the unwoven compilation's debug information.
/// </remarks>
internal static class FillWeaver
{
    /// <summary>How many backward branches (loop iterations) pass between two calls to <see cref="Runtime.FillBudget.Tick"/>.</summary>
    internal const int TickEvery = 64;

    /// <summary>Weaves the checks into <paramref name="image"/> (with <paramref name="checks"/> false, only rewrites it, for the benchmark's baseline).</summary>
    public static WovenFill Weave(byte[] image, bool checks = true)
    {
        using var input = new MemoryStream(image, writable: false);
        using var module = ModuleDefinition.ReadModule(input, new ReaderParameters(ReadingMode.Deferred) { ReadSymbols = false, InMemory = true });
        var holes = module.AssemblyReferences.FirstOrDefault(a => a.Name == "Holes");
        if (holes is null)
        {
            // Nothing of the engine is referenced (cannot happen for a fill, whose entry takes a FillFrame).
            return new WovenFill(image, new Dictionary<int, OffsetMap>());
        }

        var calls = new Calls(module, holes);

        var maps = new Dictionary<int, OffsetMap>();
        foreach (var type in checks ? module.GetTypes() : [])
        {
            if (type.Name.StartsWith("<>f__AnonymousType", StringComparison.Ordinal) || type.Name.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal))
            {
                // Compiler-made data types and helpers: no loops of the fill's, and the program may call their
                // ToString, Equals and GetHashCode long after the fill ended.
                continue;
            }

            // The state machines of async methods and iterators: the framework's await machinery calls some of their
            // methods (IValueTaskSource.OnCompleted, SetStateMachine), where an exception would escape to the thread
            // pool and end the process. Their MoveNext gets the entry check (inside its own try block for async
            // methods, so the exception faults the task instead); every method keeps its loop checks.
            var isAsyncMachine = type.Interfaces.Any(i => i.InterfaceType.FullName == "System.Runtime.CompilerServices.IAsyncStateMachine");
            var isStateMachine = isAsyncMachine || type.Name.StartsWith('<') && type.Interfaces.Any(i => i.InterfaceType.FullName == "System.Collections.IEnumerator");
            foreach (var method in type.Methods)
            {
                var entry = !method.IsConstructor && (!isStateMachine || method.Name == "MoveNext")
                    ? isAsyncMachine ? Entry.InsideOuterTry : Entry.First
                    : Entry.None;
                if (method.HasBody && Weave(method, calls, entry) is { } map)
                {
                    maps[method.MetadataToken.ToInt32()] = map;
                }
            }
        }

        using var output = new MemoryStream(image.Length + 4096);
        module.Write(output);
        return new WovenFill(output.ToArray(), maps);
    }

    /// <summary>Where a method's entry check goes.</summary>
    private enum Entry
    {
        None,
        First,
        InsideOuterTry,
    }

    private static OffsetMap? Weave(MethodDefinition method, Calls calls, Entry entry)
    {
        var body = method.Body;
        var instructions = body.Instructions;
        if (instructions.Count == 0)
        {
            return null;
        }

        var originalOffsets = new Dictionary<Instruction, int>(ReferenceEqualityComparer.Instance);
        foreach (var instruction in instructions)
        {
            originalOffsets[instruction] = instruction.Offset;
        }

        body.SimplifyMacros();
        var index = new Dictionary<Instruction, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < instructions.Count; i++)
        {
            index[instructions[i]] = i;
        }

        var outer = entry == Entry.InsideOuterTry
            ? body.ExceptionHandlers.Where(h => h.HandlerType == ExceptionHandlerType.Catch).OrderBy(h => index[h.TryStart]).ThenByDescending(h => index[h.TryEnd]).FirstOrDefault()
            : null;

        // A method whose entry checks its budget polls FillBudget.Stops in its loops: the count read once on entry,
        // before the entry check, and compared on every backward branch (two loads and a compare, nothing stored),
        // calling Tick only when some budget stopped since. A budget stopped before the method read the count is seen
        // by the entry check that follows; one stopped after moves the count. A method with no entry check (a
        // constructor, the helpers of a state machine) cannot rely on that, and counts down a local instead, calling
        // Tick once every TickEvery backward branches.
        var polls = entry == Entry.First || outer is not null;
        VariableDefinition? countdown = null;
        VariableDefinition? seen = null;
        var inserts = new List<(Instruction Before, Instruction Added)>();
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            var backward = instruction.Operand switch
            {
                Instruction target => index[target] <= i,
                Instruction[] targets => targets.Any(t => index[t] <= i),
                _ => false,
            };
            if (backward && polls)
            {
                if (seen is null)
                {
                    seen = new VariableDefinition(method.Module.TypeSystem.Int32);
                    body.Variables.Add(seen);
                }

                // if (FillBudget.Stops != seen) { FillBudget.Tick(); seen = FillBudget.Stops; } then the branch.
                // Volatile reads: the loop must not keep a copy of the count, and the entry's read must come before
                // the entry check's read of the budget.
                inserts.Add((instruction, Instruction.Create(OpCodes.Volatile)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Ldsfld, calls.Stops)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Ldloc, seen)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Beq, instruction)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Call, calls.Tick)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Volatile)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Ldsfld, calls.Stops)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Stloc, seen)));
            }
            else if (backward)
            {
                if (countdown is null)
                {
                    countdown = new VariableDefinition(method.Module.TypeSystem.Int32);
                    body.Variables.Add(countdown);
                }

                // countdown = countdown - 1; if (countdown == 0) { FillBudget.Tick(); countdown = TickEvery; } then the branch.
                inserts.Add((instruction, Instruction.Create(OpCodes.Ldloc, countdown)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Ldc_I4_1)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Sub)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Dup)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Stloc, countdown)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Brtrue, instruction)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Call, calls.Tick)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Ldc_I4, TickEvery)));
                inserts.Add((instruction, Instruction.Create(OpCodes.Stloc, countdown)));
            }

            if (instruction.OpCode.Code == Code.Localloc)
            {
                inserts.Add((instruction, Instruction.Create(OpCodes.Call, calls.Stackalloc)));
            }
            else if (instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && instruction.Operand is MethodReference callee)
            {
                Rewrite(instruction, callee, i > 0 ? instructions[i - 1] : null, calls, inserts);
            }
        }

        if (outer is not null)
        {
            // Redirected like the other checks: it becomes the first instruction of the try block.
            inserts.Insert(0, (outer.TryStart, Instruction.Create(OpCodes.Call, calls.Enter)));
        }

        var il = body.GetILProcessor();
        var redirect = new Dictionary<Instruction, Instruction>(ReferenceEqualityComparer.Instance);
        foreach (var (before, added) in inserts)
        {
            il.InsertBefore(before, added);

            // Whatever jumped to the instruction (or began or ended a protected region there) now reaches the check first.
            if (!redirect.ContainsKey(before))
            {
                redirect[before] = added;
            }
        }

        if (redirect.Count > 0)
        {
            var added = new HashSet<Instruction>(inserts.Select(x => x.Added), ReferenceEqualityComparer.Instance);
            foreach (var instruction in instructions)
            {
                if (added.Contains(instruction))
                {
                    continue;
                }

                switch (instruction.Operand)
                {
                    case Instruction target when redirect.TryGetValue(target, out var check):
                        instruction.Operand = check;
                        break;
                    case Instruction[] targets:
                        for (var t = 0; t < targets.Length; t++)
                        {
                            if (redirect.TryGetValue(targets[t], out var switchCheck))
                            {
                                targets[t] = switchCheck;
                            }
                        }

                        break;
                }
            }

            foreach (var handler in body.ExceptionHandlers)
            {
                handler.TryStart = Redirect(handler.TryStart, redirect);
                handler.TryEnd = Redirect(handler.TryEnd, redirect);
                handler.HandlerStart = Redirect(handler.HandlerStart, redirect);
                handler.HandlerEnd = Redirect(handler.HandlerEnd, redirect);
                handler.FilterStart = Redirect(handler.FilterStart, redirect);
            }
        }

        if (countdown is not null)
        {
            // Not redirected: a loop back to the first instruction does not start the count again.
            var first = instructions[0];
            il.InsertBefore(first, Instruction.Create(OpCodes.Ldc_I4, TickEvery));
            il.InsertBefore(first, Instruction.Create(OpCodes.Stloc, countdown));
        }

        if (entry == Entry.First)
        {
            // Every method, leaves included: a lambda that calls nothing (x => x < 0) is still the only fill code a
            // framework loop (Where over a huge range, a composite Select a million deep) runs, so its entry is where
            // that loop meets the budget and the stack check.
            // Not redirected: a loop back to the method's first instruction does not enter the method again.
            il.InsertBefore(instructions[0], Instruction.Create(OpCodes.Call, calls.Enter));
        }

        if (seen is not null)
        {
            // Before the entry check (inserted at the very start, after it): see the remarks on the poll above.
            il.InsertBefore(instructions[0], Instruction.Create(OpCodes.Stloc, seen));
            il.InsertBefore(instructions[0], Instruction.Create(OpCodes.Ldsfld, calls.Stops));
            il.InsertBefore(instructions[0], Instruction.Create(OpCodes.Volatile));
        }

        body.OptimizeMacros();
        var pairs = new List<(int Woven, int Original)>(originalOffsets.Count);
        foreach (var instruction in instructions)
        {
            if (originalOffsets.TryGetValue(instruction, out var original))
            {
                pairs.Add((instruction.Offset, original));
            }
        }

        return new OffsetMap([.. pairs.Select(p => p.Woven)], [.. pairs.Select(p => p.Original)]);
    }

    /// <summary>Calls the budget must guard: <c>Task&lt;T&gt;.Result</c>, <c>ValueTask&lt;T&gt;.Result</c>, and regular expressions given a match timeout.</summary>
    private static void Rewrite(Instruction instruction, MethodReference callee, Instruction? previous, Calls calls, List<(Instruction Before, Instruction Added)> inserts)
    {
        if (previous?.OpCode.Code == Code.Constrained)
        {
            return;
        }

        var declaring = callee.DeclaringType;
        if (callee.Name == "get_Result" && declaring is GenericInstanceType { GenericArguments.Count: 1 } generic && declaring.Namespace == "System.Threading.Tasks")
        {
            switch (generic.ElementType.Name)
            {
                case "Task`1":
                    instruction.OpCode = OpCodes.Call;
                    instruction.Operand = calls.TaskResult(generic);
                    break;
                case "ValueTask`1":
                    instruction.OpCode = OpCodes.Call;
                    instruction.Operand = calls.ValueTaskResult(generic);
                    break;
            }

            return;
        }

        if (declaring.Namespace == "System.Text.RegularExpressions" && declaring.Name == "Regex" && callee.HasParameters &&
            callee.Parameters[^1].ParameterType is { Namespace: "System", Name: "TimeSpan" } timeSpan)
        {
            // The match timeout is the last parameter of every Regex member that takes one: it is on top of the stack.
            inserts.Add((instruction, Instruction.Create(OpCodes.Call, calls.RegexTimeout(timeSpan))));
        }
    }

    private static Instruction Redirect(Instruction? boundary, Dictionary<Instruction, Instruction> redirect) =>
        boundary is not null && redirect.TryGetValue(boundary, out var check) ? check : boundary!;

    /// <summary>References to the budget's methods, made in the fill's module.</summary>
    private sealed class Calls
    {
        private readonly ModuleDefinition _module;
        private readonly TypeReference _budget;

        public Calls(ModuleDefinition module, AssemblyNameReference holes)
        {
            _module = module;
            _budget = new TypeReference("Holes.Runtime", nameof(Runtime.FillBudget), module, holes);
            Enter = Static(nameof(Runtime.FillBudget.Enter), module.TypeSystem.Void);
            Tick = Static(nameof(Runtime.FillBudget.Tick), module.TypeSystem.Void);
            Stackalloc = Static(nameof(Runtime.FillBudget.Stackalloc), module.TypeSystem.UIntPtr, module.TypeSystem.UIntPtr);
            Stops = module.ImportReference(new FieldReference(nameof(Runtime.FillBudget.Stops), module.TypeSystem.Int32, _budget));
        }

        public FieldReference Stops { get; }

        public MethodReference Enter { get; }

        public MethodReference Tick { get; }

        public MethodReference Stackalloc { get; }

        public MethodReference RegexTimeout(TypeReference timeSpan) => Static(nameof(Runtime.FillBudget.RegexTimeout), timeSpan, timeSpan);

        public MethodReference TaskResult(GenericInstanceType task) => Generic(nameof(Runtime.FillBudget.TaskResult), task, byReference: false);

        public MethodReference ValueTaskResult(GenericInstanceType task) => Generic(nameof(Runtime.FillBudget.ValueTaskResult), task, byReference: true);

        private MethodReference Static(string name, TypeReference returns, params TypeReference[] parameters)
        {
            var method = new MethodReference(name, returns, _budget) { HasThis = false };
            foreach (var parameter in parameters)
            {
                method.Parameters.Add(new ParameterDefinition(parameter));
            }

            return _module.ImportReference(method);
        }

        /// <summary><c>FillBudget.Name&lt;T&gt;(Task&lt;T&gt;)</c> (or by reference), instantiated at the task's T.</summary>
        private MethodReference Generic(string name, GenericInstanceType task, bool byReference)
        {
            var method = new MethodReference(name, _module.TypeSystem.Void, _budget) { HasThis = false };
            var parameter = new GenericParameter("T", method);
            method.GenericParameters.Add(parameter);
            method.ReturnType = parameter;
            var open = new GenericInstanceType(task.ElementType);
            open.GenericArguments.Add(parameter);
            method.Parameters.Add(new ParameterDefinition(byReference ? new ByReferenceType(open) : open));
            var instance = new GenericInstanceMethod(method);
            instance.GenericArguments.Add(task.GenericArguments[0]);
            return instance;
        }
    }
}

/// <summary>A woven fill image, and for each woven method (by metadata token) how its IL offsets map to the unwoven ones.</summary>
internal sealed record WovenFill(byte[] Image, IReadOnlyDictionary<int, OffsetMap> OffsetMaps);

/// <summary>IL offsets of a woven method's original instructions, ascending, and their offsets before weaving.</summary>
internal sealed record OffsetMap(int[] Woven, int[] Original)
{
    /// <summary>The unwoven offset of the original instruction at or before woven offset <paramref name="offset"/>.</summary>
    public int ToOriginal(int offset)
    {
        var index = Array.BinarySearch(Woven, offset);
        if (index < 0)
        {
            index = Math.Max(0, ~index - 1);
        }

        return Original[index];
    }
}
