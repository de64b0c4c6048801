namespace Holes.Capabilities;

/// <summary>What a <see cref="Network"/> grants: the hosts, the secret headers it adds, and its caps.</summary>
public sealed class NetworkOptions
{
    /// <summary>
    /// The hosts requests may go to: an exact name (<c>api.example.com</c>, <c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>[::1]</c>), or <c>*.example.com</c> for its subdomains (not <c>example.com</c> itself); either may end in
    /// <c>:port</c> to allow only that port. Matching ignores case.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Headers the library adds to requests for matching hosts (API keys, bearer tokens). Fills never see them: they
    /// cannot set these headers, and the values are masked out of response headers and bodies.
    /// </summary>
    public IReadOnlyList<NetworkSecret> Secrets { get; init; } = [];

    /// <summary>Whether plain <c>http://</c> is allowed (for example to a loopback test server). Default <see langword="false"/>: HTTPS only.</summary>
    public bool AllowHttp { get; init; }

    /// <summary>The most response-body bytes read; the rest is dropped and the response says it was truncated. Default 1 MiB.</summary>
    public long MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>The most redirects followed for one request. Default 5.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>How long one request (with its redirects) may take. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the timeout runs on. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>A header the library adds to requests for some hosts; its value never reaches a fill.</summary>
/// <remarks>Not a record on purpose: its text shows the host and header name, never the value.</remarks>
public sealed class NetworkSecret
{
    /// <summary>Creates a secret header.</summary>
    /// <param name="host">The hosts it is sent to, in the syntax of <see cref="NetworkOptions.AllowedHosts"/>.</param>
    /// <param name="header">The header name, e.g. <c>Authorization</c> or <c>X-Api-Key</c>.</param>
    /// <param name="value">The header value.</param>
    public NetworkSecret(string host, string header, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(header);
        ArgumentException.ThrowIfNullOrEmpty(value);
        Host = host;
        Header = header;
        Value = value;
    }

    /// <summary>The hosts it is sent to.</summary>
    public string Host { get; }

    /// <summary>The header name.</summary>
    public string Header { get; }

    internal string Value { get; }

    /// <summary>The host and header name; never the value.</summary>
    /// <returns>For example <c>X-Api-Key for api.example.com</c>.</returns>
    public override string ToString() => $"{Header} for {Host}";
}
