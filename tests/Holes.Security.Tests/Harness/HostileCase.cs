namespace Holes.Security.Tests.Harness;

/// <summary>The attack families of issues 5 and 6; one test class (and one child process) per family.</summary>
public enum Category
{
    Budget,
    Stack,
    HeapLimitedStack,
    Memory,
    Concurrency,
    ProcessState,
    Blocking,
    Verifier,
    Session,
    CompileBomb,
    Forging,
    ScopeEscape,
    Classified,
    Injection,
}

/// <summary>How a hostile fill may end. A case lists every ending that counts as blocked for it.</summary>
[Flags]
public enum Outcome
{
    None = 0,

    /// <summary>Rejected before it ran: a compile error, a capability denial, a budget check on the source.</summary>
    Rejected = 1,

    /// <summary>Stopped while running: <see cref="HoleBudgetExceededException"/> (or <see cref="HoleTimeoutException"/>, which names the same budget).</summary>
    Budget = 2,

    /// <summary>Ran and failed: the fill threw (a capability refused a call, a revoked proxy, a stack check), nothing committed.</summary>
    Faulted = 4,

    /// <summary>The process running the engine died. Never expected, except the documented in-process stack overflow residue.</summary>
    Crashed = 8,

    /// <summary>Ran to completion. Only for <see cref="Contain"/> cases, which must then leave no trace.</summary>
    Accepted = 16,

    /// <summary>A runaway: refused before it runs, or stopped by a budget.</summary>
    Stop = Rejected | Budget,

    /// <summary>Anything but success.</summary>
    Block = Rejected | Budget | Faulted,

    /// <summary>It may even run, as long as nothing leaks (no secret, no host path, no file, no request, no process-wide change).</summary>
    Contain = Block | Accepted,
}

/// <summary>What the in-process mode documents it cannot stop (docs/security.md): the case is marked for that mode only.</summary>
public enum Residue
{
    None,

    /// <summary>
    /// A loop inside framework code that never calls back into fill code: the hole must still return within its
    /// timeout with a budget exception and leave the session usable, but the thread may keep spinning (the child
    /// process that ran it is replaced afterwards).
    /// </summary>
    FrameworkLoop,

    /// <summary>A stack overflow the engine cannot turn into an exception: in process it may take the process with it.</summary>
    StackOverflow,

    /// <summary>
    /// An allocation bomb: in process memory is not limited (docs/security.md, "The honest limit"), so the process may
    /// spend its time in the GC near its heap limit, or fail with OutOfMemoryException. The hole must still end
    /// blocked (a budget stop or a fault) within a generous guard, and the child is replaced afterwards.
    /// </summary>
    Memory,
}

/// <summary>
/// One hostile fill: its name and family, the code, and the endings that count as blocked. Everything else is
/// optional, so a case is one line: <c>new("budget/while-true", Category.Budget, "var n = 0; while (true) { n++; }", Outcome.Stop)</c>.
/// </summary>
/// <param name="Name">Unique, <c>family/what</c>.</param>
/// <param name="Category">The family (the test class it runs in).</param>
/// <param name="Code">The fill.</param>
/// <param name="Expect">The endings that count as blocked, in both modes (see <see cref="InProcess"/>).</param>
public sealed record HostileCase(string Name, Category Category, string Code, Outcome Expect)
{
    /// <summary>What the in-process mode may do instead (the documented residue); <see cref="Residue.None"/> for most.</summary>
    public Residue InProcess { get; init; }

    /// <summary>The values handed to the fill, comma-separated names from the kit (see <see cref="Kit"/>): <c>secret,files,net</c>.</summary>
    public string Values { get; init; } = "";

    /// <summary>Capabilities granted to the session before the case, comma-separated kit names.</summary>
    public string Grants { get; init; } = "";

    /// <summary>Code run (and required to be accepted) before the attack, e.g. to declare a session variable.</summary>
    public string? Setup { get; init; }

    /// <summary>Code run after the attack that shows the session is intact, and the value it must return (as text).</summary>
    public (string Code, string Expected)? After { get; init; }

    /// <summary>Code run after the attack only if the attack was (wrongly) accepted: it tries to use what the attack left behind; its output is checked for the secret.</summary>
    public string? Exploit { get; init; }

    /// <summary>The hole's type: <c>int</c>, <c>string</c>, <c>object</c>, <c>long</c> or <c>func</c> (<c>Func&lt;int, int&gt;</c>).</summary>
    public string Type { get; init; } = "int";

    /// <summary>Run through <c>agent&lt;string&gt;</c> with a scripted model instead of <c>ExecuteAsync</c>; <see cref="Type"/> is then string.</summary>
    public bool ViaModel { get; init; }

    /// <summary>How the model-path hole is called (see <see cref="ModelPath"/>): plain, bounded, pure, nested.</summary>
    public string Site { get; init; } = "plain";

    /// <summary>Replies for nested holes of a model-path case: task → code.</summary>
    public IReadOnlyDictionary<string, string>? Nested { get; init; }

    /// <summary>
    /// The hole's wall-time budget in seconds (HoleOptions.Timeout), set once the setup has run. By default 2 s for the
    /// families that are about runaways, 5 s for compile bombs, and 10 s for the rest, whose fills must be refused or
    /// fail long before (a short budget there could turn a slow compile on a busy machine into a false budget stop).
    /// </summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>The budget in force: <see cref="TimeoutSeconds"/> or the family's default.</summary>
    public double Budget => TimeoutSeconds ?? Category switch
    {
        Category.Budget or Category.Stack or Category.HeapLimitedStack or Category.Memory or Category.Concurrency or Category.Blocking => 2,
        Category.CompileBomb => 40,
        _ => 10,
    };

    /// <summary>
    /// With <see cref="HoleIsolation.Process"/>: the worker's heap limit in MB for this case (a session of its own). The
    /// memory family uses 256 MB, so a bomb reaches the limit in a moment instead of after a gigabyte.
    /// </summary>
    public int? WorkerMemoryMegabytes { get; init; }

    /// <summary>How long to wait after the attack before checking, so work it leaked has time to show.</summary>
    public int SettleMilliseconds { get; init; }

    /// <summary>Strings besides the secret that must appear nowhere (host source paths, ...); <c>$ROOT</c> is the case folder.</summary>
    public IReadOnlyList<string> Forbidden { get; init; } = [];

    /// <summary>A scenario with steps of its own (see <see cref="Scenarios"/>), instead of one attack.</summary>
    public string? Scenario { get; init; }

    /// <summary>Why this case exists, when the name does not say it.</summary>
    public string? Note { get; init; }

    /// <summary>The endings that count as blocked in <paramref name="mode"/>.</summary>
    public Outcome ExpectIn(HoleIsolation mode) => mode == HoleIsolation.InProcess
        ? InProcess switch
        {
            Residue.FrameworkLoop => Expect & Outcome.Block | Outcome.Budget,
            Residue.StackOverflow => Expect | Outcome.Block | Outcome.Crashed,
            Residue.Memory => Outcome.Block | Outcome.Crashed,
            _ => Expect,
        }
        : Expect;

    /// <inheritdoc />
    public override string ToString() => Name;
}
