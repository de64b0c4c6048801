using Holes.Capabilities;
using Microsoft.Extensions.Logging;

namespace Holes.Tests.CapabilityLibrary;

public sealed class OutputTests
{
    [Fact]
    public void Lines_go_to_the_logger_at_the_chosen_level()
    {
        var logger = new ListLogger();
        var output = Output.ToLogger(logger, LogLevel.Warning);

        output.WriteLine("step 1 of 2");
        output.WriteLine("two\nlines");

        Assert.Equal(
            [(LogLevel.Warning, "step 1 of 2"), (LogLevel.Warning, "two"), (LogLevel.Warning, "lines")],
            logger.Entries.Select(e => (e.Level, e.Message)));
        Assert.All(logger.Entries, e => Assert.Equal(Output.LineEvent, e.Event));
    }

    [Fact]
    public void Lines_go_to_a_writer()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var output = Output.ToWriter(writer);

        output.WriteLine("done");

        Assert.Equal("done\n", writer.ToString());
    }

    [Fact]
    public void Lines_go_to_the_console()
    {
        var original = Console.Out;
        var writer = new StringWriter { NewLine = "\n" };
        Console.SetOut(writer);
        try
        {
            Output.ToConsole().WriteLine("on the console");
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal("on the console\n", writer.ToString());
    }

    [Fact]
    public void Classified_values_are_masked()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var output = Output.ToWriter(writer);
        var secret = new Classified<string>("hunter2");

        output.WriteLine(secret);
        output.WriteLine($"the key is {secret}");
        output.WriteLine(secret.Map(s => s.ToUpperInvariant()));

        Assert.DoesNotContain("hunter2", writer.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Classified<String>(***)\nthe key is Classified<String>(***)\nClassified<String>(***)\n", writer.ToString());
    }

    [Fact]
    public void Control_characters_are_escaped_and_lines_are_capped()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var output = Output.ToWriter(writer, maxLines: 2, maxLineLength: 20);

        output.WriteLine("\u001b[2Jcleared");
        output.WriteLine("a very long line indeed");
        output.WriteLine("dropped");
        output.WriteLine("dropped too");

        Assert.Equal(
            "\\u001b[2Jcleared\na very long line ind…\n(output capped at 2 lines; later lines are dropped)\n",
            writer.ToString());
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, EventId Event, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId, formatter(state, exception)));
    }
}
