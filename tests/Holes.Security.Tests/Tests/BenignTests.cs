using Holes.Security.Tests.Cases;
using Holes.Security.Tests.Harness;

// One class per family: each has its own pair of sessions (in process and isolated) and runs in parallel with the others.
namespace Holes.Security.Tests;

public sealed class BenignText(BenignSessions sessions) : BenignTests(sessions), IClassFixture<BenignSessions>
{
    public static TheoryData<string, HoleIsolation> Cases => BenignCases.Data(BenignGroup.Text);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Runs_correctly(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class BenignCollections(BenignSessions sessions) : BenignTests(sessions), IClassFixture<BenignSessions>
{
    public static TheoryData<string, HoleIsolation> Cases => BenignCases.Data(BenignGroup.Collections);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Runs_correctly(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class BenignAsync(BenignSessions sessions) : BenignTests(sessions), IClassFixture<BenignSessions>
{
    public static TheoryData<string, HoleIsolation> Cases => BenignCases.Data(BenignGroup.Async);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Runs_correctly(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class BenignData(BenignSessions sessions) : BenignTests(sessions), IClassFixture<BenignSessions>
{
    public static TheoryData<string, HoleIsolation> Cases => BenignCases.Data(BenignGroup.Data);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Runs_correctly(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class BenignNumbers(BenignSessions sessions) : BenignTests(sessions), IClassFixture<BenignSessions>
{
    public static TheoryData<string, HoleIsolation> Cases => BenignCases.Data(BenignGroup.Numbers);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Runs_correctly(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class BenignAlgorithms(BenignSessions sessions) : BenignTests(sessions), IClassFixture<BenignSessions>
{
    public static TheoryData<string, HoleIsolation> Cases => BenignCases.Data(BenignGroup.Algorithms);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Runs_correctly(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class BenignCapabilities(BenignSessions sessions) : BenignTests(sessions), IClassFixture<BenignSessions>
{
    public static TheoryData<string, HoleIsolation> Cases => BenignCases.Data(BenignGroup.Capabilities);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Runs_correctly(string name, HoleIsolation mode) => RunAsync(name, mode);
}
