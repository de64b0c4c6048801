using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Holes.Testing;

/// <summary>
/// Reads and writes a <see cref="RecordingEntry"/>. A reply is stored as a string (verbatim), or, when it is the
/// structured <c>{"code": ..., "giveUp": ...}</c> object, inline as that object with multi-line code as an array of
/// lines, so recordings stay readable and diffable.
/// </summary>
internal sealed class RecordingEntryConverter : JsonConverter<RecordingEntry>
{
    private static readonly JsonSerializerOptions s_compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override RecordingEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Each entry of \"holes\" must be an object: { \"task\": ..., \"replies\": [ ... ] }.");
        }

        var entry = new RecordingEntry();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString() ?? "";
            reader.Read();
            if (name.Equals("task", StringComparison.OrdinalIgnoreCase))
            {
                entry.Task = reader.TokenType == JsonTokenType.String
                    ? reader.GetString() ?? ""
                    : throw new JsonException("\"task\" must be a string.");
            }
            else if (name.Equals("promptContains", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var text in ReadStrings(ref reader, "promptContains"))
                {
                    entry.PromptContains.Add(text);
                }
            }
            else if (name.Equals("replies", StringComparison.OrdinalIgnoreCase))
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("\"replies\" must be an array: one reply per attempt.");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    entry.Replies.Add(ReadReply(ref reader));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return entry;
    }

    public override void Write(Utf8JsonWriter writer, RecordingEntry value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("task", value.Task);
        if (value.PromptContains.Count > 0)
        {
            writer.WriteStartArray("promptContains");
            foreach (var text in value.PromptContains)
            {
                writer.WriteStringValue(text);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("replies");
        foreach (var reply in value.Replies)
        {
            if (TryReadStructured(reply, out var code, out var giveUp))
            {
                writer.WriteStartObject();
                if (code.Contains('\n', StringComparison.Ordinal))
                {
                    writer.WriteStartArray("code");
                    foreach (var line in code.Split('\n'))
                    {
                        writer.WriteStringValue(line);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteString("code", code);
                }

                writer.WriteString("giveUp", giveUp);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStringValue(reply);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static List<string> ReadStrings(ref Utf8JsonReader reader, string property)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString() ?? ""];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"\"{property}\" must be an array of strings.");
        }

        var result = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            result.Add(reader.TokenType == JsonTokenType.String
                ? reader.GetString() ?? ""
                : throw new JsonException($"\"{property}\" must be an array of strings."));
        }

        return result;
    }

    private static string ReadReply(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString() ?? "";
            case JsonTokenType.StartObject:
                var node = JsonNode.Parse(ref reader)!.AsObject();
                if (node["code"] is JsonArray lines)
                {
                    node["code"] = string.Join("\n", lines.Select(line => line?.GetValue<string>() ?? ""));
                }

                return node.ToJsonString(s_compact);
            default:
                throw new JsonException("Each reply must be a string (the reply text) or an object ({\"code\": ..., \"giveUp\": null}).");
        }
    }

    /// <summary>Whether <paramref name="reply"/> is exactly the structured object: <c>code</c> and optionally <c>giveUp</c>.</summary>
    private static bool TryReadStructured(string reply, out string code, out string? giveUp)
    {
        code = "";
        giveUp = null;
        if (!reply.TrimStart().StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(reply);
            var root = document.RootElement;
            var sawCode = false;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("code") && property.Value.ValueKind == JsonValueKind.String)
                {
                    code = property.Value.GetString() ?? "";
                    sawCode = true;
                }
                else if (property.NameEquals("giveUp") && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                {
                    giveUp = property.Value.GetString();
                }
                else
                {
                    return false;
                }
            }

            return sawCode;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
