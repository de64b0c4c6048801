using Holes.Pipeline.Compile;
using Holes.Runtime;

namespace Holes.Pipeline.Load;

/// <summary>Loads a checked fill into its own collectible context and binds its entry point.</summary>
internal static class FillLoader
{
    public static Func<FillFrame, Task<object?>> Load(FillLoadContext context, CompiledFill fill)
    {
        using var image = new MemoryStream(fill.Image, writable: false);
        using var symbols = fill.Symbols is null ? null : new MemoryStream(fill.Symbols, writable: false);
        var assembly = context.LoadFromStream(image, symbols);
        var type = assembly.GetType(FillSource.TypeName, throwOnError: true)!;
        var method = type.GetMethod(FillSource.MethodName)!;
        return method.CreateDelegate<Func<FillFrame, Task<object?>>>();
    }
}
