using System.Net.Sockets;

namespace Holes.Effects;

/// <summary>
/// The step as a long-lived process, as the compiler server (VBCSCompiler) is for the compiler: builds that use the
/// compiler server send their runs here, to a process whose code is already compiled, tiered up and mapped, instead of
/// starting the step cold each time. It serves one run at a time, each exactly as a run of its own (keeping the
/// references' metadata between runs changed nothing measurable), and exits after a while without any.
/// </summary>
internal static class SharedServer
{
    /// <summary>Kinds of message a client sends.</summary>
    public const byte Rewrite = 1;

    /// <inheritdoc cref="Rewrite"/>
    public const byte Shutdown = 2;

    /// <summary>How long the server waits for a client's request once it connected.</summary>
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Serves runs on <paramref name="endpoint"/> until <paramref name="idle"/> passes without one, or a client asks it to stop.</summary>
    /// <returns>0; also when another server already serves the endpoint.</returns>
    public static int Serve(SharedEndpoint endpoint, TimeSpan idle)
    {
        FileStream held;
        try
        {
            held = new FileStream(endpoint.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            // Another server holds the lock: it serves this endpoint.
            return 0;
        }

        using (held)
        {
            // A socket left by a server that was killed: nothing listens on it.
            File.Delete(endpoint.SocketPath);
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(endpoint.SocketPath));
            listener.Listen(16);
            try
            {
                while (Accept(listener, idle) is { } client)
                {
                    using (client)
                    {
                        if (!Handle(client))
                        {
                            break;
                        }
                    }
                }
            }
            finally
            {
                File.Delete(endpoint.SocketPath);
            }
        }

        return 0;
    }

    private static Socket? Accept(Socket listener, TimeSpan idle)
    {
        using var timeout = new CancellationTokenSource(idle);
        try
        {
            return listener.AcceptAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>One client's message; false when it asked the server to stop.</summary>
    private static bool Handle(Socket client)
    {
        client.ReceiveTimeout = (int)s_requestTimeout.TotalMilliseconds;
        try
        {
            using var stream = new NetworkStream(client, ownsSocket: false);
            using var reader = new BinaryReader(stream, EffectsRequest.Wire, leaveOpen: true);
            using var writer = new BinaryWriter(stream, EffectsRequest.Wire, leaveOpen: true);
            switch (reader.ReadByte())
            {
                case Rewrite:
                    var request = EffectsRequest.Read(reader);
                    Run(request).Write(writer);
                    writer.Flush();
                    return true;
                case Shutdown:
                    writer.Write(0);
                    writer.Flush();
                    return false;
                default:
                    return true;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or ObjectDisposedException or FormatException or ArgumentException)
        {
            // The client went away or spoke nonsense; it runs the step itself when it gets no answer.
            return true;
        }
    }

    /// <summary>
    /// One run, as in a process of its own; a failure the step does not expect (a bug) fails this build with its stack
    /// trace, as it would in a process of its own, and leaves the server serving the next.
    /// </summary>
    private static EffectsResult Run(EffectsRequest request)
    {
        try
        {
            return EffectsRun.Run(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return EffectsResult.Failed(request.Assembly, ex.ToString());
        }
    }
}
