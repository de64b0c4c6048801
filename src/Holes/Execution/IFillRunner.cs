using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;

namespace Holes.Execution;

/// <summary>
/// Where a checked fill runs: the seam between the pipeline (which compiles and verifies in the host, whatever the
/// isolation) and the place its code executes. <see cref="InProcessRunner"/> runs it in this process;
/// <see cref="Isolated.IsolatedRunner"/> ships its IL to the session's worker process.
/// </summary>
internal interface IFillRunner
{
    /// <summary>
    /// Runs <paramref name="run"/>'s fill and returns its value and what it commits; throws what the fill threw
    /// (or <see cref="HoleBudgetExceededException"/> when the isolated worker had to be stopped).
    /// </summary>
    Task<FillOutcome> RunAsync<T>(FillRun run, CancellationToken cancellationToken);
}

/// <summary>One checked fill and everything it runs with.</summary>
/// <param name="Fill">The compiled, verified fill.</param>
/// <param name="Bindings">The values handed in, in the order the fill reads them.</param>
/// <param name="Variables">The session variables it was compiled with, in the order it reads them.</param>
/// <param name="Slots">Their names and static types.</param>
/// <param name="Context">The hole the fill belongs to.</param>
internal sealed record FillRun(
    CompiledFill Fill,
    IReadOnlyList<Binding> Bindings,
    IReadOnlyList<SessionVariable> Variables,
    IReadOnlyList<VariableSlot> Slots,
    HoleContext Context);

/// <summary>A fill that completed: its value, the variables it declared, and the session variables it assigned.</summary>
internal sealed record FillOutcome(object? Value, IReadOnlyList<SessionVariable> Declared, IReadOnlyList<(string Name, object? Value)> Assigned);

/// <summary>Routes a nested <c>agent&lt;T&gt;</c> call of a fill that runs outside the engine's process back to the engine.</summary>
internal interface INestedHoleRoute
{
    Task<T> FillAsync<T>(int site, object?[] scope, string task, object?[] values, CancellationToken cancellationToken);
}
