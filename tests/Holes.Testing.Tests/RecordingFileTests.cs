using System.Text;
using System.Text.Json;

namespace Holes.Testing.Tests;

public class RecordingFileTests
{
    private static string CodeOf(string reply)
    {
        using var document = JsonDocument.Parse(reply);
        return document.RootElement.GetProperty("code").GetString()!;
    }

    [Fact]
    public void Replies_may_be_strings_or_inline_objects_with_code_as_lines()
    {
        var file = RecordingFile.Parse(
            """
            {
              "_comment": "hand-written",
              "holes": [
                {
                  "task": "keep only the prime numbers in xs",
                  "promptContains": ["`xs`"],
                  "replies": [
                    "{\"code\": \"return xs.Where(IsPrime).ToList();\", \"giveUp\": null}",
                    { "code": ["var primes = xs.Where(x => x > 1).ToList();", "return primes;"], "giveUp": null },
                    { "code": "return \"<done>\";", "giveUp": null },
                  ],
                  "notes": "unknown properties are ignored"
                }
              ]
            }
            """);

        Assert.Equal("hand-written", file.Comment);
        var entry = Assert.Single(file.Holes);
        Assert.Equal("keep only the prime numbers in xs", entry.Task);
        Assert.Equal(["`xs`"], entry.PromptContains);
        Assert.Equal(3, entry.Replies.Count);
        Assert.Equal("return xs.Where(IsPrime).ToList();", CodeOf(entry.Replies[0]));
        Assert.Equal("var primes = xs.Where(x => x > 1).ToList();\nreturn primes;", CodeOf(entry.Replies[1]));
        Assert.Equal("return \"<done>\";", CodeOf(entry.Replies[2]));
    }

    [Fact]
    public void Saved_json_reads_back_to_the_same_replies()
    {
        var file = new RecordingFile { Comment = "test" };
        var code = "var sb = new StringBuilder();\r\nsb.Append(\"<a & b>\");\nreturn sb.ToString();";
        var prose = FillReplies.Fenced("return 1;");
        var entry = new RecordingEntry("a task with \"quotes\"", FillReplies.Code(code), prose, FillReplies.GiveUp("cannot"), "{\"code\": 1}");
        entry.PromptContains.Add("`topic`: `string` = \"LINQ\"");
        file.Holes.Add(entry);

        var json = file.ToJson();
        var back = RecordingFile.Parse(json);

        Assert.Contains("\"_comment\": \"test\"", json, StringComparison.Ordinal);
        Assert.Contains("\"sb.Append(\\\"<a & b>\\\");\"", json, StringComparison.Ordinal);   // a line of code, readable
        Assert.True(json.IndexOf("_comment", StringComparison.Ordinal) < json.IndexOf("holes", StringComparison.Ordinal));
        var read = Assert.Single(back.Holes);
        Assert.Equal(entry.Task, read.Task);
        Assert.Equal(entry.PromptContains, read.PromptContains);
        Assert.Equal(code, CodeOf(read.Replies[0]));
        Assert.Equal(prose, read.Replies[1]);
        using (var giveUp = JsonDocument.Parse(read.Replies[2]))
        {
            Assert.Equal("cannot", giveUp.RootElement.GetProperty("giveUp").GetString());
        }

        Assert.Equal("{\"code\": 1}", read.Replies[3]);                                          // not the structured shape: verbatim
    }

    [Fact]
    public async Task Loads_from_a_path_and_from_a_stream()
    {
        var file = new RecordingFile();
        file.Holes.Add(new RecordingEntry("t", FillReplies.Code("return 1;")));
        var path = Path.Combine(Path.GetTempPath(), $"holes-recordings-{Guid.NewGuid():N}.json");
        try
        {
            await file.SaveAsync(path);

            Assert.Equal("t", Assert.Single(RecordingFile.Load(path).Holes).Task);
            await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(await File.ReadAllTextAsync(path)));
            Assert.Equal("return 1;", CodeOf(Assert.Single(RecordingFile.Load(stream).Holes).Replies[0]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{ "holes": [ { "replies": ["x"] } ] }""")]
    [InlineData("""{ "holes": [ { "task": "t", "replies": [] } ] }""")]
    [InlineData("""{ "holes": [ { "task": "t", "replies": [42] } ] }""")]
    [InlineData("""{ "holes": [ "t" ] }""")]
    public void Malformed_recordings_are_reported(string json)
    {
        Assert.Throws<InvalidDataException>(() => RecordingFile.Parse(json));
    }
}
