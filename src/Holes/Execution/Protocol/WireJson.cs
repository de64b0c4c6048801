using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Holes.Execution.Protocol;

/// <summary>
/// How data is copied across the process boundary: System.Text.Json over the value's runtime type, public properties
/// and fields, records through their constructors. <see cref="Classified{T}"/> crosses with its content and arrives
/// classified; a capability inside data is refused (capabilities cross only as proxies of their interface).
/// </summary>
internal static class WireJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            MaxDepth = 128,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new ClassifiedConverterFactory());
        options.Converters.Add(new RefusedTypesConverterFactory());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Types that are copied without a round-trip check: they cannot lose anything.</summary>
    public static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) ||
        type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(DateOnly) || type == typeof(TimeOnly) ||
        (Nullable.GetUnderlyingType(type) is { } inner && IsSimple(inner));

    /// <summary>Carries a classified value's content, so it arrives classified on the other side.</summary>
    private sealed class ClassifiedConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Classified<>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(ClassifiedConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
    }

    private sealed class ClassifiedConverter<T> : JsonConverter<Classified<T>>
    {
        private const string FaultProperty = "$classifiedFault";

        public override Classified<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // A transform that failed inside a fill crosses as the failure's exception type alone.
                var peek = reader;
                if (peek.Read() && peek.TokenType == JsonTokenType.PropertyName && peek.ValueTextEquals(FaultProperty))
                {
                    reader.Read();
                    reader.Read();
                    var type = reader.GetString() ?? "System.Exception";
                    reader.Read();
                    return Classified<T>.Failed(ClassifiedException.OfType(type));
                }
            }

            return new Classified<T>(JsonSerializer.Deserialize<T>(ref reader, options)!);
        }

        public override void Write(Utf8JsonWriter writer, Classified<T> value, JsonSerializerOptions options)
        {
            if (value.Fault is { } fault)
            {
                writer.WriteStartObject();
                writer.WriteString(FaultProperty, fault.ExceptionType);
                writer.WriteEndObject();
                return;
            }

            JsonSerializer.Serialize(writer, value.Reveal(), options);
        }
    }

    /// <summary>Values that are not data and must never be copied: capabilities, delegates, reflection, tasks, streams.</summary>
    private sealed class RefusedTypesConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            CapabilityTypes.IsCapability(typeToConvert) || typeof(Delegate).IsAssignableFrom(typeToConvert) ||
            typeof(Task).IsAssignableFrom(typeToConvert) || typeof(Stream).IsAssignableFrom(typeToConvert) ||
            typeof(System.Reflection.MemberInfo).IsAssignableFrom(typeToConvert) || typeof(Exception).IsAssignableFrom(typeToConvert) ||
            typeToConvert == typeof(IntPtr) || typeToConvert == typeof(UIntPtr) || IsFrameworkNonData(typeToConvert);

        /// <summary>
        /// A framework type that is not plain data: copied by its public properties it would arrive hollow (a
        /// StringBuilder's text, a Random's state, a BigInteger's value), so it is refused rather than copied wrong.
        /// </summary>
        private static bool IsFrameworkNonData(Type type)
        {
            if (type.IsPrimitive || type.IsEnum || type.IsArray || type == typeof(object) || !IsFramework(type.Assembly))
            {
                return false;
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition &&
                (definition == typeof(Nullable<>) || definition == typeof(KeyValuePair<,>) || definition.FullName!.StartsWith("System.Tuple`", StringComparison.Ordinal) ||
                 definition.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)))
            {
                return false;
            }

            return !(s_frameworkData.Contains(type) || typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ||
                     type.Namespace is "System.Text.Json" or "System.Text.Json.Nodes");
        }

        private static readonly HashSet<Type> s_frameworkData =
        [
            typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly),
            typeof(Guid), typeof(Uri), typeof(Version), typeof(Half), typeof(Int128), typeof(UInt128), typeof(ValueTuple),
        ];

        private static bool IsFramework(System.Reflection.Assembly assembly) =>
            assembly.GetName().Name is { } name && (name is "mscorlib" or "netstandard" || name.StartsWith("System", StringComparison.Ordinal) ||
                                                    name.StartsWith("Microsoft", StringComparison.Ordinal));

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Refused<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class Refused<T> : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw Refuse(typeToConvert);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => throw Refuse(value?.GetType() ?? typeof(T));

        private static NotSupportedException Refuse(Type type) => new(CapabilityTypes.IsCapability(type)
            ? $"it holds a capability ({TypeText.Of(type)}) inside data; a capability crosses only on its own, as its [Capability] interface"
            : $"it holds a {TypeText.Of(type)}, which is not data");
    }
}

/// <summary>Type names for messages.</summary>
internal static class TypeText
{
    public static string Of(Type type) => Holes.Pipeline.Compile.RuntimeTypeNames.FullyQualified(type).Replace("global::", "", StringComparison.Ordinal) is var name && name != "object"
        ? name
        : type.Name;
}
