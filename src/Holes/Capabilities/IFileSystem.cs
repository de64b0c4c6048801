namespace Holes.Capabilities;

/// <summary>
/// Files under the folders the program granted, and nothing else. Paths are absolute, or relative to the first root;
/// symbolic links and <c>..</c> are resolved before the check, so no path leads out of the roots. Secrets (keys,
/// credentials, <c>.env</c> files) are classified: read them with <see cref="ReadClassifiedAsync"/>.
/// </summary>
/// <remarks>
/// Two read methods instead of one: whether a value is classified must show in its static type, because the verifier
/// decides from types where classified data may flow. <see cref="ReadTextAsync"/> returns a plain string and refuses
/// classified files; <see cref="ReadClassifiedAsync"/> returns <see cref="Classified{T}"/> for any file. A single
/// method that returned <see cref="Classified{T}"/> for everything would make every ordinary read a <c>Map</c>.
/// </remarks>
[Capability]
public interface IFileSystem
{
    /// <summary>The folders this file system reaches, as absolute paths with links resolved; relative paths start at the first.</summary>
    IReadOnlyList<string> Roots { get; }

    /// <summary>Whether writes are granted. A read-only file system refuses every write.</summary>
    bool CanWrite { get; }

    /// <summary>Whether a file or folder exists at the path (under a root).</summary>
    /// <param name="path">An absolute path, or one relative to the first root.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when a file or folder is there.</returns>
    /// <exception cref="CapabilityDeniedException">The path leads outside the roots.</exception>
    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Reads a text file (UTF-8 unless it starts with another byte order mark). Refuses classified files.</summary>
    /// <param name="path">An absolute path, or one relative to the first root.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file's text.</returns>
    /// <exception cref="CapabilityDeniedException">The path leads outside the roots, the file is classified (use <see cref="ReadClassifiedAsync"/>), or it is larger than the program allows.</exception>
    /// <exception cref="FileNotFoundException">There is no file at the path.</exception>
    Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Reads a file's bytes. Refuses classified files.</summary>
    /// <param name="path">An absolute path, or one relative to the first root.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="CapabilityDeniedException">The path leads outside the roots, the file is classified, or it is larger than the program allows.</exception>
    /// <exception cref="FileNotFoundException">There is no file at the path.</exception>
    Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a text file as classified data: the text can be transformed with <c>Map</c> but never revealed, printed
    /// or sent anywhere except a trusted sink. Works for any file, classified or not.
    /// </summary>
    /// <param name="path">An absolute path, or one relative to the first root.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file's text, classified.</returns>
    /// <exception cref="CapabilityDeniedException">The path leads outside the roots, or the file is larger than the program allows.</exception>
    /// <exception cref="FileNotFoundException">There is no file at the path.</exception>
    Task<Classified<string>> ReadClassifiedAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Writes a text file as UTF-8, replacing it if it exists and creating missing folders. Needs write access.</summary>
    /// <param name="path">An absolute path, or one relative to the first root.</param>
    /// <param name="content">The text to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="CapabilityDeniedException">The file system is read-only, the path leads outside the roots, or the path is classified.</exception>
    Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default);

    /// <summary>Writes a file's bytes, replacing it if it exists and creating missing folders. Needs write access.</summary>
    /// <param name="path">An absolute path, or one relative to the first root.</param>
    /// <param name="content">The bytes to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="CapabilityDeniedException">The file system is read-only, the path leads outside the roots, or the path is classified.</exception>
    Task WriteBytesAsync(string path, byte[] content, CancellationToken cancellationToken = default);

    /// <summary>Lists a folder's files and folders (not recursive), sorted by name.</summary>
    /// <param name="path">An absolute path, or one relative to the first root; <c>"."</c> is the first root.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The entries, and whether the listing stopped at the program's cap.</returns>
    /// <exception cref="CapabilityDeniedException">The path leads outside the roots.</exception>
    /// <exception cref="DirectoryNotFoundException">There is no folder at the path.</exception>
    Task<FileListing> ListAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists a folder and everything below it, depth first and sorted by name, up to <paramref name="maxEntries"/>
    /// entries. Folders reached through symbolic links are listed but not entered.
    /// </summary>
    /// <param name="path">An absolute path, or one relative to the first root; <c>"."</c> is the first root.</param>
    /// <param name="maxEntries">The most entries to return; the listing says when it stopped there.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The entries, and whether the walk stopped before the end.</returns>
    /// <exception cref="CapabilityDeniedException">The path leads outside the roots.</exception>
    /// <exception cref="DirectoryNotFoundException">There is no folder at the path.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEntries"/> is not positive or is above the program's cap.</exception>
    Task<FileListing> WalkAsync(string path, int maxEntries = 1000, CancellationToken cancellationToken = default);
}

/// <summary>A file or folder in a listing.</summary>
/// <param name="Path">The absolute path, usable with every <see cref="IFileSystem"/> method.</param>
/// <param name="Name">The file or folder name.</param>
/// <param name="IsDirectory">Whether it is a folder.</param>
/// <param name="Length">The file's size in bytes; 0 for a folder.</param>
/// <param name="LastModified">When it was last written.</param>
/// <param name="IsClassified">Whether it is classified: read it with <see cref="IFileSystem.ReadClassifiedAsync"/>.</param>
public sealed record FileEntry(string Path, string Name, bool IsDirectory, long Length, DateTimeOffset LastModified, bool IsClassified);

/// <summary>The entries of a listing or a walk.</summary>
/// <param name="Entries">The entries, in order.</param>
/// <param name="Truncated">Whether the listing stopped at its cap before the end.</param>
public sealed record FileListing(IReadOnlyList<FileEntry> Entries, bool Truncated);
