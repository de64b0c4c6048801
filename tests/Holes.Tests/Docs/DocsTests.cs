using System.Text.RegularExpressions;
using Holes.Pipeline.Prompt;
using Holes.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Holes.Agents;

namespace Holes.Tests.Docs;

/// <summary>
/// Keeps docs/ true: every ```csharp block compiles as a program against Holes, and docs/prompt.md shows the
/// prompt the engine really builds for <see cref="PromptExample"/>. Blocks fenced as ```c# are fill snippets and are
/// not compiled on their own. Set HOLES_UPDATE_GOLDEN=1 to rewrite the prompt example after an intended change.
/// </summary>
public partial class DocsTests
{
    private static readonly string DocsFolder = Path.Combine(RepositoryRoot(), "docs");

    public static TheoryData<string, int> CSharpBlocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(DocsFolder, "*.md").Order(StringComparer.Ordinal))
        {
            var count = Block().Matches(WithoutExamples(File.ReadAllText(file))).Count;
            for (var i = 0; i < count; i++)
            {
                data.Add(Path.GetFileName(file), i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Csharp_blocks_in_the_docs_compile(string file, int index)
    {
        var code = Block().Matches(WithoutExamples(File.ReadAllText(Path.Combine(DocsFolder, file))))[index].Groups["code"].Value;
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        // The implicit usings of an SDK console project, as a reader's project would have them.
        var implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading.Tasks;",
            new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("DocExample", [tree, implicitUsings], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{file} block {index}:\n{string.Join("\n", errors)}\n{code}");
    }

    [Fact]
    public async Task Prompt_doc_shows_the_real_prompt()
    {
        var model = await PromptExample.RunAsync();
        // The second hole's message starts with the first's session context, byte for byte: the context only grows.
        var first = model.Requests[0].Prompt;
        var context = first[..first.IndexOf("\n# Hole at ", StringComparison.Ordinal)];
        var second = model.Requests[2].Prompt;
        Assert.StartsWith(context, second, StringComparison.Ordinal);
        Assert.Equal(model.Requests[0].SystemPrompt, model.Requests[2].SystemPrompt);

        var actual = new Dictionary<string, string>
        {
            ["system"] = SystemPrompt.Text,
            ["hole"] = first,
            ["retry"] = model.Requests[1].LastMessage,
            ["reply"] = model.Requests[1].Messages[^2].Text,
            ["second-hole"] = second[context.Length..].TrimStart('\n'),
        };

        AssertExamples(actual);
    }

    [Fact]
    public async Task Prompt_doc_shows_the_models_section_of_a_session_with_several_models()
    {
        var main = new ScriptedChatClient { ModelId = "gpt-4.1" }.ReplyWithCode("return 1;");
        var fast = new ScriptedChatClient { ModelId = "gpt-4.1-mini" };
        await using var session = new AgentSession(main, new Dictionary<string, AgentModel>
        {
            ["fast"] = new(fast, "cheap and quick: summaries, lookups, small transformations"),
        });
        using (session.Enter())
        {
            await agent<int>("the answer");
        }

        var prompt = main.Requests[0].Prompt;
        var models = prompt[prompt.IndexOf("## Models\n", StringComparison.Ordinal)..];
        models = models[..models.IndexOf("\n## ", StringComparison.Ordinal)];
        var hole = prompt[(prompt.IndexOf("\n# Hole at ", StringComparison.Ordinal) + 1)..];
        hole = string.Join("\n", hole.Split('\n').Take(2));
        AssertExamples(new Dictionary<string, string> { ["models"] = models, ["models-hole"] = hole });
    }

    /// <summary>Each named example block of docs/prompt.md shows exactly the text given; HOLES_UPDATE_GOLDEN=1 rewrites them.</summary>
    private static void AssertExamples(Dictionary<string, string> actual)
    {
        var path = Path.Combine(DocsFolder, "prompt.md");
        var text = File.ReadAllText(path);
        if (Environment.GetEnvironmentVariable("HOLES_UPDATE_GOLDEN") == "1")
        {
            foreach (var (name, value) in actual)
            {
                text = Example(name).Replace(text, m => m.Groups["head"].Value + value.TrimEnd() + "\n" + m.Groups["tail"].Value);
            }

            File.WriteAllText(path, text);
            return;
        }

        foreach (var (name, value) in actual)
        {
            var match = Example(name).Match(text);
            Assert.True(match.Success, $"docs/prompt.md has no <!-- example:{name} --> block");
            Assert.Equal(value.TrimEnd().ReplaceLineEndings("\n"), match.Groups["body"].Value.TrimEnd().ReplaceLineEndings("\n"));
        }
    }

    /// <summary>Recorded prompts (in ````text fences) quote source; they are checked by the prompt test, not compiled.</summary>
    private static string WithoutExamples(string markdown) => RecordedExample().Replace(markdown, "");

    [GeneratedRegex(@"^````text\r?\n.*?^````", RegexOptions.Singleline | RegexOptions.Multiline, matchTimeoutMilliseconds: 5000)]
    private static partial Regex RecordedExample();

    private static Regex Example(string name) => new(
        $@"(?<head><!-- example:{name} -->\r?\n````text\r?\n)(?<body>.*?)(?<tail>^````)",
        RegexOptions.Singleline | RegexOptions.Multiline, TimeSpan.FromSeconds(5));

    [GeneratedRegex(@"^```csharp\r?\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline, matchTimeoutMilliseconds: 5000)]
    private static partial Regex Block();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Holes.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Holes.sln not found above " + AppContext.BaseDirectory);
    }
}
