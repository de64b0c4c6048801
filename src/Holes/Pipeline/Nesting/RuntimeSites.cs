using Holes.Rules;
using System.Diagnostics;
using Holes.Pipeline.Compile;
using Holes.Runtime;
using Holes.Scope;
using Microsoft.CodeAnalysis;

namespace Holes.Pipeline.Nesting;

/// <summary>
/// Describes a hole that the source generator did not see (a call through a library built without it, or a
/// qualified call inside a fill): its location from the stack, its values by position and their run-time types.
/// </summary>
internal static class RuntimeSites
{
    public static HoleSite Describe(Type resultType, object?[] values)
    {
        var (file, line, member, source) = Caller();
        var parameters = new List<HoleParameter>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var type = values[i]?.GetType() ?? typeof(object);
            parameters.Add(new HoleParameter($"value{i}", RuntimeTypeNames.FullyQualified(type), $"value{i}"));
        }

        var types = new[] { resultType }.Concat(values.Select(v => v?.GetType() ?? typeof(object)));
        return new HoleSite(file, line, 0, member, RuntimeTypeNames.FullyQualified(resultType), parameters, [], Declarations(types), source);
    }

    private static IReadOnlyList<string> Declarations(IEnumerable<Type> types)
    {
        // Framework types are only named in the prompt; resolving symbols would wait for the reference set.
        var own = types.Where(t => !IsFrameworkOnly(t)).ToList();
        if (own.Count == 0)
        {
            return [];
        }

        types = own;
        try
        {
            var compilation = ReferenceSet.Shared.Template;
            var symbols = types.Select(t => Resolve(compilation, t)).OfType<ITypeSymbol>().ToList();
            return TypeDescriber.Describe(symbols);
        }
        catch (Exception)
        {
            return [];
        }
    }

    private static bool IsFrameworkOnly(Type type) =>
        type.HasElementType ? IsFrameworkOnly(type.GetElementType()!) :
        Holes.Rules.CapabilityRules.IsFrameworkAssembly(type.Assembly.GetName().Name ?? "") &&
        (!type.IsGenericType || type.GetGenericArguments().All(IsFrameworkOnly));

    private static ITypeSymbol? Resolve(Compilation compilation, Type type)
    {
        if (type.IsArray)
        {
            return Resolve(compilation, type.GetElementType()!) is { } element ? compilation.CreateArrayTypeSymbol(element, type.GetArrayRank()) : null;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            var definition = Resolve(compilation, type.GetGenericTypeDefinition()) as INamedTypeSymbol;
            var arguments = type.GetGenericArguments().Select(a => Resolve(compilation, a)).ToArray();
            return definition is null || arguments.Any(a => a is null) ? null : definition.Construct(arguments!);
        }

        var name = type.FullName;
        if (name is null)
        {
            return null;
        }

        var assembly = type.Assembly.GetName().Name;
        return compilation.GetTypesByMetadataName(name).FirstOrDefault(t => t.ContainingAssembly.Name == assembly);
    }

    private static (string File, int Line, string Member, string Source) Caller()
    {
        var holes = typeof(RuntimeSites).Assembly;
        foreach (var frame in new StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            var type = method?.DeclaringType;
            if (type is null || type.Assembly == holes || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
            {
                continue;
            }

            var file = frame.GetFileName();
            var line = frame.GetFileLineNumber();
            var member = type.FullName + "." + method!.Name;
            return file is null ? (type.Assembly.GetName().Name ?? "unknown", 0, member, "") : (file, line, member, SourceAround(file, line));
        }

        return ("unknown", 0, "", "");
    }

    private static string SourceAround(string file, int line)
    {
        try
        {
            if (line <= 0 || !File.Exists(file))
            {
                return "";
            }

            var lines = File.ReadAllLines(file);
            var from = Math.Max(0, line - 25);
            var to = Math.Min(lines.Length, line + 10);
            return string.Join('\n', lines[from..to].Select((l, i) => from + i + 1 == line ? l + " /* <-- this hole */" : l));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
