using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Compiling a fill has a budget too. Code that is too long or too deeply nested is rejected (HOLE0006) before Roslyn
/// binds it; binding and emitting run on threads with a large stack, so a deep tree cannot overflow the process's
/// stack; and a compile that takes longer than <see cref="MaxCompileTime"/> (lambdas that make overload resolution
/// explode) is rejected, or stopped at the hole's timeout.
/// </summary>
internal static class CompileBudget
{
    /// <summary>The longest fill, in characters (a fill is a few hundred lines at most).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The deepest syntax tree a fill may have (nesting of blocks, expressions and calls).</summary>
    public const int MaxDepth = 400;

    /// <summary>How deeply lambdas, anonymous methods and local functions may nest inside each other.</summary>
    public const int MaxFunctionNesting = 16;

    /// <summary>The stack of a compiler thread.</summary>
    public const int StackSize = 256 * 1024 * 1024;

    /// <summary>The longest a fill may take to bind and emit.</summary>
    public static readonly TimeSpan MaxCompileTime = TimeSpan.FromSeconds(30);

    /// <summary>HOLE0006 for code too long to compile at all, or null.</summary>
    public static HoleDiagnostic? CheckLength(string code) => code.Length > MaxLength
        ? TooComplex($"The code is {code.Length} characters long; fills may be at most {MaxLength}. Write shorter code, or split the task into nested holes.", 1, 1)
        : null;

    /// <summary>
    /// How shallow a fill must be to be bound on the calling thread (its stack is ample for that, and overload
    /// resolution over so few nested lambdas stays bounded); deeper ones are bound on large-stack threads, under the
    /// compile-time deadline.
    /// </summary>
    public const int ShallowDepth = 100;

    /// <summary>See <see cref="ShallowDepth"/>.</summary>
    public const int ShallowFunctionNesting = 4;

    /// <summary>HOLE0006 for a tree nested too deeply (found without recursion), or null; and how deep it is.</summary>
    public static (HoleDiagnostic? Denial, int Depth, int FunctionNesting) CheckNesting(SyntaxNode root, TextSpan userSpan, SourceText original, Func<int, int> toOriginal)
    {
        var maxDepth = 0;
        var maxFunctions = 0;
        var stack = new Stack<(SyntaxNode Node, int Depth, int Functions)>();
        stack.Push((root, 0, 0));
        while (stack.Count > 0)
        {
            var (node, depth, functions) = stack.Pop();
            if (userSpan.Contains(node.SpanStart))
            {
                maxDepth = Math.Max(maxDepth, depth);
                maxFunctions = Math.Max(maxFunctions, functions);
                if (depth > MaxDepth)
                {
                    return (At(node, userSpan, original, toOriginal,
                        $"The code nests more than {MaxDepth} levels deep here; the compiler would spend too long on it. Flatten it: use intermediate variables, loops, or smaller expressions."),
                        depth, functions);
                }

                if (functions > MaxFunctionNesting)
                {
                    return (At(node, userSpan, original, toOriginal,
                        $"More than {MaxFunctionNesting} lambdas or local functions nest inside each other here; overload resolution over nested lambdas can take " +
                        "exponential time. Name the inner functions as local functions at the top level, or compute intermediate results."),
                        depth, functions);
                }
            }

            var isFunction = node.IsKind(SyntaxKind.SimpleLambdaExpression) || node.IsKind(SyntaxKind.ParenthesizedLambdaExpression) ||
                             node.IsKind(SyntaxKind.AnonymousMethodExpression) || node.IsKind(SyntaxKind.LocalFunctionStatement);
            foreach (var child in node.ChildNodes())
            {
                if (child.FullSpan.IntersectsWith(userSpan))
                {
                    stack.Push((child, depth + 1, functions + (isFunction ? 1 : 0)));
                }
            }
        }

        return (null, maxDepth, maxFunctions);
    }

    /// <summary>HOLE0006 for a fill whose syntax tree was too deep for the planner's stack guard.</summary>
    public static HoleDiagnostic TooDeepToParse() => TooComplex(
        "The code nests too deeply to be read on this thread's stack. Flatten it: use intermediate variables, loops, or smaller expressions.", 1, 1);

    /// <summary>HOLE0006 for a fill whose compile ran past <see cref="MaxCompileTime"/>.</summary>
    public static HoleDiagnostic TookTooLong() => TooComplex(
        $"The code took longer than {MaxCompileTime.TotalSeconds:0} s to compile (nested lambdas passed to overloaded methods make overload resolution explode). " +
        "Give lambda parameters explicit types, name inner functions as local functions, or split the work into simpler statements.", 1, 1);

    /// <summary>Runs <paramref name="work"/> on a new thread with a <see cref="StackSize"/> stack.</summary>
    public static Task<T> OnLargeStack<T>(Func<T> work, string name)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        }, StackSize) { IsBackground = true, Name = name };
        thread.UnsafeStart();
        return completion.Task;
    }

    private static HoleDiagnostic At(SyntaxNode node, TextSpan userSpan, SourceText original, Func<int, int> toOriginal, string message)
    {
        var position = original.Lines.GetLinePosition(Math.Clamp(toOriginal(node.SpanStart - userSpan.Start), 0, original.Length));
        return TooComplex(message, position.Line + 1, position.Character + 1);
    }

    private static HoleDiagnostic TooComplex(string message, int line, int column) =>
        new(HoleDiagnosticIds.TooComplex, HoleDiagnosticSeverity.Error, message, line, column);
}
