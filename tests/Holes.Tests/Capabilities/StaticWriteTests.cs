using Holes.Capabilities;
using Holes.Testing;

namespace Holes.Tests.Capabilities;

/// <summary>
/// Static state never changes, in any shape: HOLE1012 when a static member itself is written, HOLE032 when state
/// reached through one changes. The policy here grants reading the program's statics, so each case shows the write
/// rule on its own (a grant to read is no grant to write).
/// </summary>
public class StaticWriteTests
{
    private static readonly System.Reflection.Assembly Host = HostAssemblies.WithTable;

    private static HoleOptions ReadGranted => new() { Policy = new CapabilityPolicy { AllowedTypes = ["Host.Config", "Host.Geometry"] } };

    public static TheoryData<string, string, string> Writes => new()
    {
        // The static member itself.
        { "Host.Config.Current = \"x\";", "HOLE1012", "assigns static member 'Host.Config.Current'" },
        { "Host.Config.Current += \"x\";", "HOLE1012", "assigns static member 'Host.Config.Current'" },
        { "Host.Config.Current ??= \"x\";", "HOLE1012", "assigns static member 'Host.Config.Current'" },
        { "Host.Geometry.Counter++;", "HOLE1012", "increments or decrements static member 'Host.Geometry.Counter'" },
        { "--Host.Geometry.Counter;", "HOLE1012", "increments or decrements static member 'Host.Geometry.Counter'" },
        { "int.TryParse(\"5\", out Host.Geometry.Counter);", "HOLE1012", "passes by ref or out static member 'Host.Geometry.Counter'" },
        { "System.Threading.Volatile.Write(ref Host.Geometry.Counter, 5);", "HOLE1012", "passes by ref or out" },
        { "ref int r = ref Host.Geometry.Counter; r = 5;", "HOLE1012", "takes a writable ref to static member 'Host.Geometry.Counter'" },
        { "ref int Counter() => ref Host.Geometry.Counter; Counter() = 5;", "HOLE1012", "returns a writable ref to static member 'Host.Geometry.Counter'" },
        { "(Host.Config.Current, var n) = (\"x\", 1);", "HOLE1012", "assigns static member 'Host.Config.Current'" },
        { "Host.Config.CurrentProperty = \"x\";", "HOLE1012", "assigns static member 'Host.Config.CurrentProperty'" },
        { "Host.Config.Changed += () => { };", "HOLE1012", "subscribes to static member 'Host.Config.Changed'" },
        { "Host.Config.V = new Host.Vector();", "HOLE1012", "assigns static member 'Host.Config.V'" },
        { "System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;", "HOLE1012", "CurrentCulture" },

        // State reached through a static: collection mutators, setters, elements, struct members.
        { "Host.Config.Items.Add(\"x\");", "HOLE032", "calls 'Add', which changes static member 'Host.Config.Items'" },
        { "Host.Config.Items.Clear();", "HOLE032", "calls 'Clear'" },
        { "Host.Config.Items.RemoveAt(0);", "HOLE032", "calls 'RemoveAt'" },
        { "Host.Config.Items[0] = \"x\";", "HOLE032", "static member 'Host.Config.Items'" },
        { "Host.Config.Counts[\"k\"] = 1;", "HOLE032", "static member 'Host.Config.Counts'" },
        { "Host.Config.Counts.TryAdd(\"k\", 1);", "HOLE032", "calls 'TryAdd'" },
        { "Host.Config.Numbers[0] = 5;", "HOLE032", "static member 'Host.Config.Numbers'" },
        { "Host.Config.Numbers[0]++;", "HOLE032", "static member 'Host.Config.Numbers'" },
        { "Array.Sort(Host.Config.Numbers);", "HOLE032", "hands it to 'Sort'" },
        { "Array.Fill(Host.Config.Numbers, 0);", "HOLE032", "hands it to 'Fill'" },
        { "Random.Shared.Shuffle(Host.Config.Numbers);", "HOLE032", "hands it to 'Shuffle'" },
        { "Array.Copy(new[] { 7 }, Host.Config.Numbers, 1);", "HOLE032", "hands it to 'Copy'" },
        { "new[] { 9, 9, 9 }.CopyTo(Host.Config.Numbers, 0);", "HOLE032", "hands it to 'CopyTo'" },
        { "Host.Config.Numbers.AsSpan().Fill(0);", "HOLE032", "static member 'Host.Config.Numbers'" },
        { "Span<int> s = Host.Config.Numbers; s[0] = 1;", "HOLE032", "takes a writable span over" },
        { "Action<string> add = Host.Config.Items.Add; add(\"x\");", "HOLE032", "makes a delegate of 'Add'" },
        { "Host.Config.Settings.Name = \"x\";", "HOLE032", "static member 'Host.Config.Settings'" },
        { "Host.Config.Settings.Tags.Add(\"x\");", "HOLE032", "static member 'Host.Config.Settings'" },
        { "Host.Config.Shared.Value = 1;", "HOLE032", "static member 'Host.Config.Shared'" },
        { "Host.Config.Shared.Value += 1;", "HOLE032", "static member 'Host.Config.Shared'" },
        { "Host.Config.V.X = 3;", "HOLE032", "static member 'Host.Config.V'" },
        { "Host.Config.V.Bump();", "HOLE032", "calls 'Bump'" },
        { "Host.Config.Items?.Add(\"x\");", "HOLE032", "calls 'Add'" },
        { "(true ? Host.Config.Items : new List<string>()).Add(\"x\");", "HOLE032", "calls 'Add'" },
        { "System.Text.Json.JsonSerializerOptions.Default.Converters.Clear();", "HOLE032", "JsonSerializerOptions.Default" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Every_shape_of_static_write_is_rejected(string code, string id, string mentions)
    {
        _ = Host;
        await using var session = new AgentSession(new ScriptedChatClient(), ReadGranted);
        await Expect.Rejected<int>(session, code + " return 0;", null, id, mentions);

        Assert.Equal("a", HostAssemblies.Static(Host, "Host.Config", "Current"));
        Assert.Equal(0, HostAssemblies.Static(Host, "Host.Geometry", "Counter"));
        Assert.Equal(["a"], (List<string>)HostAssemblies.Static(Host, "Host.Config", "Items")!);
        Assert.Equal([3, 1, 2], (int[])HostAssemblies.Static(Host, "Host.Config", "Numbers")!);
    }

    public static TheoryData<string> Reads => new()
    {
        "return Host.Config.Items.Count;",
        "return Host.Config.Items.Contains(\"a\") ? 1 : 0;",
        "return Host.Config.Items.IndexOf(\"a\");",
        "return Host.Config.Numbers.Sum();",
        "return Host.Config.Numbers.OrderBy(n => n).First();",
        "var total = 0; foreach (var n in Host.Config.Numbers) { total += n; } return total;",
        "return Host.Config.Counts.TryGetValue(\"k\", out var v) ? v : 0;",
        "return Host.Config.V.Read();",
        "return Host.Config.FrozenV.Read();",
        "var copy = new List<string>(Host.Config.Items); copy.Add(\"x\"); return copy.Count;",
        "var copy = Host.Config.Numbers.ToArray(); Array.Sort(copy); return copy[0];",
        "var copy = new int[3]; Array.Copy(Host.Config.Numbers, copy, 3); return copy[0];",
        "return Host.Config.Settings.Name.Length;",
        "return Random.Shared.Next(1, 2);",
        "var deck = new[] { 1, 2, 3 }; Random.Shared.Shuffle(deck); return deck.Length;",
        "var sorted = new List<int> { 3, 1 }; sorted.Sort(); sorted.Reverse(); return sorted[0];",
        "return Encoding.UTF8.GetBytes(\"abc\").Length;",
        "return EqualityComparer<int>.Default.Equals(1, 1) ? 1 : 0;",
        "return StringComparer.Ordinal.Compare(\"a\", \"a\");",
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Reading_static_state_and_changing_copies_is_fine(string code)
    {
        _ = Host;
        await using var session = new AgentSession(new ScriptedChatClient(), ReadGranted);
        Expect.Accepted(await session.ExecuteAsync<int>(code));
    }
}
