using System.Diagnostics;
using System.Reflection;

namespace Holes.Execution.Protocol;

/// <summary>
/// Carries an exception across the boundary as its type, message and position in the fill, and rebuilds it on the
/// other side as the same framework type where it has a message constructor (the fill's own stack stays behind).
/// </summary>
internal static class RemoteFaults
{
    /// <summary>The key under which a rebuilt exception keeps the fill method's token and IL offset, for the fill's line.</summary>
    public const string PositionKey = "Holes.FillPosition";

    public static FillFault Describe(Exception exception, HoleBudgetKind? budget = null)
    {
        exception = Unwrap(exception);
        var (token, offset) = Position(exception);
        return new FillFault(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, token, offset, budget, exception is OperationCanceledException);
    }

    public static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        while (exception is TargetInvocationException { InnerException: { } inner })
        {
            exception = inner;
        }

        return exception;
    }

    public static Exception Rebuild(FillFault fault)
    {
        Exception exception;
        if (fault.Canceled)
        {
            exception = new OperationCanceledException(fault.Message);
        }
        else
        {
            exception = Create(fault.Type, fault.Message) ?? new RemoteFillException(fault.Type, fault.Message);
        }

        if (fault.MethodToken != 0)
        {
            exception.Data[PositionKey] = (fault.MethodToken, fault.IlOffset);
        }

        return exception;
    }

    private static Exception? Create(string typeName, string message)
    {
        var type = Type.GetType(typeName, throwOnError: false) ?? AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsCollectible && !a.IsDynamic).Select(a => a.GetType(typeName, throwOnError: false)).FirstOrDefault(t => t is not null);
        if (type is null || !typeof(Exception).IsAssignableFrom(type) || type.IsAbstract || typeof(HoleException).IsAssignableFrom(type))
        {
            return null;
        }

        try
        {
            return type.GetConstructor([typeof(string)]) is { } constructor ? (Exception)constructor.Invoke([message]) : null;
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static (int Token, int Offset) Position(Exception exception)
    {
        try
        {
            foreach (var frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
            {
                var method = frame.GetMethod();
                if (method is not null && frame.GetILOffset() >= 0 &&
                    method.Module.Assembly.GetName().Name == Holes.Pipeline.Compile.FillSource.AssemblyName)
                {
                    return (method.MetadataToken, frame.GetILOffset());
                }
            }
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            // The line is a courtesy; the exception itself still crosses.
        }

        return (0, 0);
    }
}

/// <summary>An exception a fill threw in the worker whose type cannot be rebuilt in the host.</summary>
internal sealed class RemoteFillException : Exception
{
    public RemoteFillException(string type, string message)
        : base($"{type}: {message}") => RemoteType = type;

    public RemoteFillException()
    {
        RemoteType = "";
    }

    public RemoteFillException(string message) : base(message) => RemoteType = "";

    public RemoteFillException(string message, Exception innerException) : base(message, innerException) => RemoteType = "";

    /// <summary>The exception's type in the worker.</summary>
    public string RemoteType { get; }
}
