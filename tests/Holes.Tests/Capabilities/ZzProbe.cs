using Holes.Capabilities;
using Holes.Testing;
namespace Holes.Tests.Capabilities;
public class ZzProbe
{
    [Fact]
    public async Task Print()
    {
        _ = HostAssemblies.WithTable;
        var options = new HoleOptions { Policy = new CapabilityPolicy { AllowedTypes = ["Host.Config", "Host.Geometry"] } };
        await using var session = new AgentSession(new ScriptedChatClient(), options);
        var lines = new List<string>();
        foreach (var code in File.ReadAllLines("/tmp/probe/codes.txt"))
        {
            var r = await session.ExecuteAsync<int>(code);
            lines.Add("== " + code + "\n" + r.Status + "\n" + string.Join("\n", r.Diagnostics) + r.Exception?.Message);
        }
        File.WriteAllText("/tmp/probe/out.txt", string.Join("\n", lines));
    }
}
