using System.Diagnostics;
using System.Net.Sockets;

namespace Holes.Effects;

/// <summary>
/// The build's side of the shared server: hands a run to the server when one listens, and otherwise starts one for the
/// builds that follow and runs the step in this process, so that no build ever waits for a server to start.
/// </summary>
internal static class SharedClient
{
    // Longer than any run takes; a server that does not answer by then is given up and the step runs here.
    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The server's result, or <see langword="null"/> when no server answered (the caller then runs the step itself).</summary>
    public static EffectsResult? TryRun(SharedEndpoint endpoint, EffectsRequest request)
    {
        if (!File.Exists(endpoint.SocketPath))
        {
            StartServer(endpoint);
            return null;
        }

        try
        {
            using var socket = Connect(endpoint);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var writer = new BinaryWriter(stream, EffectsRequest.Wire, leaveOpen: true);
            writer.Write(SharedServer.Rewrite);
            request.Write(writer);
            writer.Flush();
            using var reader = new BinaryReader(stream, EffectsRequest.Wire, leaveOpen: true);
            return EffectsResult.Read(reader);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            // A socket file without a server: it was killed. Start another for the next build.
            StartServer(endpoint);
            return null;
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // The server went away or timed out mid-run; the step runs here (on an assembly the server already
            // rewrote, it finds the table there and leaves it).
            return null;
        }
    }

    /// <summary>Asks the server of <paramref name="endpoint"/> to exit; false when none was running.</summary>
    public static bool Shutdown(SharedEndpoint endpoint)
    {
        if (!File.Exists(endpoint.SocketPath))
        {
            return false;
        }

        try
        {
            using var socket = Connect(endpoint);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            stream.WriteByte(SharedServer.Shutdown);
            stream.Flush();
            using var reader = new BinaryReader(stream, EffectsRequest.Wire, leaveOpen: true);
            reader.ReadInt32();
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return false;
        }
    }

    private static Socket Connect(SharedEndpoint endpoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.ReceiveTimeout = (int)s_answerTimeout.TotalMilliseconds;
            socket.Connect(new UnixDomainSocketEndPoint(endpoint.SocketPath));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts a server in the background, detached from this process's output (which the build reads to its end).</summary>
    private static void StartServer(SharedEndpoint endpoint)
    {
        if (Environment.ProcessPath is not { } host || typeof(SharedClient).Assembly.Location is not { Length: > 0 } tool)
        {
            return;
        }

        var start = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            // Redirected and closed at once: inherited, the build's own output pipes would stay open until the server
            // exits, and MSBuild waits for them to close.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = endpoint.Directory,
        };
        foreach (var argument in (string[])["exec", tool, "--serve", "--shared-name", Path.GetFileNameWithoutExtension(endpoint.SocketPath)])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var server = Process.Start(start);
            server?.StandardInput.Close();
            server?.StandardOutput.Close();
            server?.StandardError.Close();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            // No server this time: the step still runs here.
        }
    }
}
