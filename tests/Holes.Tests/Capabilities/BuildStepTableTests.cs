using System.Reflection;
using Holes.Runtime;
using Holes.Testing;

namespace Holes.Tests.Capabilities;

/// <summary>
/// The effect table of this test assembly itself, written by the build step (Holes.Effects) after CoreCompile: fills
/// call its effect-free statics, and are refused its effectful ones with the path the step recorded.
/// </summary>
public class BuildStepTableTests
{
    [Fact]
    public void The_build_step_wrote_this_assemblys_table()
    {
        Assembly tests = typeof(BuildStepTableTests).Assembly;
        Assert.NotNull(tests.GetCustomAttribute<HoleEffectsAnalyzedAttribute>());
        Assert.Contains(tests.GetCustomAttributes<HoleEffectFreeAttribute>(), a => a.Symbol == "M:Holes.Tests.Capabilities.BuiltTableHost.Twice(System.Int32)");
        Assert.Contains(tests.GetCustomAttributes<HoleEffectAttribute>(), a =>
            a.Symbol == "M:Holes.Tests.Capabilities.BuiltTableShell.Launch(System.String)" && a.Path == "BuiltTableShell.Launch → System.Diagnostics.Process.Start");
    }

    [Fact]
    public async Task An_effect_free_static_of_the_host_is_allowed()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.Equal(4, Expect.Accepted(await session.ExecuteAsync<int>("return Holes.Tests.Capabilities.BuiltTableHost.Twice(2);")));
    }

    [Fact]
    public async Task A_static_that_reaches_an_effect_is_denied_with_its_path()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        await Expect.Rejected<string>(session, "return Holes.Tests.Capabilities.BuiltTableShell.Launch(\"ls\");", null, "HOLE031",
            "BuiltTableShell.Launch → System.Diagnostics.Process.Start");
    }
}

/// <summary>A pure static of the host program for <see cref="BuildStepTableTests"/>.</summary>
public static class BuiltTableHost
{
    /// <summary>Pure arithmetic, through a lambda the compiler lowers to a method of its own.</summary>
    public static int Twice(int x) => new[] { x }.Select(v => v * 2).Single();
}

/// <summary>A static of the host program that starts a process, for <see cref="BuildStepTableTests"/>.</summary>
public static class BuiltTableShell
{
    /// <summary>Starts a process (never called: the fill that tries is refused).</summary>
    public static string Launch(string command)
    {
        using var process = System.Diagnostics.Process.Start(command);
        return command;
    }
}
