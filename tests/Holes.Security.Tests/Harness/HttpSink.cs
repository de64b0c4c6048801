using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// A loopback HTTP sink on 127.0.0.1 and a free port, started by the test: it answers every request with 200 and keeps
/// what it received. Any connection at all counts (an HTTP request, a raw socket), so "received nothing" is strict.
/// </summary>
public sealed class HttpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public HttpSink()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>What reached the sink: one entry per connection, with the start of what was sent.</summary>
    public IReadOnlyList<string> Received => [.. _received];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var text = new StringBuilder();
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                while (text.Length < 64 * 1024)
                {
                    var read = await stream.ReadAsync(buffer, timeout.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    if (RequestComplete(text.ToString()))
                    {
                        break;
                    }
                }

                var reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray();
                await stream.WriteAsync(reply, timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // What arrived is recorded below either way.
            }

            _received.Enqueue(text.Length == 0 ? "(a connection with no data)" : text.ToString());
        }
    }

    private static bool RequestComplete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var header = text[..end];
        var lengthLine = header.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= length;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
