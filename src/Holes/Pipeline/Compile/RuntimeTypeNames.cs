using System.Reflection;
using System.Text;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Writes a <see cref="Type"/> as C# that a fill can declare a variable with (<c>global::</c>-qualified).
/// Types no other assembly can name (anonymous types, private nested types, types of earlier fills)
/// become <c>object</c>, so the value is still reachable.
/// </summary>
internal static class RuntimeTypeNames
{
    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool", [typeof(char)] = "char",
        [typeof(sbyte)] = "sbyte", [typeof(byte)] = "byte", [typeof(short)] = "short", [typeof(ushort)] = "ushort",
        [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };

    public static string FullyQualified(Type type)
    {
        var builder = new StringBuilder();
        return Append(builder, type) ? builder.ToString() : "object";
    }

    /// <summary>Whether fill code can spell the type (see <see cref="FullyQualified"/>); <c>object</c> itself can.</summary>
    public static bool IsNameable(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Append(new StringBuilder(), type);
    }

    /// <summary>
    /// The type as messages name it: C# spelling without <c>global::</c>, and for a type no fill can name, its
    /// declaring types and name (<c>Program.Secret</c>) instead of <c>object</c>.
    /// </summary>
    public static string Display(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var builder = new StringBuilder();
        if (Append(builder, type))
        {
            return builder.ToString().Replace("global::", "", StringComparison.Ordinal);
        }

        if (type.IsArray)
        {
            return Display(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false) && type.Name.Contains("AnonymousType", StringComparison.Ordinal))
        {
            return "<anonymous type>";
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        name = tick < 0 ? name : name[..tick];
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            name += "<" + string.Join(", ", type.GetGenericArguments().Select(Display)) + ">";
        }

        return type.DeclaringType is { } outer && !type.IsGenericParameter ? Display(outer) + "." + name : name;
    }

    private static bool Append(StringBuilder builder, Type type)
    {
        if (s_keywords.TryGetValue(type, out var keyword))
        {
            builder.Append(keyword);
            return true;
        }

        if (type.IsByRef || type.IsPointer || type.IsFunctionPointer || type.IsGenericParameter || !IsNameableDefinition(type))
        {
            return false;
        }

        if (type.IsArray)
        {
            if (!Append(builder, type.GetElementType()!))
            {
                return false;
            }

            builder.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return true;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            if (!Append(builder, underlying))
            {
                return false;
            }

            builder.Append('?');
            return true;
        }

        var arguments = type.IsGenericType ? type.GetGenericArguments() : [];
        if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true && arguments.Length is > 1 and < 8)
        {
            builder.Append('(');
            for (var i = 0; i < arguments.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(", ");
                }

                if (!Append(builder, arguments[i]))
                {
                    return false;
                }
            }

            builder.Append(')');
            return true;
        }

        // Nesting chain from the outermost type; generic arguments are spread over the chain by arity.
        var chain = new Stack<Type>();
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            chain.Push(t.IsGenericType ? t.GetGenericTypeDefinition() : t);
        }

        builder.Append("global::");
        var outermost = chain.Peek();
        if (!string.IsNullOrEmpty(outermost.Namespace))
        {
            builder.Append(outermost.Namespace).Append('.');
        }

        var used = 0;
        var first = true;
        foreach (var part in chain)
        {
            if (!first)
            {
                builder.Append('.');
            }

            first = false;
            var name = part.Name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            builder.Append(tick < 0 ? name : name[..tick]);
            var total = part.IsGenericTypeDefinition ? part.GetGenericArguments().Length : 0;
            var own = total - used;
            if (own > 0)
            {
                builder.Append('<');
                for (var i = 0; i < own; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    if (!Append(builder, arguments[used + i]))
                    {
                        return false;
                    }
                }

                builder.Append('>');
                used = total;
            }
        }

        return true;
    }

    private static bool IsNameableDefinition(Type type)
    {
        if (type.Assembly.IsDynamic || type.Assembly.IsCollectible ||
            type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false))
        {
            return false;
        }

        for (var t = type; t is not null; t = t.DeclaringType)
        {
            var visibility = t.Attributes & TypeAttributes.VisibilityMask;
            if (visibility is TypeAttributes.NestedPrivate or TypeAttributes.NestedFamily or TypeAttributes.NestedFamANDAssem)
            {
                return false;
            }
        }

        return true;
    }
}
