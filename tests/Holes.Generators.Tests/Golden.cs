using System.Runtime.CompilerServices;

namespace Holes.Generators.Tests;

/// <summary>
/// Byte-for-byte comparison of generated source with files under <c>Golden/</c> (line endings normalized).
/// To accept a deliberate change, run the tests with <c>HOLES_UPDATE_GOLDEN=1</c>: each golden file is then
/// rewritten from the current output and the comparison is skipped. Review the diff before committing; without
/// the variable any difference fails the test.
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "HOLES_UPDATE_GOLDEN";

    public static void AssertMatches(string name, string actual, [CallerFilePath] string callerFilePath = "")
    {
        string fileName = name + ".g.cs.txt";
        string sourceDirectory = Path.Combine(Path.GetDirectoryName(callerFilePath) ?? "", "Golden");
        string normalized = Normalize(actual);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(sourceDirectory);
            File.WriteAllText(Path.Combine(sourceDirectory, fileName), normalized);
            return;
        }

        string path = Path.Combine(sourceDirectory, fileName);
        if (!File.Exists(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, "Golden", fileName);
        }

        Assert.True(File.Exists(path), $"Golden file {fileName} is missing; run the tests with {UpdateVariable}=1 to create it.");
        string expected = Normalize(File.ReadAllText(path));
        Assert.Equal(expected, normalized);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
