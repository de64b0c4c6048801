using Holes.Pipeline.Run;
using Holes.Testing;

namespace Holes.Tests.Hardening;

/// <summary>Text shown to a model or a fill carries no host paths: each absolute path becomes its file name.</summary>
public class HostPathTests
{
    [Theory]
    [InlineData("Could not find file '/home/alice/src/app/data/secret.json'.", "Could not find file 'secret.json'.")]
    [InlineData(@"Could not find file 'C:\Users\alice\app\secret.json'.", "Could not find file 'secret.json'.")]
    [InlineData("at Program.Main() in /build/app/Program.cs:line 12", "at Program.Main() in Program.cs:line 12")]
    [InlineData("ratio 3/4 and a/b stay", "ratio 3/4 and a/b stay")]
    [InlineData("see https://example.com/docs/page", "see https://example.com/docs/page")]
    [InlineData("", "")]
    public void Absolute_paths_become_file_names(string text, string expected) => Assert.Equal(expected, HostPaths.Strip(text));

    [Fact]
    public async Task A_faulted_fills_message_names_no_host_path()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var result = await session.ExecuteAsync<int>("throw new InvalidOperationException(\"cannot open /home/alice/project/notes/todo.md now\");");

        var faulted = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.DoesNotContain("/home/alice", faulted.Message, StringComparison.Ordinal);
        Assert.Contains("todo.md", faulted.Message, StringComparison.Ordinal);
    }
}
