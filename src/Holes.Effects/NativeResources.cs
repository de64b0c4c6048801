using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Holes.Effects;

/// <summary>
/// The image's Win32 resources (the version resource the compiler writes), copied into the new image's resource
/// section: the same bytes, with the address of each resource's data moved by as much as the section moved.
/// </summary>
internal sealed class NativeResources : ResourceSectionBuilder
{
    private readonly byte[] _bytes;
    private readonly int _rva;

    public NativeResources(PEReader pe, DirectoryEntry directory)
    {
        _bytes = pe.GetSectionData(directory.RelativeVirtualAddress).GetContent(0, directory.Size).ToArray();
        _rva = directory.RelativeVirtualAddress;
    }

    /// <inheritdoc />
    protected override void Serialize(BlobBuilder builder, SectionLocation location)
    {
        var copy = (byte[])_bytes.Clone();
        Relocate(copy, 0, location.RelativeVirtualAddress - _rva, depth: 0);
        builder.WriteBytes(copy);
    }

    /// <summary>Walks one directory of the resource tree: entries point at directories (high bit set) or at data entries, whose first field is an RVA.</summary>
    private static void Relocate(byte[] bytes, int directory, int delta, int depth)
    {
        if (depth > 3 || directory + 16 > bytes.Length)
        {
            return;
        }

        var entries = BitConverter.ToUInt16(bytes, directory + 12) + BitConverter.ToUInt16(bytes, directory + 14);
        for (var i = 0; i < entries; i++)
        {
            var entry = directory + 16 + (i * 8);
            if (entry + 8 > bytes.Length)
            {
                return;
            }

            var target = BitConverter.ToUInt32(bytes, entry + 4);
            if ((target & 0x80000000) != 0)
            {
                Relocate(bytes, (int)(target & 0x7FFFFFFF), delta, depth + 1);
            }
            else if (target + 4 <= bytes.Length)
            {
                var rva = BitConverter.ToInt32(bytes, (int)target);
                BitConverter.TryWriteBytes(bytes.AsSpan((int)target, 4), rva + delta);
            }
        }
    }
}
