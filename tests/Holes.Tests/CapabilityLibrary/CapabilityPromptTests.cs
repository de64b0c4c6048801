using System.Text.RegularExpressions;
using Holes.Capabilities;
using Holes.Pipeline.Prompt;
using Holes.Testing;
using static Holes.Agents;

namespace Holes.Tests.CapabilityLibrary;

/// <summary>A hole handed a capability is shown its API; docs/prompt.md shows that section as the engine builds it.</summary>
public sealed partial class CapabilityPromptTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_hole_handed_a_file_system_sees_its_api()
    {
        var prompt = await PromptForFileSystemHoleAsync(_temp);

        Assert.StartsWith("`files` (IFileSystem) acts on the world for the program.", Section(prompt, "Capabilities handed in"), StringComparison.Ordinal);

        // The API is in the session context, which every later hole of the session shares.
        var section = Section(prompt, "Capability APIs");

        // Every member of the interface, with its doc summary.
        foreach (var member in typeof(IFileSystem).GetMembers().Where(m => m is not System.Reflection.MethodInfo { IsSpecialName: true }))
        {
            Assert.Contains(" " + member.Name, section, StringComparison.Ordinal);
        }

        Assert.Contains("        /// Reads a text file (UTF-8 unless it starts with another byte order mark). Refuses classified files.\n" +
            "        Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default);", section, StringComparison.Ordinal);
        Assert.Contains("    public interface IFileSystem\n", section, StringComparison.Ordinal);

        // And the data it exchanges: the records, and Classified<T> without Reveal, which fills may never call.
        Assert.Contains("public sealed record FileEntry(string Path, string Name, bool IsDirectory, long Length, DateTimeOffset LastModified, bool IsClassified);", section, StringComparison.Ordinal);
        Assert.Contains("/// IsClassified: Whether it is classified", section, StringComparison.Ordinal);
        Assert.Contains("Classified<TResult> Map<TResult>(Func<T, TResult> transform);", section, StringComparison.Ordinal);
        Assert.DoesNotContain("Reveal", section, StringComparison.Ordinal);

        // The grant itself is the value's preview; the system message does not change.
        Assert.Contains("- `files`: `Holes.Capabilities.IFileSystem` = FileSystem(read-only; roots: ", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_shows_once_even_when_the_generator_declared_the_type_too()
    {
        var prompt = await PromptForFileSystemHoleAsync(_temp);

        Assert.Single(Regex.Matches(prompt, "public interface IFileSystem", RegexOptions.None, TimeSpan.FromSeconds(1)));
        Assert.Single(Regex.Matches(prompt, "public sealed record FileEntry", RegexOptions.None, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_hole_without_capabilities_has_no_such_section()
    {
        var model = new ScriptedChatClient().ReplyWithCode("return n + 1;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;

        var n = 41;
        Assert.Equal(42, await agent<int>("add one", n));
        var title = "## Capabilities " + "handed in";   // split, since the prompt quotes this source
        Assert.DoesNotContain(title, model.Requests[0].Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_capability_in_the_library_is_described_with_its_members()
    {
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"] });
        var bindings = new HoleBindings()
            .Add<IFileSystem>("files", FileSystem.ReadOnly(_temp.Path))
            .Add("web", network)
            .Add<IProcessRunner>("shell", ProcessRunner.For(new AllowedCommand("/bin/echo", ".*")))
            .Add<IOutput>("log", Output.ToWriter(TextWriter.Null))
            .Add("data", new List<int> { 1 });

        var described = CapabilityDescriber.Describe(bindings.Items)!;
        var (text, declared) = (described.Sentence("below") + described.Api, described.Declared);

        Assert.StartsWith("`files` (IFileSystem), `web` (INetwork), `shell` (IProcessRunner), `log` (IOutput) act", text, StringComparison.Ordinal);
        foreach (var type in new[] { typeof(IFileSystem), typeof(INetwork), typeof(IProcessRunner), typeof(IOutput) })
        {
            Assert.Contains("public interface " + type.Name, declared);
            foreach (var member in type.GetMembers().Where(m => m is not System.Reflection.MethodInfo { IsSpecialName: true }))
            {
                Assert.Contains(" " + member.Name, text, StringComparison.Ordinal);
            }
        }

        Assert.Contains("public sealed record NetworkResponse(int StatusCode, string Body, string? ContentType, string Url, IReadOnlyDictionary<string, string> Headers, bool Truncated)\n    {\n        /// Whether the status code is 2xx.\n        bool IsSuccess { get; }\n    }", text, StringComparison.Ordinal);
        Assert.Contains("public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, bool Truncated);", text, StringComparison.Ordinal);
        Assert.Contains("Task<NetworkResponse> GetAsync(string url, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default);", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Dispose", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_programs_own_capabilities_are_described_the_same_way()
    {
        var bindings = new HoleBindings().Add("desk", new TicketDesk());

        var described = CapabilityDescriber.Describe(bindings.Items)!;
        var text = described.Sentence("below") + described.Api;

        Assert.Contains("`desk` (ITicketDesk) acts on the world", text, StringComparison.Ordinal);
        Assert.Contains("namespace Holes.Tests.CapabilityLibrary\n{\n", text, StringComparison.Ordinal);
        Assert.Contains("        Task<int> OpenAsync(Ticket ticket);", text, StringComparison.Ordinal);
        Assert.Contains("public sealed record Ticket(string Title, int Priority);", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", text, StringComparison.Ordinal);   // not on the interface
    }

    [Fact]
    public async Task Prompt_doc_shows_the_real_capabilities_section()
    {
        var prompt = await PromptForFileSystemHoleAsync(_temp);
        var path = Path.Combine(RepositoryRoot(), "docs", "prompt.md");
        var text = File.ReadAllText(path);
        var sections = new Dictionary<string, string>
        {
            ["capability-apis"] = "## Capability APIs\n" + Section(prompt, "Capability APIs"),
            ["capabilities"] = "## Capabilities handed in\n" + Section(prompt, "Capabilities handed in"),
        };

        foreach (var (name, section) in sections)
        {
            var example = new Regex($@"(?<head><!-- example:{name} -->\r?\n````text\r?\n)(?<body>.*?)(?<tail>^````)", RegexOptions.Singleline | RegexOptions.Multiline, TimeSpan.FromSeconds(5));
            if (Environment.GetEnvironmentVariable("HOLES_UPDATE_GOLDEN") == "1")
            {
                text = example.Replace(text, m => m.Groups["head"].Value + section.TrimEnd() + "\n" + m.Groups["tail"].Value);
                continue;
            }

            var match = example.Match(text);
            Assert.True(match.Success, $"docs/prompt.md has no <!-- example:{name} --> block");
            Assert.Equal(section.TrimEnd(), match.Groups["body"].Value.TrimEnd().ReplaceLineEndings("\n"));
        }

        if (Environment.GetEnvironmentVariable("HOLES_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, text);
        }
    }

    /// <summary>The hole docs/prompt.md's capabilities example shows: a fill handed a read-only FileSystem.</summary>
    private static async Task<string> PromptForFileSystemHoleAsync(TempFolder temp)
    {
        temp.File("notes/todo.md", "- write the docs\n- ship it");
        var model = new ScriptedChatClient().ReplyWithCode("var text = await files.ReadTextAsync(\"todo.md\"); return text.Split('\\n').Length;");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;

        IFileSystem files = FileSystem.ReadOnly(Path.Combine(temp.Path, "notes"));
        var count = await agent<int>("how many items are on the to-do list in todo.md", files);

        Assert.Equal(2, count);
        return model.Requests[0].Prompt;
    }

    private static string Section(string prompt, string title)
    {
        var start = prompt.IndexOf("## " + title + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{title}' section in:\n{prompt}");
        start += title.Length + 4;
        var end = prompt.IndexOf("\n## ", start, StringComparison.Ordinal);
        return prompt[start..(end < 0 ? prompt.Length : end)];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Holes.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Holes.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A program's own capability, as a test stands in for one.</summary>
[Capability]
public interface ITicketDesk
{
    /// <summary>Opens a ticket.</summary>
    /// <param name="ticket">The ticket.</param>
    /// <returns>Its number.</returns>
    Task<int> OpenAsync(Ticket ticket);
}

/// <summary>A ticket.</summary>
/// <param name="Title">Its title.</param>
/// <param name="Priority">1 is the most urgent.</param>
public sealed record Ticket(string Title, int Priority);

internal sealed class TicketDesk : ITicketDesk
{
    public string Secret => "not part of the capability";

    public Task<int> OpenAsync(Ticket ticket) => Task.FromResult(1);
}
