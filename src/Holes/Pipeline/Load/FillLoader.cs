using Holes.Pipeline.Compile;
using Holes.Runtime;

namespace Holes.Pipeline.Load;

/// <summary>Loads a checked fill into its own collectible context and binds its entry point.</summary>
internal static class FillLoader
{
    public static Func<FillFrame, Task<object?>> Load(FillLoadContext context, CompiledFill fill)
    {
        using var image = new MemoryStream(fill.Image, writable: false);
        var assembly = context.LoadFromStream(image);
        var type = assembly.GetType(FillSource.TypeName, throwOnError: true)!;
        var method = type.GetMethod(FillSource.MethodName)!;
        return method.CreateDelegate<Func<FillFrame, Task<object?>>>();
    }
}
