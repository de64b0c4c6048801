using Holes.Capabilities;

namespace Holes.Tests.CapabilityLibrary;

public sealed class ProcessRunnerTests
{
    private static readonly AllowedCommand Echo = new("/bin/echo", "[a-z0-9 ;$()|&*-]*");

    [Fact]
    public async Task An_allowed_command_runs_with_its_arguments_as_given()
    {
        var runner = ProcessRunner.For(Echo);

        // No shell: the metacharacters are plain text to echo.
        var result = await runner.RunAsync("/bin/echo", ["hello", "$(id); ls | cat &"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello $(id); ls | cat &\n", result.StandardOutput);
        Assert.Equal("", result.StandardError);
        Assert.False(result.TimedOut);
        Assert.False(result.Truncated);
    }

    [Fact]
    public async Task A_command_is_found_by_its_file_name_too()
    {
        var result = await ProcessRunner.For(Echo).RunAsync("echo", ["by", "name"]);
        Assert.Equal("by name\n", result.StandardOutput);
    }

    [Theory]
    [InlineData("/bin/sh")]
    [InlineData("sh")]
    [InlineData("/usr/bin/echo")]   // same program, another path: not what the program allowed
    [InlineData("../bin/echo")]
    public async Task Another_command_is_refused(string command)
    {
        var runner = ProcessRunner.For(Echo);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => runner.RunAsync(command, ["-c", "touch /tmp/x"]));

        Assert.Contains($"'{command}' is not a command", error.Message, StringComparison.Ordinal);
        Assert.Contains("/bin/echo", error.Message, StringComparison.Ordinal);
        Assert.Equal(command, error.Target);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("a\nb")]
    [InlineData("ok", "--évil")]
    public async Task An_argument_off_the_pattern_is_refused(params string[] arguments)
    {
        var runner = ProcessRunner.For(Echo);

        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => runner.RunAsync("/bin/echo", arguments));
        Assert.Contains("does not match the pattern", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patterns_are_positional_and_the_last_repeats()
    {
        var runner = ProcessRunner.For(new AllowedCommand("/bin/echo", "first|second", "[0-9]+") { MaxArguments = 3 });

        Assert.Equal("first 1 2\n", (await runner.RunAsync("echo", ["first", "1", "2"])).StandardOutput);
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => runner.RunAsync("echo", ["1", "first"]));
        await Assert.ThrowsAsync<CapabilityDeniedException>(() => runner.RunAsync("echo", ["firstx"]));   // anchored
        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => runner.RunAsync("echo", ["first", "1", "2", "3"]));
        Assert.Contains("at most 3 arguments", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_without_patterns_takes_no_arguments()
    {
        var runner = ProcessRunner.For(new AllowedCommand("/bin/echo"));

        Assert.Equal("\n", (await runner.RunAsync("echo", [])).StandardOutput);
        var error = await Assert.ThrowsAsync<CapabilityDeniedException>(() => runner.RunAsync("echo", ["x"]));
        Assert.Contains("takes no arguments", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_past_the_timeout_is_killed()
    {
        var runner = new ProcessRunner(new ProcessRunnerOptions
        {
            Commands = [new AllowedCommand("/bin/sleep", "[0-9]+")],
            Timeout = TimeSpan.FromMilliseconds(200),
        });

        var result = await runner.RunAsync("sleep", ["10"]);

        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
    }

    [Fact]
    public async Task A_process_that_never_reads_its_input_still_meets_the_timeout()
    {
        var runner = new ProcessRunner(new ProcessRunnerOptions
        {
            Commands = [new AllowedCommand("/bin/sleep", "[0-9]+")],
            Timeout = TimeSpan.FromMilliseconds(200),
        });

        // Far more than a pipe holds: writing it all first would block until sleep exits.
        var result = await runner.RunAsync("sleep", ["10"], new string('z', 1_000_000));

        Assert.True(result.TimedOut);
    }

    [Fact]
    public async Task The_timeout_kills_the_whole_process_tree()
    {
        // sh starts sleep as a child, prints its pid and waits: killing only sh would leave sleep running.
        var runner = new ProcessRunner(new ProcessRunnerOptions
        {
            Commands = [new AllowedCommand("/bin/sh", "-c", ".*")],
            Timeout = TimeSpan.FromMilliseconds(300),
        });

        var result = await runner.RunAsync("sh", ["-c", "/bin/sleep 30 & echo $!; wait"]);

        Assert.True(result.TimedOut);
        var child = int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await GoneAsync(child), $"the child process {child} survived the timeout");
    }

    /// <summary>Whether the process is gone (or a zombie waiting to be reaped); polls briefly, since a kill is asynchronous.</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Split(' ')[2] is "Z" or "X")
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    [Fact]
    public async Task Cancellation_kills_the_process_and_throws()
    {
        var runner = ProcessRunner.For(new AllowedCommand("/bin/sleep", "[0-9]+"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync("sleep", ["10"], cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task Output_is_cut_at_the_cap_and_the_process_still_finishes()
    {
        var runner = new ProcessRunner(new ProcessRunnerOptions
        {
            Commands = [new AllowedCommand("/bin/cat")],
            MaxOutputChars = 5,
        });

        // Far more than a pipe buffer: the runner must keep draining past the cap or cat would block.
        var input = new string('y', 1_000_000);
        var result = await runner.RunAsync("cat", [], input);

        Assert.Equal("yyyyy", result.StandardOutput);
        Assert.True(result.Truncated);
        Assert.Equal(0, result.ExitCode);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task Standard_error_and_the_exit_code_come_back()
    {
        var runner = ProcessRunner.For(new AllowedCommand("/bin/ls", "/no-such-path-for-holes"));

        var result = await runner.RunAsync("ls", ["/no-such-path-for-holes"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-such-path-for-holes", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosts_environment_is_not_inherited_by_default()
    {
        Environment.SetEnvironmentVariable("HOLES_TEST_SECRET", "leaked");
        try
        {
            var env = new AllowedCommand("/usr/bin/env");
            var isolated = await new ProcessRunner(new ProcessRunnerOptions { Commands = [env], Environment = new Dictionary<string, string> { ["MODE"] = "test" } })
                .RunAsync("env", []);
            var inherited = await new ProcessRunner(new ProcessRunnerOptions { Commands = [env], InheritEnvironment = true }).RunAsync("env", []);

            Assert.DoesNotContain("HOLES_TEST_SECRET", isolated.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("MODE=test", isolated.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("HOLES_TEST_SECRET=leaked", inherited.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HOLES_TEST_SECRET", null);
        }
    }

    [Fact]
    public void Commands_must_be_absolute_and_patterns_valid()
    {
        Assert.Contains("absolute path", Assert.Throws<ArgumentException>(() => new AllowedCommand("echo")).Message, StringComparison.Ordinal);
        Assert.Contains("not a valid regular expression", Assert.Throws<ArgumentException>(() => new AllowedCommand("/bin/echo", "(")).Message, StringComparison.Ordinal);
        Assert.Equal("/bin/echo (argument 1: a; then: b; at most 64)", new AllowedCommand("/bin/echo", "a", "b").ToString());
    }
}
