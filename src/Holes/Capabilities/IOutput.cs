namespace Holes.Capabilities;

/// <summary>
/// Progress lines for the people running the program (a log, the console). Classified values are printed masked,
/// never revealed. Use it to report what your code is doing; the hole's result is still what you return.
/// </summary>
[Capability]
public interface IOutput
{
    /// <summary>Writes a line. Control characters are escaped; a line with line breaks is written as several lines.</summary>
    /// <param name="message">The text to write.</param>
    void WriteLine(string message);

    /// <summary>Writes a classified value, masked: the line shows that a classified value was there, never its content.</summary>
    /// <param name="message">The classified value.</param>
    void WriteLine(Classified<string> message);
}
