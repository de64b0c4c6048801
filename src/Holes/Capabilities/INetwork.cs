namespace Holes.Capabilities;

/// <summary>
/// HTTP requests to the hosts the program allows, and no others. A host off the allowlist is refused before any
/// connection, and so is a redirect to one. Credentials the program configured are added to requests for you; you
/// never see them. Response bodies are cut at a size the program chose.
/// </summary>
[Capability]
[Egress]
public interface INetwork
{
    /// <summary>The hosts requests may go to: <c>api.example.com</c>, <c>*.example.com</c> (its subdomains), optionally with <c>:port</c>.</summary>
    IReadOnlyList<string> AllowedHosts { get; }

    /// <summary>Sends a GET request and reads the response as text. Redirects to allowed hosts are followed.</summary>
    /// <param name="url">An absolute <c>https://</c> URL (or <c>http://</c> when the program allows it) on an allowed host.</param>
    /// <param name="headers">Extra request headers, e.g. <c>Accept</c>; not the ones the program sets itself.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status, headers and body (cut at the program's cap) of the final response.</returns>
    /// <exception cref="CapabilityDeniedException">The URL, or a redirect, leads to a host or scheme that is not allowed, or a header is reserved.</exception>
    /// <exception cref="TimeoutException">The host did not answer within the program's timeout.</exception>
    Task<NetworkResponse> GetAsync(string url, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a POST request with a text body (JSON by default) and reads the response as text.</summary>
    /// <param name="url">An absolute <c>https://</c> URL (or <c>http://</c> when the program allows it) on an allowed host.</param>
    /// <param name="body">The request body, e.g. JSON made with <c>System.Text.Json.JsonSerializer.Serialize</c>.</param>
    /// <param name="contentType">The body's media type; default <c>application/json</c>.</param>
    /// <param name="headers">Extra request headers; not the ones the program sets itself.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status, headers and body (cut at the program's cap) of the final response.</returns>
    /// <exception cref="CapabilityDeniedException">The URL, or a redirect, leads to a host or scheme that is not allowed, or a header is reserved.</exception>
    /// <exception cref="TimeoutException">The host did not answer within the program's timeout.</exception>
    Task<NetworkResponse> PostAsync(string url, string body, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default);
}

/// <summary>An HTTP response, read as text.</summary>
/// <param name="StatusCode">The HTTP status code, e.g. 200 or 404.</param>
/// <param name="Body">The body as text, cut at the program's cap (see <paramref name="Truncated"/>).</param>
/// <param name="ContentType">The media type of the body, e.g. <c>application/json</c>, when the server gave one.</param>
/// <param name="Url">The URL that answered, after redirects.</param>
/// <param name="Headers">The response headers, names as sent, repeated values joined with <c>", "</c>.</param>
/// <param name="Truncated">Whether the body was longer than the cap and was cut.</param>
public sealed record NetworkResponse(int StatusCode, string Body, string? ContentType, string Url, IReadOnlyDictionary<string, string> Headers, bool Truncated)
{
    /// <summary>Whether the status code is 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and <= 299;
}
