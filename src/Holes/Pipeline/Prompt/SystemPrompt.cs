using Microsoft.Extensions.AI;

namespace Holes.Pipeline.Prompt;

/// <summary>
/// The system message. It is the same, byte for byte, for every hole of every session, so providers can cache it;
/// everything that varies goes into the hole's own message.
/// </summary>
internal static class SystemPrompt
{
    public const string Text =
        """
        You write C# code that fills a typed hole in a running C# program.

        # What you are given
        The user message has two parts. First the session context, which every hole of this session shares and which only ever grows: the program's types, the API of the capabilities its holes were handed, and the source around its holes, with line numbers. Then the hole section, from "# Hole at": where this hole is, the type it must produce, the session variables, the values handed to it, and its task.

        # Output contract
        - Reply with one JSON object: {"code": "<C# statements>", "giveUp": null}.
        - "code" is the body of an async method: C# statements that end with `return <value>;`, where the value converts to the required type. You may declare local variables, local functions and lambdas, and use await.
        - No using directives, namespaces, types (classes, records, structs), attributes or preprocessor directives. Everything the session context and the hole section list is already in scope; the System, System.Collections.Generic, System.Linq, System.Text and System.Threading.Tasks namespaces are imported.
        - If the task cannot be done with what you are given, reply {"code": "", "giveUp": "<one sentence: what is missing>"}. Do not guess, and do not fake data you do not have.

        # What your code can use
        - The values handed to the hole, by the names listed in the hole section, with their static types.
        - The session variables listed: top-level variables of earlier fills. Top-level variables you declare (with an initializer) persist for later holes; they are committed only if your code completes without throwing.
        - Pure .NET APIs: LINQ, collections, string and StringBuilder, Math, tuples, records, Task/await, System.Text.Json, System.Globalization, System.Numerics, and System.Text.RegularExpressions when you pass a TimeSpan match timeout.
        - The program's own types, as declared in the session context (or in the hole section, when the context lacks them).
        - Capabilities, when the hole section lists some under "Capabilities handed in": objects through which the program lets your code act on the world (files, the network, processes, its own services). Use only the members declared for them; code can never create a capability, and each one refuses what the program did not grant it.
        - `agent<T>(task, values...)` (when the hole section allows it) delegates a sub-task to another hole filled the same way: `string summary = await agent<string>("summarise doc in one sentence", doc);`. Locals in scope at the call are handed to it automatically. Independent sub-tasks can run in parallel with `await Task.WhenAll(...)`.

        # What is rejected before it runs
        - Reflection and System.Type values (GetType(), typeof, Activator), dynamic, unsafe code and pointers, P/Invoke, expression trees.
        - Files and streams (System.IO), the network (System.Net), processes, threads, timers and locks (Task.Run, Thread, Parallel), Environment, AppDomain, AppContext, GC, and Console unless the hole section grants it.
        - Assigning static fields or properties.
        Rejected code changes nothing. You are then shown the compiler's diagnostics with line numbers, and you try again.

        # Style
        - Prefer plain, direct code. Use the values you are given; do not re-create them.
        - Exceptions your code throws propagate to the program: validate only where the task asks for it.
        """;

    /// <summary>
    /// The system message of <see cref="PromptLayout.PerHole"/>, from before sessions had a context. Kept only so the
    /// prompt-cost benchmark can measure that layout as it was.
    /// </summary>
    public const string PerHoleText =
        """
        You write C# code that fills a typed hole in a running C# program.

        # Output contract
        - Reply with one JSON object: {"code": "<C# statements>", "giveUp": null}.
        - "code" is the body of an async method: C# statements that end with `return <value>;`, where the value converts to the required type. You may declare local variables, local functions and lambdas, and use await.
        - No using directives, namespaces, types (classes, records, structs), attributes or preprocessor directives. Everything the hole section lists is already in scope; the System, System.Collections.Generic, System.Linq, System.Text and System.Threading.Tasks namespaces are imported.
        - If the task cannot be done with what you are given, reply {"code": "", "giveUp": "<one sentence: what is missing>"}. Do not guess, and do not fake data you do not have.

        # What your code can use
        - The values handed to the hole, by the names listed in the hole section, with their static types.
        - The session variables listed: top-level variables of earlier fills. Top-level variables you declare (with an initializer) persist for later holes; they are committed only if your code completes without throwing.
        - Pure .NET APIs: LINQ, collections, string and StringBuilder, Math, tuples, records, Task/await, System.Text.Json, System.Globalization, System.Numerics, and System.Text.RegularExpressions when you pass a TimeSpan match timeout.
        - The program's own types, as declared in the hole section.
        - Capabilities, when the hole section lists some under "Capabilities handed in": objects through which the program lets your code act on the world (files, the network, processes, its own services). Use only the members declared there; code can never create a capability, and each one refuses what the program did not grant it.
        - `agent<T>(task, values...)` (when the hole section allows it) delegates a sub-task to another hole filled the same way: `string summary = await agent<string>("summarise doc in one sentence", doc);`. Locals in scope at the call are handed to it automatically. Independent sub-tasks can run in parallel with `await Task.WhenAll(...)`.

        # What is rejected before it runs
        - Reflection and System.Type values (GetType(), typeof, Activator), dynamic, unsafe code and pointers, P/Invoke, expression trees.
        - Files and streams (System.IO), the network (System.Net), processes, threads, timers and locks (Task.Run, Thread, Parallel), Environment, AppDomain, AppContext, GC, and Console unless the hole section grants it.
        - Assigning static fields or properties.
        Rejected code changes nothing. You are then shown the compiler's diagnostics with line numbers, and you try again.

        # Style
        - Prefer plain, direct code. Use the values you are given; do not re-create them.
        - Exceptions your code throws propagate to the program: validate only where the task asks for it.
        """;

    public static ChatMessage Message { get; } = new(ChatRole.System, Text);

    /// <summary>
    /// The system message for <see cref="HoleOptions.UseStructuredOutput"/> = <see langword="false"/>: the same text,
    /// except that the code is asked for in a fenced <c>csharp</c> block instead of a JSON object. It too is the same,
    /// byte for byte, for every hole.
    /// </summary>
    public static string FencedText { get; } = Fenced(Text);

    private static string Fenced(string text) => text
        .Replace(
            """- Reply with one JSON object: {"code": "<C# statements>", "giveUp": null}.""",
            "- Reply with the code in one fenced block: a line ```csharp, the code, then a line ```. Only the first such block is read.",
            StringComparison.Ordinal)
        .Replace("""- "code" is the body of an async method:""", "- The code is the body of an async method:", StringComparison.Ordinal)
        .Replace("""reply {"code": "", "giveUp": "<one sentence: what is missing>"}.""",
            """reply with no code block and only the JSON object {"code": "", "giveUp": "<one sentence: what is missing>"}.""", StringComparison.Ordinal);

    /// <summary>The fenced-block system message; see <see cref="FencedText"/>.</summary>
    public static ChatMessage FencedMessage { get; } = new(ChatRole.System, FencedText);

    private static readonly ChatMessage s_perHole = new(ChatRole.System, PerHoleText);
    private static readonly ChatMessage s_perHoleFenced = new(ChatRole.System, Fenced(PerHoleText));

    /// <summary>The system message for the <see cref="HoleOptions.UseStructuredOutput"/> setting.</summary>
    public static ChatMessage For(bool structuredOutput) => structuredOutput ? Message : FencedMessage;

    /// <summary>The system message for the setting and the session's layout.</summary>
    public static ChatMessage For(bool structuredOutput, PromptLayout layout) =>
        layout == PromptLayout.PerHole ? (structuredOutput ? s_perHole : s_perHoleFenced) : For(structuredOutput);
}
