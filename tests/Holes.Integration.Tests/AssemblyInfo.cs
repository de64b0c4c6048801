// Fills are compiled as an assembly named Holes.Fill; the generator emits this for consumers, and tests declare
// it explicitly so the runtime path is covered even where a test compiles without the generator.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Holes.Fill")]
