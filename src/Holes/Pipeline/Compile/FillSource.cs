using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Pipeline.Compile;

/// <summary>
/// The compilation unit a fill is compiled as: the fill's statements become the body of an async method whose return
/// type is the hole's type, after declarations of the handed-in values and session variables the fill mentions.
/// A value or variable the fill declares itself is left out, so a fill can redeclare it, as in a REPL.
/// </summary>
/// <remarks>
/// Only what the fill mentions is declared, so compile time does not grow with the session. The code is parsed
/// twice: once framed without declarations to find what it mentions and plan the engine's edits, then for real.
/// </remarks>
internal sealed class FillSource
{
    public const string AssemblyName = "Holes.Fill";
    public const string TypeName = "Holes.Fill.Submission";
    public const string MethodName = "RunAsync";
    public const string FileName = "fill.cs";

    private static readonly string[] s_defaultUsings =
        ["System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks", "static Holes.Agents"];

    internal static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);

    private FillSource(FillRequest request, SyntaxTree tree, int userStart, int userLength, SourceEdits edits, FillRewriter? plan, IReadOnlyList<HoleDiagnostic> early)
    {
        Request = request;
        Tree = tree;
        UserStart = userStart;
        UserLength = userLength;
        Edits = edits;
        Plan = plan;
        EarlyDiagnostics = early;
        Original = SourceText.From(request.Code);
    }

    public FillRequest Request { get; }

    /// <summary>The tree to compile (the edited one when edits were needed).</summary>
    public SyntaxTree Tree { get; }

    /// <summary>Where the fill's (edited) code starts in <see cref="Tree"/>.</summary>
    public int UserStart { get; }

    /// <summary>The length of the fill's (edited) code in <see cref="Tree"/>.</summary>
    public int UserLength { get; }

    public SourceEdits Edits { get; }

    public FillRewriter? Plan { get; }

    /// <summary>Problems found before binding (syntax errors, broken structure); when present the fill is rejected.</summary>
    public IReadOnlyList<HoleDiagnostic> EarlyDiagnostics { get; }

    public SourceText Original { get; }

    public TextSpan UserSpan => new(UserStart, UserLength);

    public static FillSource Create(FillRequest request)
    {
        var (prefix, suffix) = Frame(request, usedBindings: [], usedVariables: [], isAsync: true);
        var code = request.Code;
        var first = CSharpSyntaxTree.ParseText(prefix + code + suffix, ParseOptions, FileName, Encoding.UTF8);
        var userStart = prefix.Length;
        var userSpan = new TextSpan(userStart, code.Length);
        var original = SourceText.From(code);

        var early = new List<HoleDiagnostic>();
        foreach (var diagnostic in first.GetDiagnostics())
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                early.Add(Map(diagnostic, original, userSpan, pos => pos));
            }
        }

        var root = first.GetRoot();
        var body = root.FindToken(userStart - Suffix.OpenBraceBack).Parent as BlockSyntax;
        var expectedClose = userStart + code.Length + Suffix.CloseBraceAt;
        if (body is null || body.CloseBraceToken.SpanStart != expectedClose || body.CloseBraceToken.IsMissing)
        {
            early.Add(new HoleDiagnostic("HOLE0003", HoleDiagnosticSeverity.Error,
                "The code must be a sequence of statements: it closes a block it did not open, or leaves one open. Do not declare types or namespaces.", 1, 1));
        }

        foreach (var trivia in root.DescendantTrivia(userSpan, descendIntoTrivia: true))
        {
            if (trivia.IsDirective && userSpan.Contains(trivia.SpanStart) &&
                !trivia.IsKind(SyntaxKind.PragmaWarningDirectiveTrivia) && !trivia.IsKind(SyntaxKind.NullableDirectiveTrivia) &&
                !trivia.IsKind(SyntaxKind.RegionDirectiveTrivia) && !trivia.IsKind(SyntaxKind.EndRegionDirectiveTrivia))
            {
                var position = original.Lines.GetLinePosition(trivia.SpanStart - userStart);
                early.Add(new HoleDiagnostic("HOLE0003", HoleDiagnosticSeverity.Error,
                    $"Preprocessor directive '{trivia.ToString().Trim()}' is not allowed in a fill.", position.Line + 1, position.Character + 1));
            }
        }

        if (early.Count > 0 || body is null)
        {
            return new FillSource(request, first, userStart, code.Length, new SourceEdits(), null, early.Distinct().ToList());
        }

        var names = FillNames.Of(body);
        var usedBindings = Used(request.Bindings.Select(b => b.Name), names);
        var usedVariables = Used(request.Variables.Select(v => v.Name), names)
            .Where(i => !usedBindings.Any(b => request.Bindings[b].Name == request.Variables[i].Name)).ToList();
        var plan = FillRewriter.Plan(body, userStart, usedVariables.Select(i => (i, request.Variables[i].Name)).ToList());

        // Most fills never await. Their body is then an ordinary method: no state machine to lower, emit and JIT.
        // The first parse is async, so 'await' was read as the keyword wherever the fill meant it.
        var isAsync = body.DescendantTokens(userSpan).Any(t => t.IsKind(SyntaxKind.AwaitKeyword));
        if (plan.Edits.IsEmpty && usedBindings.Count == 0 && usedVariables.Count == 0 && isAsync)
        {
            return new FillSource(request, first, userStart, code.Length, plan.Edits, plan, []);
        }

        var (finalPrefix, _) = Frame(request, usedBindings, usedVariables, isAsync);
        var edited = plan.Edits.Apply(code);
        var tree = CSharpSyntaxTree.ParseText(finalPrefix + edited + suffix, ParseOptions, FileName, Encoding.UTF8);
        return new FillSource(request, tree, finalPrefix.Length, edited.Length, plan.Edits, plan, []);
    }

    /// <summary>Indices of the names the fill mentions and does not declare itself.</summary>
    private static List<int> Used(IEnumerable<string> available, FillNames names) =>
        available.Select((name, index) => (name, index))
            .Where(n => names.Mentioned.Contains(n.name) && !names.Declared.Contains(n.name))
            .Select(n => n.index)
            .ToList();

    /// <summary>Maps a compiler diagnostic onto the fill's own lines and columns.</summary>
    public HoleDiagnostic Map(Diagnostic diagnostic) => Map(diagnostic, Original, UserSpan, Edits.ToOriginal);

    public (int Line, int Column) ToOriginalLineColumn(int treePosition)
    {
        var local = Math.Clamp(treePosition - UserStart, 0, UserLength);
        var position = Original.Lines.GetLinePosition(Math.Clamp(Edits.ToOriginal(local), 0, Original.Length));
        return (position.Line + 1, position.Character + 1);
    }

    private static HoleDiagnostic Map(Diagnostic diagnostic, SourceText original, TextSpan userSpan, Func<int, int> toOriginal)
    {
        var severity = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => HoleDiagnosticSeverity.Error,
            DiagnosticSeverity.Warning => HoleDiagnosticSeverity.Warning,
            _ => HoleDiagnosticSeverity.Info,
        };

        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (!diagnostic.Location.IsInSource)
        {
            return new HoleDiagnostic(diagnostic.Id, severity, message, 1, 1);
        }

        var start = diagnostic.Location.SourceSpan.Start;
        if (start < userSpan.Start || start > userSpan.End)
        {
            // Outside the fill: a problem with the hole's context (a type that cannot be named, a missing using).
            return new HoleDiagnostic(diagnostic.Id, severity, message + " (in the code around the fill, not in the fill itself)", 1, 1);
        }

        var position = original.Lines.GetLinePosition(Math.Clamp(toOriginal(start - userSpan.Start), 0, original.Length));
        return new HoleDiagnostic(diagnostic.Id, severity, message, position.Line + 1, position.Character + 1);
    }

    private static (string Prefix, string Suffix) Frame(FillRequest request, IReadOnlyList<int> usedBindings, IReadOnlyList<int> usedVariables, bool isAsync)
    {
        var builder = new StringBuilder(1024);
        foreach (var u in s_defaultUsings.Concat(request.Usings).Distinct(StringComparer.Ordinal))
        {
            builder.Append("using ").Append(u).Append(";\n");
        }

        builder.Append("namespace Holes.Fill\n{\npublic static class Submission\n{\n");
        builder.Append("public static global::System.Threading.Tasks.Task<object?> RunAsync(global::Holes.Runtime.FillFrame ")
            .Append(FillRewriter.Frame).Append(") => global::Holes.Runtime.FillFrame.").Append(isAsync ? "Box" : "Completed").Append("(__Body(").Append(FillRewriter.Frame).Append("));\n");
        builder.Append(isAsync ? "private static async global::System.Threading.Tasks.Task<" : "private static ").Append(request.ResultType)
            .Append(isAsync ? ">" : "").Append(" __Body(global::Holes.Runtime.FillFrame ").Append(FillRewriter.Frame).Append(")\n{\n");
        foreach (var i in usedBindings)
        {
            var binding = request.Bindings[i];
            builder.Append(binding.TypeName).Append(' ').Append(Escape(binding.Name)).Append(" = ")
                .Append(FillRewriter.Frame).Append(".Value<").Append(binding.TypeName).Append(">(").Append(i).Append(");\n");
        }

        foreach (var i in usedVariables)
        {
            var variable = request.Variables[i];
            builder.Append(variable.TypeName).Append(' ').Append(Escape(variable.Name)).Append(" = ")
                .Append(FillRewriter.Frame).Append(".Variable<").Append(variable.TypeName).Append(">(").Append(i).Append(");\n");
        }

        builder.Append("#line 1 \"").Append(FileName).Append("\"\n");
        return (builder.ToString(), Suffix.Text);
    }

    private static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    /// <summary>The text after the fill, and where its braces are, for the structure check.</summary>
    private static class Suffix
    {
        public const string Text = "\n#line default\n}\n}\n}\n";

        // Distance back from the fill's start to the body's '{' (without declarations the prefix ends with "{\n#line 1 \"fill.cs\"\n").
        public static readonly int OpenBraceBack = ("{\n#line 1 \"" + FileName + "\"\n").Length;

        // Offset of the body's '}' from the end of the fill.
        public static readonly int CloseBraceAt = "\n#line default\n".Length;
    }
}
