using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Holes.Pipeline.Run;

/// <summary>
/// Finds the line of a fill that threw. Fills are emitted without debug symbols (most never throw, and symbols cost
/// a millisecond on every fill); when one does throw, the same compilation is emitted again with a portable PDB, which
/// maps the IL offset of the throwing frame to the fill's line.
/// </summary>
internal static class FillLines
{
    public static int? Of(Exception exception, CompiledFill fill)
    {
        try
        {
            // A fill that ran in the isolated worker: the worker sent the throwing frame's method and IL offset.
            if (exception.Data[Holes.Execution.Protocol.RemoteFaults.PositionKey] is ValueTuple<int, int> remote)
            {
                return LineAt(fill, remote.Item1, remote.Item2);
            }

            var mvid = ModuleVersionId(fill.Image);
            foreach (var frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
            {
                var method = frame.GetMethod();
                var offset = frame.GetILOffset();
                if (method is not null && offset >= 0 && method.Module.ModuleVersionId == mvid)
                {
                    return LineAt(fill, method.MetadataToken, offset);
                }
            }
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException or NotSupportedException)
        {
            // The line is a courtesy in a message; failing to find it must not hide the fill's own exception.
        }

        return null;
    }

    private static Guid ModuleVersionId(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image, writable: false));
        var metadata = pe.GetMetadataReader();
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    private static int? LineAt(CompiledFill fill, int methodToken, int ilOffset)
    {
        // The image ran with budget checks woven in; the debug information is of the unwoven compilation.
        if (fill.OffsetMaps.TryGetValue(methodToken, out var map))
        {
            ilOffset = map.ToOriginal(ilOffset);
        }

        var compilation = ReferenceSet.Shared.Template.AddSyntaxTrees(fill.Source.Tree);
        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        if (!compilation.Emit(image, symbols, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb)).Success)
        {
            return null;
        }

        symbols.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(symbols);
        var reader = provider.GetMetadataReader();
        var method = MetadataTokens.MethodDefinitionHandle(methodToken & 0x00FFFFFF);
        int? line = null;
        foreach (var point in reader.GetMethodDebugInformation(method.ToDebugInformationHandle()).GetSequencePoints())
        {
            if (!point.IsHidden && point.Offset <= ilOffset)
            {
                line = point.StartLine;
            }
        }

        return line is { } l && l <= fill.Source.Original.Lines.Count ? l : null;
    }
}
