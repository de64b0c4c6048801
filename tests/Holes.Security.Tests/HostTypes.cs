using System.Collections.Concurrent;
using System.Diagnostics.Contracts;
using Holes;

// The host program's own types, as the hostile fills see them: capabilities ([Capability]), egress, a trusted sink,
// authority reached through static members, data types (one with a cycle) and a secret in host static state. A short
// top-level namespace so fills can name them as `Host.X`, as a model would after reading the prompt.
namespace Host;

/// <summary>A way for data to leave the program: every call posts to the test's loopback sink.</summary>
[Capability]
public interface IWebhook
{
    /// <summary>Posts <paramref name="body"/> and returns the HTTP status.</summary>
    [Egress]
    Task<int> PostAsync(string body);

    /// <summary>Posts any value, as text.</summary>
    [Egress]
    Task<int> PostObjectAsync(object body);
}

/// <summary>The webhook: posts to the URL it was created with (the loopback sink the test listens on).</summary>
public sealed class Webhook(Uri target) : IWebhook
{
    private static readonly HttpClient s_client = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>A static way to reach the capability: a fill must never use it.</summary>
    public static IWebhook? Default { get; set; }

    /// <inheritdoc />
    public async Task<int> PostAsync(string body)
    {
        using var content = new StringContent(body);
        using var response = await s_client.PostAsync(target, content).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    /// <inheritdoc />
    public Task<int> PostObjectAsync(object body) => PostAsync(body?.ToString() ?? "");
}

/// <summary>A trusted sink: the one place classified data may go.</summary>
[Capability]
public interface IVault
{
    /// <summary>Stores a classified value under <paramref name="name"/>.</summary>
    [TrustedSink]
    void Store(string name, Classified<string> value);

    /// <summary>How many values are stored.</summary>
    int Count { get; }
}

/// <summary>The vault: keeps what it is given, in the host.</summary>
public sealed class Vault : IVault
{
    private readonly ConcurrentDictionary<string, string> _stored = new();

    /// <inheritdoc />
    public void Store(string name, Classified<string> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _stored[name] = value.Reveal();
    }

    /// <inheritdoc />
    public int Count => _stored.Count;
}

/// <summary>An incoming mail: its body came from outside and is classified (it may carry a prompt injection or a secret).</summary>
public sealed record Mail(string From, string Subject, Classified<string> Body);

/// <summary>A mailbox: reading is harmless, sending is an egress (it posts to the sink too).</summary>
[Capability]
public interface IMailbox
{
    /// <summary>The mails in the inbox.</summary>
    IReadOnlyList<Mail> Inbox();

    /// <summary>Sends a mail.</summary>
    [Egress]
    Task SendAsync(string to, string body);
}

/// <summary>The mailbox: sending posts the mail to the loopback sink.</summary>
public sealed class Mailbox(IReadOnlyList<Mail> inbox, IWebhook outgoing) : IMailbox
{
    /// <inheritdoc />
    public IReadOnlyList<Mail> Inbox() => inbox;

    /// <inheritdoc />
    public Task SendAsync(string to, string body) => outgoing.PostAsync(to + "\n" + body);
}

/// <summary>
/// Host code with authority but no [Capability] mark: its members write files and read the environment. With the
/// generator's effect table it is authority by analysis; without one, its static members are still denied.
/// </summary>
public sealed class Shell
{
    /// <summary>Mutable static state.</summary>
    public static string LastCommand = "";

    /// <summary>Writes a file wherever it is told.</summary>
    public static void WriteFile(string path, string text) => File.WriteAllText(path, text);

    /// <summary>Writes a file named after the command into the current directory.</summary>
    public string Run(string command)
    {
        LastCommand = command;
        File.WriteAllText("ran-" + command + ".txt", command);
        return "ran " + command;
    }

    /// <summary>Reads an environment variable.</summary>
    public string Env(string name) => Environment.GetEnvironmentVariable(name) ?? "";
}

/// <summary>A secret kept in host static state (the child process sets it per case).</summary>
public static class HostSecrets
{
    /// <summary>The secret.</summary>
    public static string ApiKey { get; set; } = "";

    /// <summary>A static method that hands the secret out.</summary>
    public static string Reveal() => ApiKey;
}

/// <summary>A data record whose equality walks <see cref="Next"/>: a cycle makes it recurse forever.</summary>
public sealed record Node(string Name)
{
    /// <summary>The next node.</summary>
    public Node? Next { get; set; }
}

/// <summary>A data class that calls back into code it is handed: recursion through host code.</summary>
public sealed class Relay
{
    /// <summary>Calls <paramref name="f"/> with <paramref name="x"/>.</summary>
    public int Call(Func<int, int> f, int x)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f(x);
    }
}

/// <summary>Static host code the developer vouches for with [Pure]: fills may call it.</summary>
public static class HostMath
{
    /// <summary>Applies <paramref name="f"/>.</summary>
    [Pure]
    public static int Apply(Func<int, int> f, int x)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f(x);
    }

    /// <summary>Greatest common divisor.</summary>
    [Pure]
    public static int Gcd(int a, int b) => b == 0 ? Math.Abs(a) : Gcd(b, a % b);
}

/// <summary>Plain data the benign fills build and return.</summary>
public sealed record Item(string Name, int Quantity, decimal Price);

/// <summary>A point for the benign geometry fills.</summary>
public readonly record struct Point(int X, int Y);

/// <summary>Throws from host code, so a fill's exception carries a host stack frame.</summary>
public sealed class Thrower
{
    /// <summary>Throws <see cref="InvalidOperationException"/>.</summary>
    public int Fail(string why) => throw new InvalidOperationException(why);
}

/// <summary>Host extension methods: a static member with an effect, reached with instance syntax.</summary>
public static class ShellExtensions
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>.</summary>
    public static void WriteTo(this string text, string path) => File.WriteAllText(path, text);
}

/// <summary>
/// A host class whose conversion, operators, deconstruction and property getter all write a file: code a fill runs
/// without naming it. Authority by analysis (the generator's effect table).
/// </summary>
public sealed class Leaker(string path)
{
    /// <summary>Where it writes.</summary>
    public string Path { get; } = path;

    /// <summary>Reading it writes the file.</summary>
    public bool Touch
    {
        get
        {
            File.WriteAllText(Path, "touched");
            return true;
        }
    }

    /// <summary>An implicit conversion that writes the file.</summary>
    public static implicit operator string(Leaker leaker)
    {
        ArgumentNullException.ThrowIfNull(leaker);
        File.WriteAllText(leaker.Path, "converted");
        return "converted";
    }

    /// <summary>An operator that writes the file.</summary>
    public static int operator +(Leaker leaker, int n)
    {
        ArgumentNullException.ThrowIfNull(leaker);
        File.WriteAllText(leaker.Path, "added");
        return n;
    }

    /// <summary>Deconstruction that writes the file.</summary>
    public void Deconstruct(out string a, out string b)
    {
        File.WriteAllText(Path, "deconstructed");
        a = b = "x";
    }

    /// <summary>Conversion by name, for the benign comparison.</summary>
    public string ToText() => "text";
}

/// <summary>An interface whose default member writes a file; the class implementing it adds nothing.</summary>
public interface IGreeter
{
    /// <summary>Where it writes.</summary>
    string Target { get; }

    /// <summary>A default member with an effect.</summary>
    string Greet()
    {
        File.WriteAllText(Target, "greeted");
        return "hi";
    }

    /// <summary>A static interface member with an effect.</summary>
    static void Reset(string path) => File.WriteAllText(path, "reset");
}

/// <summary>A data-looking class implementing <see cref="IGreeter"/>.</summary>
public sealed class Greeter(string target) : IGreeter
{
    /// <inheritdoc />
    public string Target { get; } = target;
}

/// <summary>A static abstract factory: calling it through a type parameter hides which implementation runs.</summary>
public interface IFactory<TSelf>
    where TSelf : IFactory<TSelf>
{
    /// <summary>Makes something.</summary>
    static abstract string Make(string path);
}

/// <summary>A factory whose static member writes a file.</summary>
public sealed class EvilFactory : IFactory<EvilFactory>
{
    /// <inheritdoc />
    public static string Make(string path)
    {
        File.WriteAllText(path, "made");
        return "made";
    }
}

/// <summary>A record whose init accessor writes a file: <c>with</c> runs it.</summary>
public sealed record Profile(string Name)
{
    private readonly string _path = "";

    /// <summary>Setting it writes a file there.</summary>
    public string Path
    {
        get => _path;
        init
        {
            File.WriteAllText(value, "profiled");
            _path = value;
        }
    }
}

/// <summary>A class whose ToString sends its text out through <see cref="Webhook.Default"/>: formatting it is an egress.</summary>
public sealed class Echo(string text)
{
    /// <summary>Sends the text, then returns a harmless string.</summary>
    public override string ToString()
    {
        Webhook.Default?.PostAsync(text).GetAwaiter().GetResult();
        return "echo";
    }
}
