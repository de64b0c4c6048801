using System.Collections.Concurrent;
using Holes;

namespace Holes.Isolation.Tests;

public sealed record Person(string Name, int BirthYear, string KnownFor);

public sealed record Order(string Id, List<Line> Lines);

public sealed record Line(string Sku, int Quantity, decimal Price);

/// <summary>A capability for the tests: the implementation records every call, in the host.</summary>
[Capability]
public interface IMailbox
{
    void Send(string to, string text);

    int Count();

    Task<string> FetchAsync(int index);

    Task<int> CountAsync(CancellationToken cancellationToken = default);
}

public sealed class RecordingMailbox : IMailbox
{
    public ConcurrentQueue<(string To, string Text, int ProcessId)> Sent { get; } = new();

    public void Send(string to, string text) => Sent.Enqueue((to, text, Environment.ProcessId));

    public int Count() => Sent.Count;

    public Task<string> FetchAsync(int index) => Task.FromResult(Sent.ElementAt(index).Text);

    public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(Sent.Count);
}
