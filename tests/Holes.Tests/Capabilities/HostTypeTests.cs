using Holes.Capabilities;
using Holes.Testing;

namespace Holes.Tests.Capabilities;

/// <summary>
/// Authority by reference: the program's data types are used freely, its authority types only through a reference
/// handed in, and its static members only where they cannot be shared mutable state or an effect.
/// </summary>
public class HostTypeTests
{
    private static readonly System.Reflection.Assembly Host = HostAssemblies.WithTable;
    private static readonly System.Reflection.Assembly Library = HostAssemblies.WithoutTable;

    [Theory]
    [InlineData("var p = new Host.Point(3, 4); return p.Length();", 5.0)]
    [InlineData("var p = new Host.Point(3, 4) with { Y = 0 }; return p.X + p.Y;", 3.0)]
    [InlineData("return new Host.Point(1, 2) == new Host.Point(1, 2) ? 1 : 0;", 1.0)]
    [InlineData("var p = new Host.Point(3, 4); var (x, y) = p; return x * y;", 12.0)]
    public async Task Data_types_of_the_program_are_constructed_read_and_called(string code, double expected)
    {
        _ = Host;
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.Equal(expected, Expect.Accepted(await session.ExecuteAsync<double>(code)));
    }

    [Fact]
    public async Task Authority_is_used_through_the_reference_handed_in()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var shell = HostAssemblies.Create(Host, "Host.Shell");
        var result = await session.ExecuteAsync<string>("return shell.Run(\"ls\");", new HoleBindings().Add("shell", shell.GetType(), shell));
        Assert.Equal("ran ls", Expect.Accepted(result));
    }

    [Theory]
    [InlineData("var s = new Host.Shell(); return s.Run(\"rm -rf /\");", "HOLE030", "Shell.Run → System.Diagnostics.Process.Start")]
    [InlineData("Host.Shell s = new(); return \"x\";", "HOLE030", "Shell.Run → System.Diagnostics.Process.Start")]
    [InlineData("return Host.Shell.Version();", "HOLE031", "Shell.Run → System.Diagnostics.Process.Start")]
    [InlineData("return Host.Shell.Default.Run(\"ls\");", "HOLE031", "authority type 'Host.Shell'")]
    [InlineData("var m = new Holes.Tests.Capabilities.Mailbox(); return \"x\";", "HOLE030", "marked [Capability]")]
    [InlineData("T Make<T>() where T : new() => new T(); var m = Make<Holes.Tests.Capabilities.Mailbox>(); return \"x\";", "HOLE030", "new() constraint")]
    public async Task Authority_is_never_created_nor_reached_through_a_static(string code, string id, string mentions)
    {
        _ = Host;
        await using var session = new AgentSession(new ScriptedChatClient());
        await Expect.Rejected<string>(session, code, null, id, mentions);
    }

    [Theory]
    [InlineData("return Host.Geometry.Tau;", 6.28)]
    [InlineData("return Host.Geometry.Name.Length;", 8.0)]
    [InlineData("return Host.Geometry.Origin.X;", 0.0)]
    [InlineData("return Host.Geometry.Area(1);", 3.14)]
    [InlineData("return Host.Geometry.Unit;", 1.0)]
    [InlineData("return Host.Geometry.Twice(2);", 4.0)]
    [InlineData("return Host.Geometry.Fixed.Length;", 2.0)]
    [InlineData("return Host.Geometry.Units.Count;", 2.0)]
    public async Task Harmless_statics_of_the_program_are_allowed(string code, double expected)
    {
        // A constant, a static readonly field of an immutable type, a member the generator proved effect-free, [Pure].
        _ = Host;
        await using var session = new AgentSession(new ScriptedChatClient());
        Assert.Equal(expected, Expect.Accepted(await session.ExecuteAsync<double>(code)), 5);
    }

    [Theory]
    [InlineData("return Host.Geometry.Unproven(1);", "did not prove it effect-free")]
    [InlineData("return Host.Geometry.Counter;", "Host.Geometry.Counter")]
    [InlineData("return Host.Geometry.Primes.Count;", "Host.Geometry.Primes")]
    [InlineData("return Host.Geometry.Building.Count;", "Host.Geometry.Building")]
    [InlineData("return Host.Holders.Hidden.X;", "Host.Holders.Hidden")]
    [InlineData("Host.Config.Reload(); return 0;", "Config.Reload → writes Host.Config.Current")]
    [InlineData("System.Func<int, int> f = Host.Geometry.Unproven; return f(1);", "Host.Geometry.Unproven")]
    public async Task Other_statics_of_the_program_are_denied_with_the_reason(string code, string mentions)
    {
        // A mutable static, a readonly field of a mutable type (a List, a class with private state), a member that
        // reaches an effect (the path is named), a member the generator did not prove effect-free.
        _ = Host;
        await using var session = new AgentSession(new ScriptedChatClient());
        await Expect.Rejected<int>(session, code, null, "HOLE031", mentions);
        Assert.Equal("a", HostAssemblies.Static(Host, "Host.Config", "Current"));
    }

    [Fact]
    public async Task The_policy_can_grant_a_static_member_of_the_program()
    {
        _ = Host;
        var options = new HoleOptions { Policy = new CapabilityPolicy { AllowedTypes = ["Host.Geometry"] } };
        await using var session = new AgentSession(new ScriptedChatClient(), options);
        Assert.Equal(7, Expect.Accepted(await session.ExecuteAsync<int>("return Host.Geometry.Unproven(7);")));
    }

    [Fact]
    public async Task A_library_without_an_effect_table_falls_back_to_the_policy()
    {
        // Data is still constructed and used; statics are allowed only when constant, readonly immutable or [Pure].
        _ = Library;
        await using var session = new AgentSession(new ScriptedChatClient());
        var allowed = await session.ExecuteAsync<decimal>(
            "var m = new Library.Money(1.005m, Library.Rates.Base).Add(Library.Rates.Zero); return Library.Rates.Round(m.Amount);");
        Assert.Equal(1.00m, Expect.Accepted(allowed));

        await Expect.Rejected<decimal>(session, "return Library.Rates.Lookup(\"USD\");", null, "HOLE031", "built without Holes' effect analysis");
        await Expect.Rejected<int>(session, "return Library.Rates.Known.Count;", null, "HOLE031", "Library.Rates.Known");
    }

    [Fact]
    public async Task A_denied_namespace_is_reported_once_not_also_as_a_static()
    {
        _ = Host;
        var options = new HoleOptions { Policy = new CapabilityPolicy { DeniedNamespaces = ["Host"] } };
        await using var session = new AgentSession(new ScriptedChatClient(), options);
        var result = await session.ExecuteAsync<int>("return Host.Geometry.Counter;");
        Assert.Equal("HOLE1016", Assert.Single(result.Diagnostics).Id);
    }
}
