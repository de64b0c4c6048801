using System.Globalization;
using Holes.Testing;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// One session per mode, shared by a family's benign cases (as a program shares one session across its holes).
/// Each case removes the variables it declared, so cases do not see each other's.
/// </summary>
public sealed class BenignSessions : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<HoleIsolation, AgentSession> _sessions = [];

    public async Task<AgentSession> For(HoleIsolation mode)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_sessions.TryGetValue(mode, out var session))
            {
                session = new AgentSession(new ScriptedChatClient(), new HoleOptions { Isolation = mode, Timeout = TimeSpan.FromSeconds(60) });
                _sessions[mode] = session;
            }

            return session;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await session.DisposeAsync();
        }

        _gate.Dispose();
    }
}

/// <summary>The shared body of every benign test: run the fill, require it accepted with exactly the expected value.</summary>
public abstract class BenignTests(BenignSessions sessions)
{
    protected async Task RunAsync(string name, HoleIsolation mode)
    {
        var benign = Cases.BenignCases.ByName[name];
        var session = await sessions.For(mode);
        var before = session.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        try
        {
            if (benign.Setup is { } setup)
            {
                var prepared = await session.ExecuteAsync<int>(setup);
                Assert.True(prepared.IsAccepted, $"the setup of {name} was not accepted: {prepared.Status} {string.Join("\n", prepared.Diagnostics)} {prepared.Exception}");
            }

            var (status, value, why) = await Task.Run(() => ExecuteAsync(session, benign)).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(status == HoleStatus.Accepted, $"false reject: {name} ({mode}) was {status}:\n{why}");
            Assert.Equal(benign.Expected, value);
        }
        finally
        {
            foreach (var variable in session.Variables.Where(v => !before.Contains(v.Name)).ToList())
            {
                session.RemoveVariable(variable.Name);
            }
        }
    }

    private static async Task<(HoleStatus Status, string? Value, string Why)> ExecuteAsync(AgentSession session, BenignCase benign)
    {
        var values = BenignValues.Bind(benign.Values);
        return benign.Type switch
        {
            "string" => Outcome(await session.ExecuteAsync<string>(benign.Code, values)),
            "int" => Outcome(await session.ExecuteAsync<int>(benign.Code, values)),
            "long" => Outcome(await session.ExecuteAsync<long>(benign.Code, values)),
            "double" => Outcome(await session.ExecuteAsync<double>(benign.Code, values)),
            "bool" => Outcome(await session.ExecuteAsync<bool>(benign.Code, values)),
            "decimal" => Outcome(await session.ExecuteAsync<decimal>(benign.Code, values)),
            "list" => Outcome(await session.ExecuteAsync<List<int>>(benign.Code, values)),
            "strings" => Outcome(await session.ExecuteAsync<List<string>>(benign.Code, values)),
            "array" => Outcome(await session.ExecuteAsync<int[]>(benign.Code, values)),
            "dict" => Outcome(await session.ExecuteAsync<Dictionary<string, int>>(benign.Code, values)),
            "item" => Outcome(await session.ExecuteAsync<Host.Item>(benign.Code, values)),
            "items" => Outcome(await session.ExecuteAsync<List<Host.Item>>(benign.Code, values)),
            "tuple" => Outcome(await session.ExecuteAsync<(int, string)>(benign.Code, values)),
            "point" => Outcome(await session.ExecuteAsync<Host.Point>(benign.Code, values)),
            "dateonly" => Outcome(await session.ExecuteAsync<DateOnly>(benign.Code, values)),
            _ => throw new ArgumentException($"Unknown result type '{benign.Type}' in {benign.Name}.", nameof(benign)),
        };
    }

    private static (HoleStatus, string?, string) Outcome<T>(HoleResult<T> result) => (
        result.Status,
        result.IsAccepted ? BenignCase.Format(result.Value) : null,
        string.Join("\n", result.Diagnostics) + (result.Exception is { } e ? "\n" + e : "") + "\ncode:\n" + result.Code);
}
