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
    public async Task A_static_the_developer_marked_Pure_is_allowed_though_the_compiler_drops_the_attribute()
    {
        // [Pure] is [Conditional("CONTRACTS_FULL")]: this project does not define it, so only the generator saw it.
        Assert.Null(typeof(BuiltTableVouched).GetMethod(nameof(BuiltTableVouched.Label))!.GetCustomAttribute<System.Diagnostics.Contracts.PureAttribute>());
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.Equal("#7", Expect.Accepted(await session.ExecuteAsync<string>("return Holes.Tests.Capabilities.BuiltTableVouched.Label(7);")));
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

/// <summary>A static the developer vouches for with <c>[Pure]</c>, though it writes a trace line, for <see cref="BuildStepTableTests"/>.</summary>
public static class BuiltTableVouched
{
    /// <summary>A label; traces the call through <see cref="BuiltTableTrace"/>, an effect the analysis would report.</summary>
    [System.Diagnostics.Contracts.Pure]
    public static string Label(int n)
    {
        BuiltTableTrace.Write(n);
        return "#" + n;
    }
}

/// <summary>Counts calls in a static: mutable static state, so authority.</summary>
public static class BuiltTableTrace
{
    private static int s_calls;

    /// <summary>Counts one call.</summary>
    public static void Write(int n) => s_calls += n == int.MinValue ? 0 : 1;
}
