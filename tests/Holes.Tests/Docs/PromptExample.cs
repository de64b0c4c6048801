using Holes.Testing;
using static Holes.Agents;

namespace Holes.Tests.Docs;

/// <summary>An order placed by a customer.</summary>
/// <param name="Id">The order number.</param>
/// <param name="Amount">The order's total, in euros.</param>
internal sealed record Order(string Id, decimal Amount);

/// <summary>The hole whose real prompt docs/prompt.md shows. Changing this file changes that document (see DocsTests).</summary>
internal static class PromptExample
{
    public static async Task<ScriptedChatClient> RunAsync()
    {
        var model = new ScriptedChatClient()
            .ReplyWithCode("return orders.Where(o => o.Amount > threshold).Sum(o => o.Total);")
            .ReplyWithCode("return orders.Where(o => o.Amount > threshold).Sum(o => o.Amount);")
            .ReplyWithCode("return $\"{large} EUR in {orders.Count(o => o.Amount > threshold)} orders\";");
        await using var session = new AgentSession(model);
        AgentSession.Current = session;
        await session.ExecuteAsync<int>("var threshold = 100m; return 0;");

        var orders = new List<Order> { new("A-1", 120.5m), new("A-2", 80m), new("A-3", 310m) };
        decimal large = await agent<decimal>("the total amount of the orders above threshold", orders);

        Assert.Equal(430.5m, large);

        string label = await agent<string>("a short label for large", large, orders);
        Assert.EndsWith("EUR in 2 orders", label, StringComparison.Ordinal);
        return model;
    }
}
