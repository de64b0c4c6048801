using System.Text;
using Mono.Cecil;

namespace Holes.Effects;

/// <summary>
/// Documentation comment ids (<c>T:</c>, <c>M:</c>, <c>F:</c>, <c>P:</c>, <c>E:</c>) formed from metadata, exactly as
/// Roslyn's <c>ISymbol.GetDocumentationCommentId()</c> forms them for the same member, so the table the build step
/// writes is read back by the runtime, which asks Roslyn for the ids of the symbols a fill uses.
/// </summary>
/// <remarks>
/// A reference to another assembly's member (<c>List&lt;int&gt;.Add</c>) is named by its definition's id
/// (<c>M:System.Collections.Generic.List`1.Add(`0)</c>): the signature in a member reference is already written in the
/// definition's type parameters. Custom modifiers (<c>in</c>, <c>volatile</c>) are not part of an id.
/// </remarks>
public static class DocumentationIds
{
    /// <summary>The id of a type, method, field, property or event, or <see langword="null"/> for a kind of member that has none (a function-pointer signature).</summary>
    public static string? Of(MemberReference member)
    {
        ArgumentNullException.ThrowIfNull(member);
        // The runtime's own methods of multi-dimensional arrays (int[,]::Get) are no declared member.
        if (member.DeclaringType is ArrayType)
        {
            return null;
        }

        try
        {
            return member switch
            {
                TypeReference type => "T:" + Declaration(type.GetElementType()),
                MethodReference method => Method(method),
                FieldReference field => "F:" + Declaration(field.DeclaringType.GetElementType()) + "." + Escape(field.Name),
                PropertyDefinition property => Property(property),
                EventReference @event => "E:" + Declaration(@event.DeclaringType.GetElementType()) + "." + Escape(@event.Name),
                _ => null,
            };
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static string Method(MethodReference method)
    {
        var definition = method is GenericInstanceMethod instance ? instance.ElementMethod : method;
        var builder = new StringBuilder("M:");
        builder.Append(Declaration(definition.DeclaringType.GetElementType())).Append('.');
        builder.Append(definition.Name switch
        {
            ".ctor" => "#ctor",
            ".cctor" => "#cctor",
            _ => Escape(definition.Name, isMethod: true),
        });
        if (definition.HasGenericParameters)
        {
            builder.Append("``").Append(definition.GenericParameters.Count);
        }

        AppendParameters(builder, definition.Parameters);
        if (definition.Name is "op_Implicit" or "op_Explicit")
        {
            builder.Append('~');
            AppendType(builder, definition.ReturnType);
        }

        return builder.ToString();
    }

    private static string Property(PropertyDefinition property)
    {
        var builder = new StringBuilder("P:");
        builder.Append(Declaration(property.DeclaringType)).Append('.').Append(Escape(property.Name));
        AppendParameters(builder, property.Parameters);
        return builder.ToString();
    }

    private static void AppendParameters(StringBuilder builder, IList<ParameterDefinition> parameters)
    {
        if (parameters.Count == 0)
        {
            return;
        }

        builder.Append('(');
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            AppendType(builder, parameters[i].ParameterType);
        }

        builder.Append(')');
    }

    /// <summary>A type as a declaration names it: namespace, containing types joined by '.', arity kept (<c>Outer`1.Inner</c>).</summary>
    private static string Declaration(TypeReference type)
    {
        if (type.DeclaringType is { } outer)
        {
            return Declaration(outer) + "." + type.Name;
        }

        return type.Namespace.Length == 0 ? type.Name : type.Namespace + "." + type.Name;
    }

    /// <summary>A type as a signature names it: type parameters by position, type arguments in braces, arrays, pointers and references.</summary>
    private static void AppendType(StringBuilder builder, TypeReference type)
    {
        switch (type)
        {
            case GenericParameter parameter:
                builder.Append(parameter.Type == GenericParameterType.Method ? "``" : "`").Append(parameter.Position);
                return;
            case RequiredModifierType or OptionalModifierType or PinnedType:
                // Custom modifiers (in, volatile) and pinning are not part of an id.
                AppendType(builder, ((TypeSpecification)type).ElementType);
                return;
            case ByReferenceType reference:
                AppendType(builder, reference.ElementType);
                builder.Append('@');
                return;
            case PointerType pointer:
                AppendType(builder, pointer.ElementType);
                builder.Append('*');
                return;
            case ArrayType array:
                AppendType(builder, array.ElementType);
                if (array.IsVector)
                {
                    builder.Append("[]");
                }
                else
                {
                    builder.Append('[');
                    for (var i = 0; i < array.Rank; i++)
                    {
                        builder.Append(i > 0 ? ",0:" : "0:");
                    }

                    builder.Append(']');
                }

                return;
            case GenericInstanceType instance:
                AppendInstance(builder, instance.ElementType, instance.GenericArguments, instance.GenericArguments.Count);
                return;
            case FunctionPointerType:
                throw new NotSupportedException("function pointer");
            default:
                AppendInstance(builder, type, [], 0);
                return;
        }
    }

    /// <summary>
    /// A constructed type, its arguments shared out among the containing types: metadata lists the outer type's
    /// arguments first (<c>Outer`1/Inner`1&lt;int, string&gt;</c> reads <c>Outer{System.Int32}.Inner{System.String}</c>).
    /// </summary>
    /// <returns>How many of <paramref name="arguments"/> the type and its containing types used.</returns>
    private static int AppendInstance(StringBuilder builder, TypeReference type, IList<TypeReference> arguments, int available)
    {
        var used = 0;
        if (type.DeclaringType is { } outer)
        {
            used = AppendInstance(builder, outer, arguments, available);
            builder.Append('.');
        }
        else if (type.Namespace.Length > 0)
        {
            builder.Append(type.Namespace).Append('.');
        }

        var name = type.Name;
        var tick = name.LastIndexOf('`');
        var arity = tick > 0 && int.TryParse(name.AsSpan(tick + 1), out var n) ? n : 0;
        if (arity == 0 || available == 0)
        {
            builder.Append(name);
            return used;
        }

        builder.Append(name, 0, tick).Append('{');
        for (var i = 0; i < arity && used < available; i++, used++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            AppendType(builder, arguments[used]);
        }

        builder.Append('}');
        return used;
    }

    /// <summary>An explicit implementation is named after its interface (<c>System.IDisposable.Dispose</c>); ids write its dots as '#'.</summary>
    /// <remarks>
    /// Roslyn escapes every method name this way (<c>&lt;Clone&gt;$</c> reads <c>{Clone}$</c>), but the name of a field,
    /// property or event only when it is an explicit implementation (a backing field <c>&lt;P&gt;k__BackingField</c> is kept).
    /// </remarks>
    private static string Escape(string name, bool isMethod = false) =>
        !isMethod && !name.Contains('.', StringComparison.Ordinal)
            ? name
            : name.Replace('.', '#').Replace('<', '{').Replace('>', '}').Replace(',', '@');
}
