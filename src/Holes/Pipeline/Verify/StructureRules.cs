using System.Text.RegularExpressions;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Pipeline.Verify;

/// <summary>
/// Rules about the shape of a fill's code rather than the symbols it names (issue 6): nothing a fill starts may
/// outlive it (no <c>async void</c>, no task started and dropped), no stack trace formatted into text, and a regular
/// expression's timeout is bounded (<see cref="RegexOptions.NonBacktracking"/> needs none).
/// </summary>
internal static class StructureRules
{
    private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.CSharpErrorMessageFormat;

    // Methods that format what they are handed as text: an exception passed to them is formatted with its stack trace.
    private static readonly HashSet<string> s_formatting = ["Append", "AppendLine", "AppendFormat", "Format", "Concat", "Join", "Write", "WriteLine"];

    /// <summary>The denial of <paramref name="operation"/>'s shape, if any.</summary>
    public static Denial? Check(IOperation operation)
    {
        switch (operation)
        {
            case IAnonymousFunctionOperation { Symbol: { IsAsync: true, ReturnsVoid: true } }:
                return DetachedWork("This async lambda is converted to a delegate that returns void (async void, such as an Action)",
                    "its work cannot be awaited, and an exception it throws would end the process", "Give it a Task-returning delegate type (Func<Task>) and await it.");
            case ILocalFunctionOperation { Symbol: { IsAsync: true, ReturnsVoid: true } function }:
                return DetachedWork($"The local function '{function.Name}' is async void", "its work cannot be awaited, and an exception it throws would end the process",
                    $"Declare it 'async Task {function.Name}(...)' and await it.");
            case ISimpleAssignmentOperation { Target: IDiscardOperation, Value: var discarded } when Unconverted(discarded) is IInvocationOperation started && IsTaskLike(started.Type):
                return DetachedWork($"'_ = {discarded.Syntax}' starts work and drops its task", "the work would go on after the fill returned",
                    "Await it (await task), or keep the task and await it (or Task.WhenAll over several) before returning.");
            case IExpressionStatementOperation { Operation: var statement } when statement is not (IAwaitOperation or IAssignmentOperation) && IsTaskLike(statement.Type):
                return DetachedWork($"'{statement.Syntax}' starts work and ignores its task", "the work would go on after the fill returned",
                    "Await it (await ...), or keep the task and await it before returning.");
            case IInterpolationOperation { Expression: var formatted } when IsException(Unconverted(formatted).Type):
                return StackTrace(formatted);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                var exception = IsException(Unconverted(concatenation.LeftOperand).Type) ? concatenation.LeftOperand
                    : IsException(Unconverted(concatenation.RightOperand).Type) ? concatenation.RightOperand : null;
                return exception is null ? null : StackTrace(exception);
            case IArgumentOperation { Parameter: { } parameter, Value: var value } argument
                when argument.Parent is IInvocationOperation { TargetMethod.Name: var method } && s_formatting.Contains(method) &&
                     (parameter.Type.SpecialType == SpecialType.System_Object || parameter.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Object }) &&
                     (IsException(Unconverted(value).Type) || value is IArrayCreationOperation { Initializer: { } initializer } && initializer.ElementValues.Any(e => IsException(Unconverted(e).Type))):
                return StackTrace(value);
            case IArgumentOperation { Parameter: { } parameter, Value: var timeout } argument
                when parameter.Type is { Name: "TimeSpan", ContainingNamespace.Name: "System" } && IsRegexMember(argument.Parent) && TooLong(timeout) is { } what:
                return new Denial(HoleDiagnosticIds.RegexWithoutTimeout,
                    $"The match timeout {what} is longer than fills may give a regular expression ({Runtime.FillBudget.RegexTimeoutLimit.TotalSeconds:0} s): a backtracking " +
                    "match can run for hours and cannot be stopped otherwise. Use e.g. TimeSpan.FromSeconds(1), or RegexOptions.NonBacktracking.");
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether a denial of <paramref name="denial"/> for <paramref name="operation"/> is lifted: a <c>Regex</c> without a
    /// match timeout is fine with <see cref="RegexOptions.NonBacktracking"/> (constant), which runs in linear time.
    /// </summary>
    /// <remarks>
    /// A <c>ContinueWith</c> is fine when its continuation is the fill's own code (a lambda or local function, so the
    /// woven budget checks stop it once the hole has ended) and the task it returns is awaited before the fill returns:
    /// then the continuation has run by the time the fill ends, as with <c>await</c>.
    /// </remarks>
    public static bool Lifts(Denial denial, IOperation operation) => denial.Id switch
    {
        HoleDiagnosticIds.RegexWithoutTimeout => IsRegexMember(operation) && Arguments(operation).Any(a =>
            a.Parameter?.Type is { Name: "RegexOptions" } && a.Value.ConstantValue is { HasValue: true, Value: int options } &&
            ((RegexOptions)options & RegexOptions.NonBacktracking) != 0),
        HoleDiagnosticIds.DetachedWork => operation is IInvocationOperation { TargetMethod.Name: "ContinueWith" } continuation &&
            ContinuesWithFillCode(continuation) && AwaitedTasks.IsAwaited(continuation),
        _ => false,
    };

    private static bool ContinuesWithFillCode(IInvocationOperation continuation) =>
        continuation.Arguments.Any(a => a.Parameter?.Ordinal == 0 &&
            Unconverted(a.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation or IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } });

    private static IEnumerable<IArgumentOperation> Arguments(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.Arguments,
        IObjectCreationOperation creation => creation.Arguments,
        _ => [],
    };

    private static bool IsRegexMember(IOperation? operation) =>
        (operation switch { IInvocationOperation i => i.TargetMethod.ContainingType, IObjectCreationOperation c => c.Constructor?.ContainingType, _ => null })
        is { Name: "Regex", ContainingNamespace: { Name: "RegularExpressions", ContainingNamespace.Name: "Text" } };

    /// <summary>A constant match timeout that is infinite or too long, described; null when it is fine or not known until run time.</summary>
    private static string? TooLong(IOperation timeout)
    {
        var value = Unconverted(timeout);
        switch (value)
        {
            case IFieldReferenceOperation { Field.Name: "InfiniteMatchTimeout" or "InfiniteTimeSpan" or "MaxValue" } field:
                return $"'{field.Field.ToDisplayString(s_display)}'";
            case IInvocationOperation { TargetMethod: { ContainingType.Name: "TimeSpan", Name: var name }, Arguments: [{ Value.ConstantValue: { HasValue: true, Value: var raw } }, ..] } call
                when raw is IConvertible convertible:
                var amount = convertible.ToDouble(System.Globalization.CultureInfo.InvariantCulture);
                var seconds = name switch
                {
                    "FromMilliseconds" => amount / 1000,
                    "FromSeconds" => amount,
                    "FromMinutes" => amount * 60,
                    "FromHours" => amount * 3600,
                    "FromDays" => amount * 86400,
                    _ => 0,
                };
                return seconds > Runtime.FillBudget.RegexTimeoutLimit.TotalSeconds || amount < 0 ? $"'{call.Syntax}'" : null;
            default:
                return null;
        }
    }

    private static IOperation Unconverted(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static bool IsTaskLike(ITypeSymbol? type) =>
        type is INamedTypeSymbol { ContainingNamespace: { Name: "Tasks", ContainingNamespace.Name: "Threading" }, MetadataName: "Task" or "Task`1" or "ValueTask" or "ValueTask`1" };

    private static bool IsException(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    private static Denial StackTrace(IOperation exception) => new(HoleDiagnosticIds.HostStackTrace,
        $"'{exception.Syntax}' is an exception formatted as text, which includes its stack trace: that names the host program's source files and paths. " +
        $"Format its Message instead (for example {exception.Syntax}.Message).");

    private static Denial DetachedWork(string what, string why, string instead) => new(HoleDiagnosticIds.DetachedWork,
        $"{what}: {why}. Nothing a fill starts may outlive it. {instead}");
}
