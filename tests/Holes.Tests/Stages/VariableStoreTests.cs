using Holes.Pipeline.Commit;

namespace Holes.Tests.Stages;

public class VariableStoreTests
{
    [Fact]
    public void Commits_declarations_and_assignments_in_one_step_keeping_order()
    {
        var store = new VariableStore();
        store.Commit([new SessionVariable("a", "int", 1), new SessionVariable("b", "string", "x")], []);
        var before = store.Snapshot();

        store.Commit([new SessionVariable("b", "int", 2), new SessionVariable("c", "int", 3)], [("a", 10)]);

        Assert.Equal([("a", 10), ("b", 2), ("c", 3)], store.Snapshot().Select(v => (v.Name, (int)v.Value!)));
        Assert.Equal("int", store.Snapshot()[1].TypeName);
        Assert.Equal(["a", "b"], before.Select(v => v.Name));   // snapshots are immutable
        Assert.True(store.Remove("a"));
        Assert.False(store.Remove("a"));
    }

    [Fact]
    public void Assignments_to_unknown_variables_are_ignored()
    {
        var store = new VariableStore();
        store.Commit([], [("ghost", 1)]);
        Assert.Empty(store.Snapshot());
    }
}
