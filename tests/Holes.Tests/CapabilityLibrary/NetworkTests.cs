using System.Net;
using System.Net.Sockets;
using System.Text;
using Holes.Capabilities;

namespace Holes.Tests.CapabilityLibrary;

public sealed class NetworkTests
{
    private const string Key = "sk-test-0123456789";

    [Fact]
    public async Task An_allowed_host_is_reached()
    {
        var handler = new StubHandler(r => Text(HttpStatusCode.OK, "{\"ok\":true}", "application/json"));
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"] }, handler);

        var response = await network.GetAsync("https://api.example.com/items?page=2");

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.IsSuccess);
        Assert.Equal("{\"ok\":true}", response.Body);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("https://api.example.com/items?page=2", response.Url);
        Assert.False(response.Truncated);
        Assert.Equal("https://api.example.com/items?page=2", Assert.Single(handler.Requests).Uri);
    }

    [Fact]
    public async Task Posts_a_json_body()
    {
        var handler = new StubHandler(r => Text(HttpStatusCode.Created, "made"));
        using var network = new Network(new NetworkOptions { AllowedHosts = ["*.example.com"] }, handler);

        var response = await network.PostAsync("https://api.example.com/items", "{\"name\":\"x\"}");

        Assert.Equal(201, response.StatusCode);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("{\"name\":\"x\"}", request.Body);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example.net/steal")]
    [InlineData("https://example.com/")]                       // *.example.com is subdomains only
    [InlineData("https://api.example.com.evil.net/")]
    [InlineData("https://api.example.com@evil.net/")]          // user info, host is evil.net
    [InlineData("https://api.example.com:8443/")]              // a port the pattern does not allow
    [InlineData("http://api.example.com/")]                    // plain http not allowed
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative")]
    public async Task Anything_else_is_refused_before_a_request_is_sent(string url)
    {
        var handler = new StubHandler(r => Text(HttpStatusCode.OK, "should not happen"));
        using var network = new Network(new NetworkOptions { AllowedHosts = ["*.example.com:443"] }, handler);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => network.GetAsync(url));

        Assert.Empty(handler.Requests);
        Assert.Equal(url, error.Target);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => network.PostAsync(url, "{}"));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_redirect_off_the_allowlist_is_refused_and_not_followed()
    {
        var handler = new StubHandler(r => Redirect(HttpStatusCode.Found, "https://evil.example.net/collect"));
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"] }, handler);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => network.GetAsync("https://api.example.com/start"));

        Assert.Contains("redirected", error.Message, StringComparison.Ordinal);
        Assert.Contains("evil.example.net", error.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Redirects_on_the_allowlist_are_followed_and_a_secret_stays_with_its_host()
    {
        var handler = new StubHandler(r => r.RequestUri!.Host == "api.example.com"
            ? Redirect(HttpStatusCode.SeeOther, "https://cdn.example.org/file")
            : Text(HttpStatusCode.OK, "the file"));
        using var network = new Network(
            new NetworkOptions
            {
                AllowedHosts = ["api.example.com", "cdn.example.org"],
                Secrets = [new NetworkSecret("api.example.com", "X-Api-Key", Key)],
            },
            handler);

        var response = await network.PostAsync("https://api.example.com/export", "{}");

        Assert.Equal("the file", response.Body);
        Assert.Equal("https://cdn.example.org/file", response.Url);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(Key, handler.Requests[0].Headers["X-Api-Key"]);
        Assert.False(handler.Requests[1].Headers.ContainsKey("X-Api-Key"));
        Assert.Equal("GET", handler.Requests[1].Method);   // 303: continue as GET without the body
    }

    [Fact]
    public async Task Too_many_redirects_stop()
    {
        var handler = new StubHandler(r => Redirect(HttpStatusCode.TemporaryRedirect, "https://api.example.com/again"));
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"], MaxRedirects = 2 }, handler);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => network.GetAsync("https://api.example.com/"));
        Assert.Contains("more than 2 times", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A_secret_header_is_sent_but_never_visible()
    {
        // The server echoes the request's headers back, as a hostile or careless one might.
        var handler = new StubHandler(r => Text(HttpStatusCode.OK, "you sent " + string.Join(";", r.Headers.Select(h => h.Key + "=" + string.Join(",", h.Value)))));
        var secret = new NetworkSecret("api.example.com", "X-Api-Key", Key);
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"], Secrets = [secret] }, handler);

        var response = await network.GetAsync("https://api.example.com/me", new Dictionary<string, string> { ["Accept"] = "text/plain" });

        Assert.Equal(Key, handler.Requests[0].Headers["X-Api-Key"]);
        Assert.Equal("text/plain", handler.Requests[0].Headers["Accept"]);
        Assert.DoesNotContain(Key, response.Body, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key=***", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, network.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, secret.ToString(), StringComparison.Ordinal);
        Assert.Null(typeof(NetworkSecret).GetProperty("Value"));   // internal: not part of the public surface

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() =>
            network.GetAsync("https://api.example.com/me", new Dictionary<string, string> { ["x-api-key"] = "mine" }));
        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Bodies_are_cut_at_the_cap()
    {
        var handler = new StubHandler(r => Text(HttpStatusCode.OK, new string('x', 100_000)));
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"], MaxResponseBytes = 10 }, handler);

        var response = await network.GetAsync("https://api.example.com/big");

        Assert.Equal(new string('x', 10), response.Body);
        Assert.True(response.Truncated);
    }

    [Fact]
    public async Task A_host_that_does_not_answer_times_out()
    {
        var handler = new StubHandler(async (r, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Text(HttpStatusCode.OK, "late");
        });
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"], Timeout = TimeSpan.FromMilliseconds(50) }, handler);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => network.GetAsync("https://api.example.com/slow"));
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handler_that_follows_redirects_itself_is_refused()
    {
        using var handler = new SocketsHttpHandler();
        var error = Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { AllowedHosts = ["a.example"] }, handler));
        Assert.Contains("AllowAutoRedirect", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_loopback_a_real_request_carries_the_secret_and_a_redirect_off_the_list_is_refused()
    {
        using var server = LoopbackServer.Start(context =>
        {
            if (context.Request.Url!.AbsolutePath == "/hop")
            {
                context.Response.StatusCode = 302;
                context.Response.RedirectLocation = $"http://localhost:{context.Request.Url.Port}/echo";
                return "";
            }

            return "key=" + context.Request.Headers["X-Api-Key"];
        });
        using var network = new Network(new NetworkOptions
        {
            AllowedHosts = [$"127.0.0.1:{server.Port}"],
            AllowHttp = true,
            Secrets = [new NetworkSecret("127.0.0.1", "X-Api-Key", Key)],
        });

        var response = await network.GetAsync($"http://127.0.0.1:{server.Port}/echo");
        Assert.Equal("key=***", response.Body);
        Assert.Equal([Key], server.SeenKeys);

        await Assert.ThrowsAsync<CapabilityDeniedException>(() => network.GetAsync($"http://127.0.0.1:{server.Port}/hop"));
        Assert.Equal(["/echo", "/hop"], server.Paths);
    }

    private static HttpResponseMessage Text(HttpStatusCode status, string body, string mediaType = "text/plain") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private static HttpResponseMessage Redirect(HttpStatusCode status, string location)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Location = new Uri(location);
        return response;
    }

    private sealed record SeenRequest(string Method, string Uri, Dictionary<string, string> Headers, string? Body);

    /// <summary>Answers in memory and records every request that reached it.</summary>
    private sealed class StubHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _answer;

        public StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) => _answer = (r, _) => Task.FromResult(answer(r));

        public StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) => _answer = answer;

        public List<SeenRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add(new SeenRequest(request.Method.Method, request.RequestUri!.ToString(), headers, body));
            }

            return await _answer(request, cancellationToken);
        }
    }

    /// <summary>An HttpListener on a free loopback port, answering each request with the text the callback returns.</summary>
    private sealed class LoopbackServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Func<HttpListenerContext, string> _answer;
        private readonly Task _loop;

        private LoopbackServer(int port, Func<HttpListenerContext, string> answer)
        {
            Port = port;
            _answer = answer;
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public int Port { get; }

        public List<string> Paths { get; } = [];

        public List<string?> SeenKeys { get; } = [];

        public static LoopbackServer Start(Func<HttpListenerContext, string> answer)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new LoopbackServer(port, answer);
        }

        public void Dispose()
        {
            _listener.Close();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The listener was closed under the loop.
            }
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                lock (Paths)
                {
                    Paths.Add(context.Request.Url!.AbsolutePath);
                    if (context.Request.Headers["X-Api-Key"] is { } key)
                    {
                        SeenKeys.Add(key);
                    }
                }

                var bytes = Encoding.UTF8.GetBytes(_answer(context));
                context.Response.ContentType = "text/plain; charset=utf-8";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }
    }
}
