using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Holes.Effects;

/// <summary>
/// Where the shared server of one build of this tool listens: a Unix domain socket in a directory only the current user
/// may enter, named after the tool's own file, so that two versions of the package never share a server and no other
/// user can connect to one.
/// </summary>
internal sealed class SharedEndpoint
{
    private SharedEndpoint(string directory, string name)
    {
        Directory = directory;
        SocketPath = Path.Combine(directory, name + ".sock");
        LockPath = Path.Combine(directory, name + ".lock");
    }

    /// <summary>The user's private directory of servers.</summary>
    public string Directory { get; }

    /// <summary>The socket the server listens on.</summary>
    public string SocketPath { get; }

    /// <summary>The file the running server holds locked, so that only one server serves this tool.</summary>
    public string LockPath { get; }

    /// <summary>The endpoint of this tool (or of <paramref name="name"/>, which tests use to run a server of their own).</summary>
    /// <returns><see langword="null"/> when the platform has no Unix domain sockets or the directory is not private to the user.</returns>
    public static SharedEndpoint? For(string? name = null)
    {
        if (!Socket.OSSupportsUnixDomainSockets)
        {
            return null;
        }

        var directory = Path.Combine(Path.GetTempPath(), "holes-effects-" + Environment.UserName);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                // The user's own temporary directory already keeps other users out.
                System.IO.Directory.CreateDirectory(directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

                // A directory someone else made, or opened to others, could hold a socket another user listens on.
                var info = new DirectoryInfo(directory);
                if (info.LinkTarget is not null || (info.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0 || !IsOwnedByCurrentUser(directory))
                {
                    return null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return new SharedEndpoint(directory, name ?? ToolName());
    }

    /// <summary>A name that changes with the tool's file: its path, size and time of writing.</summary>
    private static string ToolName()
    {
        var tool = typeof(SharedEndpoint).Assembly.Location;
        var file = new FileInfo(tool);
        var identity = $"{tool}|{file.Length}|{file.LastWriteTimeUtc.Ticks}";
        return "v-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 10));
    }

    private static bool IsOwnedByCurrentUser(string path)
    {
        // Mode 0700 lets only the owner make a file in it (and root, which may connect anywhere anyway).
        var probe = Path.Combine(path, ".probe-" + Environment.ProcessId);
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
