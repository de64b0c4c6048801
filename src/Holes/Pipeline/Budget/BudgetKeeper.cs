using System.Globalization;
using Holes.Pipeline.Model;
using Holes.Pipeline.Nesting;
using Holes.Telemetry;

namespace Holes.Pipeline.Budget;

/// <summary>
/// Keeps a session's budgets (<see cref="HoleOptions.Budget"/> per hole and its subtree,
/// <see cref="HoleOptions.SessionBudget"/> for the session): counts nested holes as they start, checks before every
/// model call, and charges the usage each call reported to the hole, its ancestors and the session. Usage that was not
/// reported counts nothing; the first such call under a token limit is logged as a warning.
/// </summary>
internal sealed class BudgetKeeper(HoleOptions options, SessionTelemetry telemetry)
{
    private const string HoleBudgetName = nameof(HoleOptions) + "." + nameof(HoleOptions.Budget);
    private const string SessionBudgetName = nameof(HoleOptions) + "." + nameof(HoleOptions.SessionBudget);

    private readonly BudgetAccount _session = new();
    private readonly object _gate = new();
    private int _warnedUnknownUsage;

    private HoleBudget? PerHole => options.Budget is { IsLimited: true } budget ? budget : null;

    private HoleBudget? PerSession => options.SessionBudget is { IsLimited: true } budget ? budget : null;

    /// <summary>Counts a nested hole under its ancestors and the session, or refuses it when that would pass a limit.</summary>
    /// <exception cref="HoleBudgetExceededException">A <c>MaxNestedHoles</c> would be passed, or an ancestor's budget ran out before.</exception>
    public void Enter(HoleContext hole)
    {
        if (hole.Parent is null || (PerHole is null && PerSession is null))
        {
            return;
        }

        ThrowIfExhausted(hole);
        lock (_gate)
        {
            if (PerSession?.MaxNestedHoles is { } sessionMax && _session.NestedHoles >= sessionMax)
            {
                throw Exceeded(hole, null, $"{SessionBudgetName}.{nameof(HoleBudget.MaxNestedHoles)}", sessionMax, _session.NestedHoles + 1, "nested holes");
            }

            if (PerHole?.MaxNestedHoles is { } max)
            {
                for (var ancestor = hole.Parent; ancestor is not null; ancestor = ancestor.Parent)
                {
                    if (ancestor.Account.NestedHoles >= max)
                    {
                        throw Exceeded(hole, ancestor, $"{HoleBudgetName}.{nameof(HoleBudget.MaxNestedHoles)}", max, ancestor.Account.NestedHoles + 1, "nested holes");
                    }
                }
            }

            _session.AddNestedHole();
            for (var ancestor = hole.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                ancestor.Account.AddNestedHole();
            }
        }
    }

    /// <summary>Refuses a model call once the hole's, an ancestor's or the session's token budget is spent.</summary>
    /// <exception cref="HoleBudgetExceededException">A token budget is spent.</exception>
    public void BeforeModelCall(HoleContext hole)
    {
        ThrowIfExhausted(hole);
        if (PerSession is { } session)
        {
            Check(hole, null, _session, session, SessionBudgetName);
        }

        if (PerHole is { } perHole)
        {
            for (var owner = hole; owner is not null; owner = owner.Parent)
            {
                Check(hole, owner, owner.Account, perHole, HoleBudgetName);
            }
        }
    }

    /// <summary>Charges what a model call reported to the hole, its ancestors and the session.</summary>
    public void Charge(HoleContext hole, SessionModel model, long? input, long? output)
    {
        _session.Charge(input, output);
        for (var owner = hole; owner is not null; owner = owner.Parent)
        {
            owner.Account.Charge(input, output);
        }

        if (input is null && output is null && (PerHole?.LimitsTokens == true || PerSession?.LimitsTokens == true) &&
            Interlocked.Exchange(ref _warnedUnknownUsage, 1) == 0)
        {
            HoleLog.BudgetUsageUnknown(telemetry.Logger, hole.Site.Location, model.Key, model.Name);
        }
    }

    private static void ThrowIfExhausted(HoleContext hole)
    {
        for (var owner = hole; owner is not null; owner = owner.Parent)
        {
            if (owner.Account.Exhausted is { } exhausted)
            {
                throw new HoleBudgetExceededException(hole.Site.Location, hole.Task, exhausted.Budget,
                    $"The hole at {hole.Site.Location} (\"{hole.Task}\") was stopped: the hole at {owner.Site.Location} (\"{owner.Task}\") had already run out of " +
                    $"{exhausted.Budget}, so nothing below it may call a model or start a hole. Nothing was committed by that hole. " +
                    $"Raise {exhausted.Budget}, or give the task less to do.");
            }
        }
    }

    private void Check(HoleContext hole, HoleContext? owner, BudgetAccount account, HoleBudget budget, string name)
    {
        if (budget.MaxInputTokens is { } maxInput && account.InputTokens >= maxInput)
        {
            throw Exceeded(hole, owner, $"{name}.{nameof(HoleBudget.MaxInputTokens)}", maxInput, account.InputTokens, "input tokens", account.CallsWithoutUsage);
        }

        if (budget.MaxOutputTokens is { } maxOutput && account.OutputTokens >= maxOutput)
        {
            throw Exceeded(hole, owner, $"{name}.{nameof(HoleBudget.MaxOutputTokens)}", maxOutput, account.OutputTokens, "output tokens", account.CallsWithoutUsage);
        }
    }

    /// <summary>The error for <paramref name="hole"/>, stopped because <paramref name="owner"/>'s budget (or the session's, when null) ran out; marks the owner so it commits nothing.</summary>
    private HoleBudgetExceededException Exceeded(HoleContext hole, HoleContext? owner, string budget, long limit, long used, string what, long callsWithoutUsage = 0)
    {
        var stopped = $"The hole at {hole.Site.Location} (\"{hole.Task}\")";
        var limitText = $"{budget} = {Count(limit)}";
        string message;
        if (what == "nested holes")
        {
            message = owner is null
                ? $"{stopped} was not started: it would be nested hole number {Count(used)} of this session, and {limitText}. Nothing was committed by it. "
                : $"{stopped} was not started: it would be nested hole number {Count(used)} below the hole at {owner.Site.Location} (\"{owner.Task}\"), " +
                  $"and {limitText} for each hole. Nothing was committed by that hole. ";
            message += $"Raise {budget}, or check the fills for runaway recursion.";
        }
        else
        {
            var spent = owner is null
                ? $"this session has used {Count(used)} {what}, and {limitText}"
                : ReferenceEquals(owner, hole)
                    ? $"it has used {Count(used)} {what} over its attempts and the holes below it, and {limitText} for each hole"
                    : $"the hole at {owner.Site.Location} (\"{owner.Task}\") and the holes below it have used {Count(used)} {what}, and {limitText} for each hole";
            message = $"{stopped} was stopped before its model call: {spent}. " +
                      (owner is null ? "Nothing was committed by the hole. " : $"Nothing was committed by {(ReferenceEquals(owner, hole) ? "it" : "that hole")}. ") +
                      $"Raise {budget}, or give the task less to do.";
            if (callsWithoutUsage > 0)
            {
                message += $" ({Count(callsWithoutUsage)} model call(s) reported no token usage and count nothing.)";
            }
        }

        var exception = new HoleBudgetExceededException(hole.Site.Location, hole.Task, budget, message);
        owner?.Account.MarkExhausted(exception);
        if (owner is null)
        {
            hole.Account.MarkExhausted(exception);
        }

        return exception;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
