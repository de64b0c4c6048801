using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Holes.Pipeline.Model;

/// <summary>
/// Reads what a chat client's exception says about the provider: the HTTP status, whether the failure is transient,
/// and how long the provider asked to wait. Holes depends on no provider SDK, so the exceptions of the
/// System.ClientModel family (OpenAI, Azure OpenAI) are read by shape: an integer <c>Status</c> property and a
/// <c>GetRawResponse()</c> whose <c>Headers.TryGetValue(name, out value)</c> gives <c>Retry-After</c>.
/// </summary>
internal static class ProviderFailure
{
    private static readonly ConcurrentDictionary<Type, Shape> s_shapes = new();

    /// <summary>The first HTTP status found on the exception or its causes; <see langword="null"/> when none says.</summary>
    public static int? Status(Exception exception)
    {
        foreach (var e in Chain(exception))
        {
            if (StatusOf(e) is { } status)
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>Whether retrying the same request may succeed: 408, 429, 5xx (not 501/505), or a failed or dropped connection.</summary>
    public static bool IsTransient(Exception exception, ModelRetryOptions options)
    {
        if (options.IsTransient?.Invoke(exception) is { } decided)
        {
            return decided;
        }

        foreach (var e in Chain(exception))
        {
            if (e is OperationCanceledException or TimeoutException)
            {
                // A call that ran out of time is not retried: a hung provider would only hang again.
                return false;
            }

            if (StatusOf(e) is { } status)
            {
                return status is 408 or 429 || (status >= 500 && status != 501 && status != 505);
            }

            if (e is HttpRequestException { StatusCode: null } http)
            {
                // The transport failed: the connection was refused, dropped or closed mid-response. Anything else
                // (a name that does not resolve, a TLS failure, a hand-made exception) is not retried, unless its
                // cause below is an I/O failure.
                if (http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError)
                {
                    return true;
                }

                continue;
            }

            if (e is HttpIOException or SocketException or IOException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The wait the provider asked for (<c>retry-after-ms</c>, then <c>Retry-After</c> in seconds or as a date), if its client exposes the headers.</summary>
    public static TimeSpan? RetryAfter(Exception exception)
    {
        foreach (var e in Chain(exception))
        {
            var shape = ShapeOf(e.GetType());
            if (shape.Header is null)
            {
                continue;
            }

            if (shape.Header(e, "retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }

            if (shape.Header(e, "Retry-After") is { } value)
            {
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    var wait = date - DateTimeOffset.UtcNow;
                    return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
                }
            }
        }

        return null;
    }

    /// <summary>The exception and its causes, depth first, aggregates flattened.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                for (var i = aggregate.InnerExceptions.Count - 1; i >= 0; i--)
                {
                    pending.Push(aggregate.InnerExceptions[i]);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    private static int? StatusOf(Exception e) => e switch
    {
        HttpRequestException http => (int?)http.StatusCode,
        _ => ShapeOf(e.GetType()).Status?.Invoke(e) is { } status and > 0 ? status : null,
    };

    private static Shape ShapeOf(Type type) => s_shapes.GetOrAdd(type, static t => Shape.Read(t));

    private sealed class Shape
    {
        public Func<Exception, int?>? Status { get; private init; }

        public Func<Exception, string, string?>? Header { get; private init; }

        public static Shape Read(Type type)
        {
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && type.Namespace != "System.ClientModel")
            {
                return new Shape();
            }

            var status = type.GetProperty("Status", BindingFlags.Public | BindingFlags.Instance)
                ?? type.GetProperty("StatusCode", BindingFlags.Public | BindingFlags.Instance);
            Func<Exception, int?>? readStatus = status?.PropertyType switch
            {
                { } t when t == typeof(int) => e => (int)status.GetValue(e)!,
                { } t when t == typeof(int?) => e => (int?)status.GetValue(e),
                { } t when t == typeof(HttpStatusCode) => e => (int)(HttpStatusCode)status.GetValue(e)!,
                { } t when t == typeof(HttpStatusCode?) => e => (int?)(HttpStatusCode?)status.GetValue(e),
                _ => null,
            };

            var raw = type.GetMethod("GetRawResponse", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
            Func<Exception, string, string?>? readHeader = raw is null ? null : (e, name) => ReadHeader(raw.Invoke(e, null), name);
            return new Shape { Status = readStatus, Header = readHeader };
        }

        private static string? ReadHeader(object? response, string name)
        {
            var headers = response?.GetType().GetProperty("Headers", BindingFlags.Public | BindingFlags.Instance)?.GetValue(response);
            var tryGet = headers?.GetType().GetMethod("TryGetValue", BindingFlags.Public | BindingFlags.Instance,
                [typeof(string), typeof(string).MakeByRefType()]);
            if (tryGet is null)
            {
                return null;
            }

            object?[] arguments = [name, null];
            return tryGet.Invoke(headers, arguments) is true ? arguments[1] as string : null;
        }
    }
}
