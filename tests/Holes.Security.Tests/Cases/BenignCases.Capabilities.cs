using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class BenignCases
{
    /// <summary>
    /// The legitimate use of capabilities the hostile cases abuse: reading files through a read-only file system,
    /// classified data through Map into a trusted sink, a mailbox's inbox. Refusing these would be a false reject.
    /// </summary>
    private static IEnumerable<BenignCase> Capabilities()
    {
        static BenignCase B(string name, string code, string expected, string values = "files") =>
            new("capabilities/" + name, BenignGroup.Capabilities, code, expected) { Values = values };

        yield return B("read-notes", """var text = await files.ReadTextAsync("notes.md"); return text.Split('\n').Count(l => l.StartsWith("TODO")).ToString();""", "2");
        yield return B("list-folder", """var list = await files.ListAsync("."); return string.Join(",", list.Entries.Where(e => !e.IsDirectory).Select(e => e.Name).Order(StringComparer.Ordinal));""", ".env,data.csv,notes.md");
        yield return B("walk-count", """var all = await files.WalkAsync("."); return all.Entries.Count(e => !e.IsDirectory).ToString();""", "4");
        yield return B("exists", """return $"{await files.ExistsAsync("notes.md")}{await files.ExistsAsync("missing.txt")}";""", "TrueFalse");
        yield return B("csv-from-file", """var csv = await files.ReadTextAsync("data.csv"); return csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(l => l.Split(',').Sum(int.Parse)).ToString();""", "10");
        yield return B("classified-file-stays-masked", """var env = await files.ReadClassifiedAsync(".env"); var length = env.Map(s => s.Trim().Length); return length.ToString();""", "Classified<Int32>(***)");
        yield return B("classified-into-trusted-sink", """var env = await files.ReadClassifiedAsync(".env"); vault.Store("env", env.Map(s => s.Trim())); return vault.Count.ToString();""", "1", "files,vault");
        yield return B("mailbox-subjects", """return string.Join(",", mailbox.Inbox().Select(m => m.Subject));""", "URGENT,disk", "mailbox");
        yield return B("mail-bodies-into-trusted-sink", """foreach (var m in mailbox.Inbox()) { vault.Store(m.Subject, m.Body.Map(b => b.ToUpperInvariant())); } return vault.Count.ToString();""", "2", "mailbox,vault");
    }
}
