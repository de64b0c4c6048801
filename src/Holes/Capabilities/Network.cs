using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Holes.Capabilities;

/// <summary>
/// The <see cref="INetwork"/> capability: an HTTP client that reaches only the allowed hosts. Hand it to a hole to let
/// the fill call those hosts; a fill can never construct one. It is an egress: classified data may not be sent
/// through it.
/// </summary>
/// <remarks>
/// <para>
/// Every URL is checked before a connection is made. Redirects are not followed by the handler but here, one hop at
/// a time, each checked like the first URL; a secret header goes only to hosts its own pattern matches, so a
/// redirect to another allowed host does not carry the first host's key. 303 (and 301/302 after a POST) continue
/// as GET without the body, as browsers do.
/// </para>
/// <para>
/// The allowlist is by host name; what a name resolves to is DNS's business. Allow only hosts you trust to resolve to
/// where you expect.
/// </para>
/// </remarks>
public sealed class Network : INetwork, IDisposable
{
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly NetworkOptions _options;
    private readonly HostPattern[] _allowed;
    private readonly (HostPattern Host, NetworkSecret Secret)[] _secrets;
    private readonly HttpClient _client;

    /// <summary>Creates a network capability with its own HTTP handler (no automatic redirects, no cookies).</summary>
    /// <param name="options">The allowed hosts, secret headers and caps.</param>
    /// <exception cref="ArgumentException">The options allow no host, or a host pattern is malformed.</exception>
    public Network(NetworkOptions options)
        : this(options, new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }, disposeHandler: true)
    {
    }

    /// <summary>Creates a network capability that sends through <paramref name="handler"/> (for tests, proxies or telemetry).</summary>
    /// <param name="options">The allowed hosts, secret headers and caps.</param>
    /// <param name="handler">Sends the requests. It must not follow redirects itself; this class follows them, checking each hop.</param>
    /// <param name="disposeHandler">Whether disposing this object disposes <paramref name="handler"/>.</param>
    /// <exception cref="ArgumentException">The options allow no host, a host pattern is malformed, or the handler follows redirects.</exception>
    public Network(NetworkOptions options, HttpMessageHandler handler, bool disposeHandler = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        if (options.AllowedHosts.Count == 0)
        {
            throw new ArgumentException("A Network needs at least one allowed host (NetworkOptions.AllowedHosts).", nameof(options));
        }

        if (options.MaxResponseBytes is <= 0 or > int.MaxValue || options.MaxRedirects < 0 || options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("NetworkOptions.MaxResponseBytes must be positive and below 2 GiB, Timeout positive and MaxRedirects not negative.", nameof(options));
        }

        if (handler is SocketsHttpHandler { AllowAutoRedirect: true } or HttpClientHandler { AllowAutoRedirect: true })
        {
            throw new ArgumentException(
                "The handler follows redirects itself, so redirects would escape the host allowlist. Set AllowAutoRedirect = false; Network follows redirects and checks each one.",
                nameof(handler));
        }

        _options = options;
        _allowed = [.. options.AllowedHosts.Select(HostPattern.Parse)];
        _secrets = [.. options.Secrets.Select(s => (HostPattern.Parse(s.Host), s))];
        _client = new HttpClient(handler, disposeHandler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public IReadOnlyList<string> AllowedHosts => _options.AllowedHosts;

    /// <inheritdoc />
    public Task<NetworkResponse> GetAsync(string url, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, url, null, null, headers, cancellationToken);

    /// <inheritdoc />
    public Task<NetworkResponse> PostAsync(string url, string body, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        return SendAsync(HttpMethod.Post, url, body, contentType, headers, cancellationToken);
    }

    /// <summary>Disposes the HTTP client (and the handler, if this object owns it).</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>The grant in one line: shown as the value's preview in a hole's prompt. Never shows a secret's value.</summary>
    /// <returns>For example <c>Network(hosts: api.example.com; secret headers for: api.example.com)</c>.</returns>
    public override string ToString() =>
        $"Network(hosts: {string.Join(", ", _options.AllowedHosts)}{(_secrets.Length == 0 ? "" : "; secret headers for: " + string.Join(", ", _secrets.Select(s => s.Secret.Host).Distinct(StringComparer.OrdinalIgnoreCase)))})";

    private async Task<NetworkResponse> SendAsync(HttpMethod method, string url, string? body, string? contentType, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var uri = Check(url, url, redirectedFrom: null);
        CheckHeaders(url, headers);

        using var timeout = new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = Request(method, uri, body, contentType, headers);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (hop == _options.MaxRedirects)
                    {
                        throw new HttpRequestException($"'{url}' redirected more than {_options.MaxRedirects} times; the last hop was to '{new Uri(uri, location)}'. Request the final URL directly.");
                    }

                    var next = Check(new Uri(uri, location).ToString(), url, redirectedFrom: uri);
                    if (response.StatusCode == HttpStatusCode.SeeOther ||
                        (method == HttpMethod.Post && response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found))
                    {
                        method = HttpMethod.Get;
                        body = null;
                        contentType = null;
                    }

                    uri = next;
                    continue;
                }

                return await ReadAsync(response, uri, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"'{url}' did not answer within {_options.Timeout.TotalSeconds:0.###} seconds, the timeout this network capability was given.");
        }
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri, string? body, string? contentType, IReadOnlyDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(method, uri);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        // Added last, inside the library: a fill never holds these values and cannot replace them.
        foreach (var (host, secret) in _secrets)
        {
            if (host.Matches(uri))
            {
                request.Headers.Remove(secret.Header);
                request.Headers.TryAddWithoutValidation(secret.Header, secret.Value);
            }
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, s_utf8, MediaTypeHeaderValue.Parse(contentType!));
        }

        return request;
    }

    private async Task<NetworkResponse> ReadAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        var cap = _options.MaxResponseBytes;
        var bytes = new MemoryStream();
        var truncated = false;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                var room = cap - bytes.Length;
                if (n > room)
                {
                    bytes.Write(buffer, 0, (int)room);
                    truncated = true;
                    break;
                }

                bytes.Write(buffer, 0, n);
            }
        }

        var encoding = s_utf8;
        if (response.Content.Headers.ContentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: UTF-8 is the best guess.
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = Mask(string.Join(", ", values));
        }

        return new NetworkResponse(
            (int)response.StatusCode,
            Mask(encoding.GetString(bytes.GetBuffer(), 0, (int)bytes.Length)),
            response.Content.Headers.ContentType?.MediaType,
            uri.ToString(),
            headers,
            truncated);
    }

    /// <summary>A server that echoes a request back would otherwise hand the fill a secret.</summary>
    private string Mask(string text)
    {
        foreach (var (_, secret) in _secrets)
        {
            text = text.Replace(secret.Value, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private Uri Check(string target, string url, Uri? redirectedFrom)
    {
        var hop = redirectedFrom is null ? "" : $"'{url}' redirected (from '{redirectedFrom}') to '{target}', which ";
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Denied(url, redirectedFrom is null
                ? $"'{url}' is not an absolute http(s) URL. Use a full URL such as https://{_options.AllowedHosts[0].TrimStart('*', '.')}/path."
                : hop + "is not an http(s) URL; the redirect was not followed.");
        }

        if (uri.Scheme == "http" && !_options.AllowHttp)
        {
            throw Denied(url, (redirectedFrom is null ? $"'{url}' " : hop) +
                "uses plain http, which this network capability does not allow. Use https.");
        }

        if (!_allowed.Any(a => a.Matches(uri)))
        {
            throw Denied(url, (redirectedFrom is null ? $"'{url}' goes to host '{uri.Authority}', which " : hop + $"goes to host '{uri.Authority}', which ") +
                $"is not on this network capability's allowlist; nothing was sent there. Allowed hosts: {string.Join(", ", _options.AllowedHosts)}.");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw Denied(url, $"'{url}' carries user information before the host; credentials are the program's to add. Remove the 'user@' part.");
        }

        return uri;
    }

    private void CheckHeaders(string url, IReadOnlyDictionary<string, string>? headers)
    {
        foreach (var name in headers?.Keys ?? [])
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ||
                _secrets.Any(s => s.Secret.Header.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Denied(url, $"The header '{name}' is reserved: Host and Content-* are set from the URL and contentType, and credentials (Authorization, Cookie, the program's secret headers) are added by the program. Leave it out.");
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or
        HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static CapabilityDeniedException Denied(string url, string message) => new(nameof(Network), url, message);

    /// <summary>One allowlist entry: a host or <c>*.domain</c>, and an optional port.</summary>
    private sealed record HostPattern(string Host, bool Subdomains, int? Port)
    {
        public static HostPattern Parse(string pattern)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
            var text = pattern.Trim().ToLowerInvariant();
            int? port = null;
            var colon = text.LastIndexOf(':');
            if (colon > 0 && text.IndexOf(']', StringComparison.Ordinal) < colon && (text[0] == '[' || text.IndexOf(':', StringComparison.Ordinal) == colon))
            {
                if (!int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                {
                    throw new ArgumentException($"The host pattern '{pattern}' has a malformed port; write host:port, e.g. localhost:8080.", nameof(pattern));
                }

                port = p;
                text = text[..colon];
            }

            var subdomains = text.StartsWith("*.", StringComparison.Ordinal);
            var host = (subdomains ? text[2..] : text).TrimEnd('.');
            if (host.Length == 0 || host.Contains('*', StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The host pattern '{pattern}' is malformed; write a host (api.example.com), *.domain for its subdomains, optionally with :port.", nameof(pattern));
            }

            return new HostPattern(host, subdomains, port);
        }

        public bool Matches(Uri uri)
        {
            if (Port is { } port && uri.Port != port)
            {
                return false;
            }

            var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
            if (uri.HostNameType == UriHostNameType.IPv6 && !host.StartsWith('['))
            {
                host = "[" + host + "]";
            }

            return Subdomains
                ? host.EndsWith("." + Host, StringComparison.Ordinal)
                : host == Host;
        }
    }
}
