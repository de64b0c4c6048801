using System;
using System.Collections.Generic;
using System.Linq;

namespace Holes.Rules;

/// <summary>
/// Joins the per-type summaries of the Holes.Effects build step into one graph and closes it: a node reaches an
/// effect when a path of calls, constructions, held fields and initializers leads from it to a node whose own code has
/// one. A type is authority when it reaches an effect: one of its members or initializers does, it holds a field of an
/// authority type, its base class is authority, or it is marked <c>[Capability]</c>. Each entry keeps the shortest
/// such path, so messages can say why.
/// </summary>
/// <remarks>Works on plain data only: how the summaries were made (from IL, after the compile) does not matter to it.</remarks>
internal static class EffectGraph
{
    /// <summary>The arrow that separates the steps of an effect path (U+2192).</summary>
    public const string Arrow = " \u2192 ";

    /// <summary>The prefix of a construction node's id: <c>new:T:Ns.Shell</c> reaches the type it constructs.</summary>
    public const string NewPrefix = "new:";

    public static EffectTableSpec Compute(IEnumerable<TypeEffects> summaries)
    {
        var graph = Build(summaries);
        AddStaticMutations(graph);
        Close(graph);

        var effects = new List<EffectEntry>();
        var free = new List<string>();
        foreach (var node in graph.Ordered)
        {
            var reaches = node.Reached;
            if (!node.IsVisible)
            {
                continue;
            }

            if (node.IsType)
            {
                if (reaches)
                {
                    effects.Add(new EffectEntry(node.Id, Path(node)));
                }

                continue;
            }

            switch (node.Kind)
            {
                case EffectNodeKind.StaticInitializer:
                    continue;
                case EffectNodeKind.Field when !node.IsStatic:
                    continue;
            }

            if (reaches)
            {
                effects.Add(new EffectEntry(node.Id, Path(node)));
            }
            else if (node.IsStatic && node.Kind is EffectNodeKind.Method or EffectNodeKind.Property)
            {
                free.Add(node.Id);
            }
        }

        effects.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        free.Sort(StringComparer.Ordinal);
        return new EffectTableSpec(new EquatableArray<EffectEntry>(effects), new EquatableArray<string>(free));
    }

    /// <summary>The nodes by id, and in ordinal id order: every pass visits them in that order, so paths do not depend on hashing.</summary>
    private sealed class Graph : Dictionary<string, Node>
    {
        public Graph()
            : base(StringComparer.Ordinal)
        {
        }

        public List<Node> Ordered { get; private set; } = new();

        public void Order()
        {
            Ordered = new List<Node>(Values);
            Ordered.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        }
    }

    private sealed class Node
    {
        public Node(string id) => Id = id;

        public string Id { get; }

        public string Name { get; set; } = "";

        public bool IsType { get; set; }

        public EffectNodeKind Kind { get; set; }

        public bool IsStatic { get; set; }

        public bool IsVisible { get; set; }

        public UniqueList<string> Effects { get; } = new();

        public UniqueList<string> Edges { get; } = new();

        public UniqueList<StaticReceiverCall> StaticReceiverCalls { get; } = new();

        public UniqueList<string> ThisCalls { get; } = new();

        public UniqueList<string> Implementations { get; } = new();

        public bool WritesThis { get; set; }

        /// <summary>The nodes with an edge to this one, in the graph's order (set by <see cref="Close"/>).</summary>
        public List<Node>? Callers { get; set; }

        /// <summary>Whether an effect is reached from here (set by <see cref="Close"/>).</summary>
        public bool Reached { get; set; }

        /// <summary>The next step on a shortest path to an effect (set by <see cref="Close"/>).</summary>
        public Node? Next { get; set; }
    }

    private static Graph Build(IEnumerable<TypeEffects> summaries)
    {
        var graph = new Graph();
        Node Get(string id)
        {
            if (!graph.TryGetValue(id, out var node))
            {
                node = new Node(id);
                graph.Add(id, node);
            }

            return node;
        }

        var implementations = new List<(string Implemented, string By)>();
        foreach (var summary in summaries)
        {
            var type = Get(summary.TypeId);
            type.IsType = true;
            type.Name = summary.Name;
            type.IsVisible |= summary.IsVisible;
            AddAll(type.Effects, summary.Effects);
            AddAll(type.Edges, summary.Edges);

            var construction = Get(NewPrefix + summary.TypeId);
            construction.Name = "new " + summary.Name;
            construction.Kind = EffectNodeKind.Constructor;
            construction.Edges.Add(summary.TypeId);

            foreach (var member in summary.Members)
            {
                type.Edges.Add(member.Id);
                var node = Get(member.Id);
                node.Name = member.Name;
                node.Kind = member.Kind;
                node.IsStatic = member.IsStatic;
                node.IsVisible |= member.IsVisible;
                node.WritesThis |= member.WritesThis;
                AddAll(node.Effects, member.Effects);
                AddAll(node.Edges, member.Edges);
                AddAll(node.ThisCalls, member.ThisCalls);
                AddAll(node.StaticReceiverCalls, member.StaticReceiverCalls);

                foreach (var implemented in member.Implements)
                {
                    implementations.Add((implemented, member.Id));
                }
            }
        }

        // A call to an interface member or a virtual method may run any implementation or override.
        foreach (var (implemented, by) in implementations)
        {
            if (graph.TryGetValue(implemented, out var target))
            {
                target.Edges.Add(by);
                target.Implementations.Add(by);
            }
        }

        graph.Order();
        return graph;
    }

    /// <summary>
    /// A call on an object reached through static state is a write to static state when the method called changes its
    /// object: it writes a field of <c>this</c>, or calls a method on <c>this</c> (or is implemented by one) that does.
    /// </summary>
    private static void AddStaticMutations(Graph graph)
    {
        // Worklist: a node mutates its object when it writes it, calls on 'this' a method that does (or one outside the
        // graph), or is implemented by one that does.
        var mutates = new HashSet<string>(StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        void DependsOn(string id, string dependent)
        {
            if (!dependents.TryGetValue(id, out var list))
            {
                list = new List<string>();
                dependents.Add(id, list);
            }

            list.Add(dependent);
        }

        foreach (var node in graph.Ordered)
        {
            if (node.WritesThis || node.ThisCalls.Any(c => !graph.ContainsKey(c)))
            {
                if (mutates.Add(node.Id))
                {
                    queue.Enqueue(node.Id);
                }
            }

            foreach (var call in node.ThisCalls)
            {
                DependsOn(call, node.Id);
            }

            foreach (var implementation in node.Implementations)
            {
                DependsOn(implementation, node.Id);
            }
        }

        while (queue.Count > 0)
        {
            if (!dependents.TryGetValue(queue.Dequeue(), out var list))
            {
                continue;
            }

            foreach (var dependent in list)
            {
                if (mutates.Add(dependent))
                {
                    queue.Enqueue(dependent);
                }
            }
        }

        foreach (var node in graph.Ordered)
        {
            foreach (var call in node.StaticReceiverCalls)
            {
                if (mutates.Contains(call.Callee) || !graph.ContainsKey(call.Callee))
                {
                    var callee = graph.TryGetValue(call.Callee, out var c) ? c.Name : call.Callee;
                    node.Effects.Add($"mutates static {call.Root} ({callee})");
                }
            }
        }
    }

    /// <summary>
    /// Breadth-first from every node with an effect of its own, backwards along the edges: marks each node that reaches
    /// one and its next step on a shortest path. Each edge is looked up once, to its node; the search itself follows
    /// references (a hundred thousand edges of long ids on a 500-file program).
    /// </summary>
    private static void Close(Graph graph)
    {
        foreach (var node in graph.Ordered)
        {
            foreach (var edge in node.Edges)
            {
                if (edge != node.Id && graph.TryGetValue(edge, out var target))
                {
                    (target.Callers ??= new List<Node>()).Add(node);
                }
            }
        }

        var queue = new Queue<Node>();
        foreach (var node in graph.Ordered)
        {
            if (node.Effects.Count > 0)
            {
                node.Reached = true;
                queue.Enqueue(node);
            }
        }

        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node.Callers is not { } callers)
            {
                continue;
            }

            foreach (var caller in callers)
            {
                if (!caller.Reached)
                {
                    caller.Reached = true;
                    caller.Next = node;
                    queue.Enqueue(caller);
                }
            }
        }
    }

    /// <summary>
    /// The names along the shortest path, then the effect. Type nodes are left out (the members after them name the
    /// type already), except a type whose own mark is the effect.
    /// </summary>
    private static string Path(Node start)
    {
        var steps = new List<string>();
        var node = start;
        while (true)
        {
            if (node.Effects.Count > 0)
            {
                if (!node.IsType)
                {
                    steps.Add(node.Name);
                }

                steps.Add(node.Effects[0]);
                break;
            }

            if (!node.IsType)
            {
                steps.Add(node.Name);
            }

            node = node.Next!;
        }

        return string.Join(Arrow, steps);
    }

    private static void AddAll<T>(UniqueList<T> target, IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            target.Add(item);
        }
    }
}
