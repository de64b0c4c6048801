namespace Holes.Capabilities;

/// <summary>What a <see cref="FileSystem"/> grants: its roots, whether it may write, which files are classified, and its caps.</summary>
public sealed class FileSystemOptions
{
    /// <summary>
    /// The patterns classified by default: environment files, SSH, GnuPG and cloud credential folders, private keys
    /// and certificates, credential and secret files, password databases.
    /// </summary>
    public static IReadOnlyList<string> DefaultClassifiedPatterns { get; } =
    [
        ".env", ".env.*", "*.env",
        ".ssh/", ".gnupg/", ".aws/", ".azure/", ".kube/", ".docker/config.json", ".config/gcloud/",
        "*.pem", "*.key", "*.pfx", "*.p12", "*.jks", "*.keystore", "*.kdbx",
        "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*",
        "credentials*", "secrets.json", "secrets.*.json", "*.secrets.json",
        ".netrc", ".pgpass", ".git-credentials", ".npmrc", ".pypirc",
    ];

    /// <summary>The folders the file system reaches. Each must exist; links in them are resolved once, at construction.</summary>
    public IReadOnlyList<string> Roots { get; init; } = [];

    /// <summary>Whether writes are granted. Default <see langword="false"/>: a read-only file system.</summary>
    public bool AllowWrite { get; init; }

    /// <summary>
    /// Files that read as <see cref="Classified{T}"/> and are never written. A pattern is matched case-insensitively
    /// against the path's last segments, with <c>*</c> and <c>?</c> as wildcards within a segment: <c>*.pem</c> is any
    /// file ending in <c>.pem</c>; a pattern ending in <c>/</c> (<c>.ssh/</c>) classifies everything below a folder of that
    /// name; a pattern with a <c>/</c> inside (<c>.docker/config.json</c>) matches that many trailing segments.
    /// Default <see cref="DefaultClassifiedPatterns"/>.
    /// </summary>
    public IReadOnlyList<string> ClassifiedPatterns { get; init; } = DefaultClassifiedPatterns;

    /// <summary>The largest file, in bytes, read or written at once. Default 16 MiB.</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>The most entries one listing or walk returns. Default 10,000.</summary>
    public int MaxEntries { get; init; } = 10_000;
}
