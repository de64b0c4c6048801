using Holes.Capabilities;

namespace Holes.Tests.CapabilityLibrary;

public sealed class FileSystemTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _root;
    private readonly string _outsideFile;
    private readonly string _outsideFolder;

    public FileSystemTests()
    {
        _root = _temp.Folder("root");
        _outsideFile = _temp.File("outside.txt", "outside");
        _outsideFolder = _temp.Folder("elsewhere");
        _temp.File("elsewhere/secret.txt", "not yours");
        _temp.File("root/notes.txt", "hello");
        _temp.File("root/docs/a.md", "# A");
        _temp.File("root/docs/deep/b.md", "# B");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Reads_text_and_bytes_by_relative_and_absolute_path()
    {
        var files = FileSystem.ReadOnly(_root);

        Assert.Equal("hello", await files.ReadTextAsync("notes.txt"));
        Assert.Equal("# A", await files.ReadTextAsync(Path.Combine(_root, "docs", "a.md")));
        Assert.Equal("# B"u8.ToArray(), await files.ReadBytesAsync("docs/./deep/../deep/b.md"));
        Assert.True(await files.ExistsAsync("docs"));
        Assert.False(await files.ExistsAsync("missing.txt"));
    }

    [Fact]
    public async Task A_missing_file_is_named_in_the_error()
    {
        var files = FileSystem.ReadOnly(_root);
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => files.ReadTextAsync("nope.txt"));
        Assert.Contains("'nope.txt'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("docs/../../outside.txt")]
    [InlineData("../elsewhere/secret.txt")]
    public async Task Dot_dot_out_of_the_root_is_refused(string path)
    {
        var files = FileSystem.ReadWrite(_root);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync(path));
        Assert.Contains($"'{path}' is outside", error.Message, StringComparison.Ordinal);
        Assert.Contains(files.Roots[0], error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Target);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WriteTextAsync(path, "x"));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ExistsAsync(path));
        Assert.Equal("outside", File.ReadAllText(_outsideFile));
    }

    [Fact]
    public async Task An_absolute_path_outside_the_root_is_refused()
    {
        var files = FileSystem.ReadOnly(_root);

        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync(_outsideFile));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ListAsync(_outsideFolder));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ListAsync("/"));
        // A sibling whose name starts with the root's name is not under the root.
        var sibling = _temp.File("root2/x.txt", "x");
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync(sibling));
    }

    [Fact]
    public async Task A_file_link_out_of_the_root_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link.txt"), _outsideFile);
        var files = FileSystem.ReadWrite(_root);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("link.txt"));
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WriteTextAsync("link.txt", "overwritten"));
        Assert.Equal("outside", File.ReadAllText(_outsideFile));
    }

    [Fact]
    public async Task A_folder_link_out_of_the_root_is_refused_for_every_operation()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "out"), _outsideFolder);
        var files = FileSystem.ReadWrite(_root);

        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("out/secret.txt"));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ListAsync("out"));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WalkAsync("out"));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WriteTextAsync("out/new.txt", "x"));
        Assert.False(File.Exists(Path.Combine(_outsideFolder, "new.txt")));
    }

    [Fact]
    public async Task Dot_dot_after_a_folder_link_goes_up_from_where_the_link_leads()
    {
        // out -> <temp>/elsewhere, so out/../outside.txt is <temp>/outside.txt for the kernel, not root/outside.txt.
        Directory.CreateSymbolicLink(Path.Combine(_root, "out"), _outsideFolder);
        _temp.File("root/outside.txt", "inside");
        var files = FileSystem.ReadOnly(_root);

        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("out/../outside.txt"));
        Assert.Equal("inside", await files.ReadTextAsync("docs/../outside.txt"));
    }

    [Fact]
    public async Task Links_that_stay_inside_the_root_work()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "alias.txt"), "notes.txt");
        Directory.CreateSymbolicLink(Path.Combine(_root, "d"), Path.Combine(_root, "docs"));
        var files = FileSystem.ReadOnly(_root);

        Assert.Equal("hello", await files.ReadTextAsync("alias.txt"));
        Assert.Equal("# B", await files.ReadTextAsync("d/deep/b.md"));
    }

    [Fact]
    public async Task A_link_loop_is_refused_with_a_clear_error()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        File.CreateSymbolicLink(Path.Combine(_root, "b"), Path.Combine(_root, "a"));
        var files = FileSystem.ReadOnly(_root);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("a"));
        Assert.Contains("symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_file_system_refuses_writes_and_says_how_to_get_one()
    {
        var files = FileSystem.ReadOnly(_root);

        Assert.False(files.CanWrite);
        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WriteTextAsync("notes.txt", "changed"));
        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        Assert.Contains("FileSystem.ReadWrite", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WriteBytesAsync("new.bin", [1, 2]));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(_root, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(_root, "new.bin")));
    }

    [Fact]
    public async Task A_read_write_file_system_writes_and_creates_folders()
    {
        var files = FileSystem.ReadWrite(_root);

        await files.WriteTextAsync("out/report.txt", "done ✓");
        await files.WriteBytesAsync("out/data.bin", [1, 2, 3]);

        Assert.Equal("done ✓", File.ReadAllText(Path.Combine(_root, "out", "report.txt")));
        Assert.Equal("done ✓", await files.ReadTextAsync("out/report.txt"));
        Assert.Equal([1, 2, 3], await files.ReadBytesAsync("out/data.bin"));
    }

    [Fact]
    public async Task Lists_a_folder_sorted_and_walks_it_depth_first()
    {
        var files = FileSystem.ReadOnly(_root);

        var list = await files.ListAsync(".");
        Assert.Equal(["docs", "notes.txt"], list.Entries.Select(e => e.Name));
        Assert.True(list.Entries[0].IsDirectory);
        Assert.Equal(5, list.Entries[1].Length);
        Assert.Equal(Path.Combine(files.Roots[0], "notes.txt"), list.Entries[1].Path);
        Assert.False(list.Truncated);

        var walk = await files.WalkAsync("docs");
        Assert.Equal(["a.md", "deep", "b.md"], walk.Entries.Select(e => e.Name));
        Assert.False(walk.Truncated);
    }

    [Fact]
    public async Task A_walk_stops_at_its_cap_and_says_so()
    {
        for (var i = 0; i < 5; i++)
        {
            _temp.File($"root/many/{i}.txt", "x");
        }

        var files = FileSystem.ReadOnly(_root);
        var walk = await files.WalkAsync("many", maxEntries: 3);

        Assert.Equal(3, walk.Entries.Count);
        Assert.True(walk.Truncated);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => files.WalkAsync(".", maxEntries: 0));
        var capped = new FileSystem(new FileSystemOptions { Roots = [_root], MaxEntries = 2 });
        Assert.True((await capped.ListAsync("many")).Truncated);
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => capped.WalkAsync(".", maxEntries: 3));
        Assert.Contains("between 1 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_walk_lists_a_folder_link_but_does_not_enter_it()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "docs", "loop"), _root);
        var files = FileSystem.ReadOnly(_root);

        var walk = await files.WalkAsync(".");

        Assert.Contains(walk.Entries, e => e.Name == "loop");
        Assert.DoesNotContain(walk.Entries, e => e.Path.Contains("loop/", StringComparison.Ordinal));
        Assert.False(walk.Truncated);
    }

    [Theory]
    [InlineData(".env")]
    [InlineData(".env.production")]
    [InlineData(".ssh/id_ed25519")]
    [InlineData(".ssh/config")]
    [InlineData("certs/server.pem")]
    [InlineData("deploy.key")]
    [InlineData("id_rsa")]
    [InlineData("id_rsa.pub")]
    [InlineData("credentials.json")]
    [InlineData("app/secrets.json")]
    [InlineData("store.pfx")]
    [InlineData("CREDENTIALS")]
    public async Task Classified_files_read_only_as_classified(string path)
    {
        _temp.File("root/" + path, "s3cr3t");
        var files = FileSystem.ReadWrite(_root);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync(path));
        Assert.Contains("ReadClassifiedAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{path}' is classified", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadBytesAsync(path));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WriteTextAsync(path, "replaced"));

        var secret = await files.ReadClassifiedAsync(path);
        Assert.Equal("Classified<String>(***)", secret.ToString());
        Assert.Equal("s3cr3t", secret.Reveal());
        Assert.Equal(6, secret.Map(s => s.Length).Reveal());
    }

    [Fact]
    public async Task Listings_mark_classified_entries_and_a_link_to_a_secret_is_classified()
    {
        _temp.File("root/.env", "KEY=1");
        File.CreateSymbolicLink(Path.Combine(_root, "innocent.txt"), Path.Combine(_root, ".env"));
        var files = FileSystem.ReadOnly(_root);

        var entries = (await files.ListAsync(".")).Entries.ToDictionary(e => e.Name, e => e.IsClassified);
        Assert.True(entries[".env"]);
        Assert.True(entries["innocent.txt"]);
        Assert.False(entries["notes.txt"]);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("innocent.txt"));
    }

    [Fact]
    public async Task Classified_patterns_are_configurable()
    {
        _temp.File("root/private/plan.txt", "p");
        _temp.File("root/.env", "KEY=1");
        var files = new FileSystem(new FileSystemOptions { Roots = [_root], ClassifiedPatterns = ["private/", "*.md"] });

        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("private/plan.txt"));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("docs/a.md"));
        Assert.Equal("KEY=1", await files.ReadTextAsync(".env"));
    }

    [Fact]
    public async Task Files_above_the_size_cap_are_refused()
    {
        var files = new FileSystem(new FileSystemOptions { Roots = [_root], MaxFileBytes = 3, AllowWrite = true });

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.ReadTextAsync("notes.txt"));
        Assert.Contains("5 bytes", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => files.WriteTextAsync("x.txt", "four"));
    }

    [Fact]
    public async Task Several_roots_each_reachable_by_absolute_path()
    {
        var second = _temp.Folder("second");
        _temp.File("second/s.txt", "second");
        var files = FileSystem.ReadOnly(_root, second);

        Assert.Equal("second", await files.ReadTextAsync(Path.Combine(second, "s.txt")));
        Assert.Equal("hello", await files.ReadTextAsync("notes.txt"));
        Assert.Equal(2, files.Roots.Count);
        Assert.StartsWith("FileSystem(read-only; roots: ", files.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_must_exist()
    {
        var error = Assert.Throws<ArgumentException>(() => FileSystem.ReadOnly(Path.Combine(_root, "missing")));
        Assert.Contains("not an existing folder", error.Message, StringComparison.Ordinal);
    }
}
