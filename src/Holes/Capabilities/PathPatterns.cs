namespace Holes.Capabilities;

/// <summary>
/// Matches paths against the classified patterns of <see cref="FileSystemOptions.ClassifiedPatterns"/>: globs over a
/// path's trailing segments, case-insensitive (a <c>.ENV</c> is as secret as a <c>.env</c>).
/// </summary>
internal sealed class PathPatterns
{
    private readonly (string Text, string[] Segments, bool Folder)[] _patterns;

    public PathPatterns(IEnumerable<string> patterns)
    {
        var parsed = new List<(string, string[], bool)>();
        foreach (var pattern in patterns)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                throw new ArgumentException("A classified pattern is empty; give a file name glob such as '*.pem' or a folder such as '.ssh/'.", nameof(patterns));
            }

            var trimmed = pattern.Trim().Replace('\\', '/');
            var folder = trimmed.EndsWith('/');
            var segments = trimmed.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            parsed.Add((pattern, segments, folder));
        }

        _patterns = [.. parsed];
    }

    /// <summary>The first pattern that classifies <paramref name="fullPath"/>, or <see langword="null"/>.</summary>
    public string? Match(string fullPath)
    {
        var segments = fullPath.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var (text, pattern, folder) in _patterns)
        {
            if (folder ? MatchesFolder(segments, pattern) : MatchesTail(segments, pattern, segments.Length))
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>A folder pattern matches when the path runs through (or is) a folder it names.</summary>
    private static bool MatchesFolder(string[] segments, string[] pattern)
    {
        for (var end = pattern.Length; end <= segments.Length; end++)
        {
            if (MatchesTail(segments, pattern, end))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the segments ending just before <paramref name="end"/> match the pattern's segments.</summary>
    private static bool MatchesTail(string[] segments, string[] pattern, int end)
    {
        if (pattern.Length == 0 || end < pattern.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (!Glob(pattern[i], segments[end - pattern.Length + i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A glob over one segment: <c>*</c> is any run of characters, <c>?</c> any one character.</summary>
    internal static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
