using System.Text.RegularExpressions;

namespace Holes.Capabilities;

/// <summary>What a <see cref="ProcessRunner"/> grants: the commands and their argument patterns, the timeout, the caps and the environment.</summary>
public sealed class ProcessRunnerOptions
{
    /// <summary>The commands that may run. A command not listed here is refused before anything starts.</summary>
    public IReadOnlyList<AllowedCommand> Commands { get; init; } = [];

    /// <summary>How long one run may take before the process and its children are killed. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most characters kept of standard output, and of standard error; the rest is read and dropped. Default 1,000,000.</summary>
    public int MaxOutputChars { get; init; } = 1_000_000;

    /// <summary>The folder processes start in; <see langword="null"/> for the host's current folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Whether processes inherit the host's whole environment. Default <see langword="false"/>: the environment may
    /// hold secrets (API keys, tokens), so a process gets only <c>PATH</c>, <c>HOME</c>, <c>LANG</c>, <c>LC_ALL</c> and
    /// <c>TMPDIR</c> from the host, plus <see cref="Environment"/>.
    /// </summary>
    public bool InheritEnvironment { get; init; }

    /// <summary>Environment variables set for every process, on top of what it inherits.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The clock the timeout runs on. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// A command a <see cref="ProcessRunner"/> may run: an absolute path (no <c>PATH</c> search happens) and regular
/// expressions its arguments must match.
/// </summary>
/// <example>
/// <code>
/// // git log|status|diff, then any number of plain path or revision arguments
/// new AllowedCommand("/usr/bin/git", "log|status|diff", @"[\w./-]+")
/// </code>
/// </example>
public sealed class AllowedCommand
{
    private readonly Regex[] _patterns;

    /// <summary>Allows a command.</summary>
    /// <param name="path">The program's absolute path, e.g. <c>/usr/bin/git</c>.</param>
    /// <param name="argumentPatterns">
    /// One regular expression per argument position, each matched against the whole argument; the last one applies
    /// to every further argument. None: the command takes no arguments. Use <c>".*"</c> to allow any argument.
    /// </param>
    /// <exception cref="ArgumentException">The path is not absolute, or a pattern is not a valid regular expression.</exception>
    public AllowedCommand(string path, params string[] argumentPatterns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(argumentPatterns);
        if (!System.IO.Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"The command '{path}' must be an absolute path (e.g. /usr/bin/{path}); no PATH search happens, so the program decides exactly which binary runs.", nameof(path));
        }

        Path = path;
        ArgumentPatterns = argumentPatterns;
        _patterns = new Regex[argumentPatterns.Length];
        for (var i = 0; i < argumentPatterns.Length; i++)
        {
            try
            {
                _patterns[i] = new Regex(@"\A(?:" + argumentPatterns[i] + @")\z", RegexOptions.CultureInvariant, PatternTimeout);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The argument pattern '{argumentPatterns[i]}' of '{path}' is not a valid regular expression: {ex.Message}", nameof(argumentPatterns), ex);
            }
        }
    }

    /// <summary>How long matching one argument may take. Fixed at 100 milliseconds.</summary>
    public static TimeSpan PatternTimeout { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The program's absolute path.</summary>
    public string Path { get; }

    /// <summary>The argument patterns, by position; the last applies to every further argument.</summary>
    public IReadOnlyList<string> ArgumentPatterns { get; }

    /// <summary>The most arguments one run may pass. Default 64.</summary>
    public int MaxArguments { get; init; } = 64;

    /// <summary>The command and what its arguments must look like, as the prompt shows it.</summary>
    /// <returns>For example <c>/usr/bin/git (argument 1: log|status|diff; then: [\w./-]+)</c>.</returns>
    public override string ToString()
    {
        if (ArgumentPatterns.Count == 0)
        {
            return Path + " (no arguments)";
        }

        if (ArgumentPatterns.Count == 1)
        {
            return $"{Path} (each argument: {ArgumentPatterns[0]}; at most {MaxArguments})";
        }

        var positions = ArgumentPatterns.Take(ArgumentPatterns.Count - 1).Select((p, i) => $"argument {i + 1}: {p}");
        return $"{Path} ({string.Join("; ", positions)}; then: {ArgumentPatterns[^1]}; at most {MaxArguments})";
    }

    /// <summary>Why the arguments are refused, or <see langword="null"/> when they are allowed.</summary>
    internal string? Refuse(IReadOnlyList<string> arguments)
    {
        if (arguments.Count > 0 && _patterns.Length == 0)
        {
            return $"'{Path}' takes no arguments here.";
        }

        if (arguments.Count > MaxArguments)
        {
            return $"'{Path}' takes at most {MaxArguments} arguments; {arguments.Count} were given.";
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i] ?? throw new ArgumentException($"Argument {i + 1} is null.", nameof(arguments));
            var pattern = _patterns[Math.Min(i, _patterns.Length - 1)];
            bool matches;
            try
            {
                matches = pattern.IsMatch(argument);
            }
            catch (RegexMatchTimeoutException)
            {
                matches = false;
            }

            if (!matches)
            {
                return $"argument {i + 1} ('{argument}') does not match the pattern {ArgumentPatterns[Math.Min(i, ArgumentPatterns.Count - 1)]} allowed for '{Path}' at that position.";
            }
        }

        return null;
    }
}
