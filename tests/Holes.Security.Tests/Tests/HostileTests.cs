using Holes.Security.Tests.Cases;
using Holes.Security.Tests.Harness;

// One class per family: each is its own xunit collection with its own child process, so families run in parallel
// (bounded by ChildHost's gate) and a family's child is reused across its cases until one leaves something behind.
namespace Holes.Security.Tests;

public sealed class BudgetBypasses(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Budget);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class StackExhaustion(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Stack);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class HeapLimitedStackExhaustion(ContainerChildHost child) : HostileTests(child), IClassFixture<ContainerChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.HeapLimitedStack);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class MemoryBombs(ContainerChildHost child) : HostileTests(child), IClassFixture<ContainerChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Memory);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class LeakedConcurrency(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Concurrency);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class ProcessWideState(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.ProcessState);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class BlockingWaits(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Blocking);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class VerifierConfusion(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Verifier);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class SessionCorruption(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Session);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class CompileBombs(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.CompileBomb);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class CapabilityForging(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Forging);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class ScopeEscape(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.ScopeEscape);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class ClassifiedLeaks(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Classified);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}

public sealed class PromptInjection(ChildHost child) : HostileTests(child), IClassFixture<ChildHost>
{
    public static TheoryData<string, HoleIsolation> Cases => HostileCases.Data(Category.Injection);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Is_blocked(string name, HoleIsolation mode) => RunAsync(name, mode);
}
