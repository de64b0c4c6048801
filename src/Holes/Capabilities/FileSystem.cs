using System.Text;

namespace Holes.Capabilities;

/// <summary>
/// The <see cref="IFileSystem"/> capability: files under the roots the program grants, read-only unless writes are
/// granted too. Hand it to a hole to let the fill read (or write) there; a fill can never construct one.
/// </summary>
/// <remarks>
/// <para>
/// Every path is resolved the way the operating system would (each symbolic link followed, <c>..</c> applied to the
/// folder a link leads to) before it is checked against the roots, and the resolved path is what gets opened; so a
/// link inside a root that points outside it is refused, whether it names a file or a folder.
/// </para>
/// <para>
/// Limits: a link swapped in between the check and the open (by another process racing the fill) is not detected,
/// and hard links cannot be told from ordinary files. Give a hole a root that no untrusted process writes to.
/// </para>
/// </remarks>
public sealed class FileSystem : IFileSystem
{
    private const int MaxLinkHops = 40;

    private static readonly StringComparison s_pathComparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
        ? StringComparison.OrdinalIgnoreCase
        : StringComparison.Ordinal;

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string[] _roots;
    private readonly PathPatterns _classified;
    private readonly FileSystemOptions _options;

    /// <summary>Creates a file system over the given roots.</summary>
    /// <param name="options">The roots, whether writes are granted, the classified patterns and the caps.</param>
    /// <exception cref="ArgumentException">No root is given, or a root is not an existing folder.</exception>
    public FileSystem(FileSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Roots.Count == 0)
        {
            throw new ArgumentException("A FileSystem needs at least one root folder.", nameof(options));
        }

        if (options.MaxFileBytes <= 0 || options.MaxEntries <= 0)
        {
            throw new ArgumentException("FileSystemOptions.MaxFileBytes and MaxEntries must be positive.", nameof(options));
        }

        _options = options;
        _classified = new PathPatterns(options.ClassifiedPatterns);
        var roots = new List<string>();
        foreach (var root in options.Roots)
        {
            if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root))
            {
                throw new ArgumentException($"The root '{root}' is not an existing folder; a FileSystem's roots must exist when it is created.", nameof(options));
            }

            var real = Path.TrimEndingDirectorySeparator(RealPath(Path.GetFullPath(root), root));
            if (!roots.Contains(real, StringComparer.FromComparison(s_pathComparison)))
            {
                roots.Add(real);
            }
        }

        _roots = [.. roots];
    }

    /// <summary>A file system that reads under <paramref name="roots"/> and refuses every write.</summary>
    /// <param name="roots">The folders it reaches; relative paths start at the first.</param>
    /// <returns>The file system.</returns>
    public static FileSystem ReadOnly(params string[] roots) => new(new FileSystemOptions { Roots = roots });

    /// <summary>A file system that reads and writes under <paramref name="roots"/>.</summary>
    /// <param name="roots">The folders it reaches; relative paths start at the first.</param>
    /// <returns>The file system.</returns>
    public static FileSystem ReadWrite(params string[] roots) => new(new FileSystemOptions { Roots = roots, AllowWrite = true });

    /// <inheritdoc />
    public IReadOnlyList<string> Roots => _roots;

    /// <inheritdoc />
    public bool CanWrite => _options.AllowWrite;

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = Resolve(path);
        return Task.FromResult(File.Exists(resolved.Real) || Directory.Exists(resolved.Real));
    }

    /// <inheritdoc />
    public async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = ResolveUnclassified(path, "read");
        return Decode(await ReadCappedAsync(path, resolved.Real, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = ResolveUnclassified(path, "read");
        return await ReadCappedAsync(path, resolved.Real, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Classified<string>> ReadClassifiedAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = Resolve(path);
        return new Classified<string>(Decode(await ReadCappedAsync(path, resolved.Real, cancellationToken).ConfigureAwait(false)));
    }

    /// <inheritdoc />
    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return WriteBytesAsync(path, s_utf8.GetBytes(content), cancellationToken);
    }

    /// <inheritdoc />
    public async Task WriteBytesAsync(string path, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!_options.AllowWrite)
        {
            throw Denied(path, $"'{path}' cannot be written: this file system is read-only (roots: {RootList}). " +
                "Return the content instead, or have the program hand in a writable FileSystem (FileSystem.ReadWrite).");
        }

        var resolved = ResolveUnclassified(path, "written");
        if (content.LongLength > _options.MaxFileBytes)
        {
            throw Denied(path, $"'{path}' cannot be written: {content.LongLength} bytes is more than the {_options.MaxFileBytes} bytes this file system writes at once.");
        }

        if (Path.GetDirectoryName(resolved.Real) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllBytesAsync(resolved.Real, content, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<FileListing> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        var folder = ResolveFolder(path);
        var entries = new List<FileEntry>();
        var truncated = false;
        foreach (var info in Children(folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entries.Count == _options.MaxEntries)
            {
                truncated = true;
                break;
            }

            entries.Add(Entry(info));
        }

        return Task.FromResult(new FileListing(entries, truncated));
    }

    /// <inheritdoc />
    public Task<FileListing> WalkAsync(string path, int maxEntries = 1000, CancellationToken cancellationToken = default)
    {
        if (maxEntries <= 0 || maxEntries > _options.MaxEntries)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, $"maxEntries must be between 1 and {_options.MaxEntries}, the cap this file system was given.");
        }

        var folder = ResolveFolder(path);
        var entries = new List<FileEntry>();
        var pending = new Stack<FileSystemInfo>(Children(folder).Reverse());
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entries.Count == maxEntries)
            {
                return Task.FromResult(new FileListing(entries, Truncated: true));
            }

            var info = pending.Pop();
            entries.Add(Entry(info));

            // A folder reached through a link is listed, not entered: it may lead out of the root or back up into a cycle.
            if (info is DirectoryInfo && info.LinkTarget is null)
            {
                foreach (var child in Children(info.FullName).Reverse())
                {
                    pending.Push(child);
                }
            }
        }

        return Task.FromResult(new FileListing(entries, Truncated: false));
    }

    /// <summary>The grant in one line: shown as the value's preview in a hole's prompt.</summary>
    /// <returns>For example <c>FileSystem(read-only; roots: /srv/docs)</c>.</returns>
    public override string ToString() => $"FileSystem({(CanWrite ? "read-write" : "read-only")}; roots: {RootList})";

    private string RootList => string.Join(", ", _roots);

    private FileEntry Entry(FileSystemInfo info)
    {
        var isDirectory = info is DirectoryInfo;
        var classified = _classified.Match(info.FullName) is not null;
        if (!classified && info.LinkTarget is not null)
        {
            // A link is classified when what it leads to is; whether it leads out of the roots shows when it is read.
            try
            {
                classified = _classified.Match(RealPath(info.FullName, info.FullName)) is not null;
            }
            catch (IOException)
            {
                // A broken or looping link: reading it will say so.
            }
        }

        return new FileEntry(
            info.FullName,
            info.Name,
            isDirectory,
            info is FileInfo file ? SafeLength(file) : 0,
            new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
            classified);
    }

    private static long SafeLength(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static IEnumerable<FileSystemInfo> Children(string folder) =>
        new DirectoryInfo(folder)
            .EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 })
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .ToList();

    private string ResolveFolder(string path)
    {
        var resolved = Resolve(path);
        if (!Directory.Exists(resolved.Real))
        {
            throw new DirectoryNotFoundException($"There is no folder at '{path}' (resolved to '{resolved.Real}'). List one of the roots ({RootList}) to see what is there.");
        }

        return resolved.Real;
    }

    private (string Full, string Real) ResolveUnclassified(string path, string verb)
    {
        var resolved = Resolve(path);
        var pattern = _classified.Match(resolved.Full) ?? _classified.Match(resolved.Real);
        if (pattern is null)
        {
            return resolved;
        }

        throw Denied(path, verb == "read"
            ? $"'{path}' is classified (it matches the pattern '{pattern}'), so it cannot be read as plain text or bytes. " +
              "Read it with ReadClassifiedAsync, which returns Classified<string>: transform it with Map, and it never leaves the program."
            : $"'{path}' is classified (it matches the pattern '{pattern}'): this file system never writes keys, credentials or secrets. Write to another path.");
    }

    /// <summary>
    /// The path as the fill named it (made absolute) and as the operating system would resolve it (links followed);
    /// refuses it unless the resolved path lies under a root.
    /// </summary>
    private (string Full, string Real) Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character.", nameof(path));
        }

        var combined = Path.IsPathFullyQualified(path) ? path : Path.Join(_roots[0], path);
        var full = Path.GetFullPath(combined);
        string real;
        try
        {
            real = RealPath(combined, path);
        }
        catch (IOException ex)
        {
            throw Denied(path, $"'{path}' cannot be resolved: {ex.Message} Use a path under one of the roots ({RootList}).");
        }

        if (!UnderARoot(real))
        {
            var through = string.Equals(Path.TrimEndingDirectorySeparator(full), real, s_pathComparison)
                ? ""
                : $" (it leads to '{real}' through a symbolic link or '..')";
            throw Denied(path, $"'{path}' is outside the folders this file system may reach{through}. Use a path under one of: {RootList}.");
        }

        return (full, real);
    }

    private bool UnderARoot(string real)
    {
        foreach (var root in _roots)
        {
            if (string.Equals(real, root, s_pathComparison))
            {
                return true;
            }

            var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
            if (real.StartsWith(prefix, s_pathComparison))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Resolves <paramref name="path"/> segment by segment as the kernel does: a link is replaced by its target (itself
    /// resolved), and <c>..</c> goes up from the folder reached so far, not from the text. Segments that do not exist
    /// yet (a file about to be written) are appended as they are.
    /// </summary>
    private static string RealPath(string path, string named)
    {
        var hops = 0;
        return Walk(path);

        string Walk(string p)
        {
            var root = Path.GetPathRoot(p);
            if (string.IsNullOrEmpty(root))
            {
                throw new IOException($"'{p}' is not an absolute path.");
            }

            var current = root;
            var missing = false;
            foreach (var segment in p[root.Length..].Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries))
            {
                if (segment == ".")
                {
                    continue;
                }

                if (segment == "..")
                {
                    current = Path.GetDirectoryName(current) ?? current;
                    continue;
                }

                var candidate = Path.Join(current, segment);
                var target = missing ? null : new FileInfo(candidate).LinkTarget;
                if (target is null)
                {
                    missing = missing || !(File.Exists(candidate) || Directory.Exists(candidate));
                    current = candidate;
                    continue;
                }

                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"Too many levels of symbolic links under '{named}'.");
                }

                current = Walk(Path.IsPathFullyQualified(target) ? target : Path.Join(current, target));
            }

            return current;
        }
    }

    private async Task<byte[]> ReadCappedAsync(string path, string real, CancellationToken cancellationToken)
    {
        if (Directory.Exists(real))
        {
            throw new UnauthorizedAccessException($"'{path}' is a folder, not a file. List it with ListAsync or WalkAsync.");
        }

        if (!File.Exists(real))
        {
            throw new FileNotFoundException($"There is no file at '{path}'. List its folder with ListAsync to see what is there.", path);
        }

        var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length > _options.MaxFileBytes)
            {
                throw Denied(path, $"'{path}' is {stream.Length} bytes, more than the {_options.MaxFileBytes} bytes this file system reads at once.");
            }

            var buffer = new byte[stream.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read == buffer.Length ? buffer : buffer[..read];
        }
    }

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), s_utf8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static CapabilityDeniedException Denied(string path, string message) => new(nameof(FileSystem), path, message);
}
