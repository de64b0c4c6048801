using Holes.Capabilities;
using Holes.Testing;

namespace Holes.Tests.CapabilityLibrary;

/// <summary>Fills use a capability they are handed, through its interface, and can never make one.</summary>
public sealed class CapabilityFillTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _root;

    public CapabilityFillTests()
    {
        _root = _temp.Folder("root");
        _temp.File("root/notes.txt", "alpha\nbeta\ngamma");
        _temp.File("root/docs/a.md", "# A");
        _temp.File("outside.txt", "outside");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_fill_reads_a_file_through_the_file_system_it_was_handed()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var files = FileSystem.ReadOnly(_root);

        var result = await session.ExecuteAsync<int>(
            "var text = await files.ReadTextAsync(\"notes.txt\"); var listing = await files.WalkAsync(\".\"); return text.Split('\\n').Length + listing.Entries.Count(e => !e.IsDirectory);",
            new HoleBindings().Add<IFileSystem>("files", files));

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(5, result.Value);
    }

    [Fact]
    public async Task A_fill_reports_progress_through_the_output_it_was_handed()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var writer = new StringWriter { NewLine = "\n" };

        var result = await session.ExecuteAsync<int>(
            "var listing = await files.ListAsync(\".\"); log.WriteLine($\"{listing.Entries.Count} entries\"); return listing.Entries.Count;",
            new HoleBindings().Add<IFileSystem>("files", FileSystem.ReadOnly(_root)).Add<IOutput>("log", Output.ToWriter(writer)));

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, result.Value);
        Assert.Equal("2 entries\n", writer.ToString());
    }

    [Fact]
    public async Task A_fill_handed_the_class_uses_it_like_the_interface()
    {
        await using var session = new AgentSession(new ScriptedChatClient());

        var result = await session.ExecuteAsync<string>(
            "return await files.ReadTextAsync(\"docs/a.md\");",
            new HoleBindings().Add("files", FileSystem.ReadOnly(_root)));

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.Equal("# A", result.Value);
    }

    [Fact]
    public async Task The_file_systems_refusal_reaches_the_fill_as_an_exception()
    {
        await using var session = new AgentSession(new ScriptedChatClient());

        var result = await session.ExecuteAsync<string>(
            "try { return await files.ReadTextAsync(\"../outside.txt\"); } catch (Holes.Capabilities.CapabilityDeniedException e) { return e.Capability + \": \" + e.Message; }",
            new HoleBindings().Add<IFileSystem>("files", FileSystem.ReadOnly(_root)));

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics));
        Assert.StartsWith("FileSystem: '../outside.txt' is outside", result.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return (await Holes.Capabilities.FileSystem.ReadWrite(\"/\").ReadTextAsync(\"etc/hostname\"));", "HOLE030", "FileSystem.ReadWrite")]
    [InlineData("var other = new Holes.Capabilities.FileSystem(null!); return \"\";", "HOLE030", "FileSystem.FileSystem")]
    [InlineData("return Holes.Capabilities.ProcessRunner.For(new Holes.Capabilities.AllowedCommand(\"/bin/sh\")).ToString();", "HOLE030", "ProcessRunner.For")]
    [InlineData("return Holes.Capabilities.Output.ToConsole().ToString();", "HOLE030", "Output.ToConsole")]
    [InlineData("var o = new Holes.Capabilities.FileSystemOptions(); return \"\";", "HOLE1014", "FileSystemOptions")]
    public async Task A_fill_can_never_make_a_capability(string code, string id, string symbol)
    {
        await using var session = new AgentSession(new ScriptedChatClient());

        var result = await session.ExecuteAsync<string>(code, new HoleBindings().Add<IFileSystem>("files", FileSystem.ReadOnly(_root)));

        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Message.Contains(symbol, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fill_uses_only_the_members_of_the_capabilitys_interface()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        using var network = new Network(new NetworkOptions { AllowedHosts = ["api.example.com"] });

        var result = await session.ExecuteAsync<string>("web.Dispose(); return \"\";", new HoleBindings().Add("web", network));

        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == "HOLE1014" && d.Message.Contains("Network.Dispose", StringComparison.Ordinal));
    }
}
