// Fills are compiled as an assembly named Holes.Fill; the generator emits this for consumers, and tests declare
// it explicitly so the runtime path is covered even where a test compiles without the generator.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Holes.Fill")]

// Families run in parallel; how many cases run at once in child processes is bounded by ChildHost's gate
// (HOLES_SECURITY_PARALLEL, default the number of cores), and the benign families compile in this process.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
