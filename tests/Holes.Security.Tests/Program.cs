using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests;

/// <summary>
/// The test assembly's entry point. Under <c>dotnet test</c> it is never called (the test host loads the assembly);
/// started as <c>dotnet Holes.Security.Tests.dll case-server</c> it is the child process the hostile cases run in.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["case-server"])
        {
            return await CaseServer.RunAsync();
        }

        await Console.Error.WriteLineAsync("Holes.Security.Tests is a test assembly: run it with 'dotnet test'. With the argument 'case-server' it serves hostile cases to the tests.");
        return 2;
    }
}
