using System.Text.RegularExpressions;

namespace Holes.Pipeline.Run;

/// <summary>
/// Takes the host's file-system paths out of text that reaches a model or a fill (an exception's message, a failure
/// described to the model): each absolute path is reduced to its file name, so the program's layout on disk (user
/// names, checkout folders) does not leak. Stack traces are never shown at all (HOLE1019 denies them to fills).
/// </summary>
internal static partial class HostPaths
{
    public static string Strip(string text) => text.Length == 0 ? text : AbsolutePath().Replace(text, m => m.Groups["file"].Value);

    [GeneratedRegex(@"(?<![\w.~:/\\])(?:[A-Za-z]:[\\/]|/)(?:[^\s:/\\'""()<>|]+[\\/])+(?<file>[^\s:/\\'""()<>|]*)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AbsolutePath();
}
