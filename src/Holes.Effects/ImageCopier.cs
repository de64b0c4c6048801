using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace Holes.Effects;

/// <summary>
/// Writes a copy of a compiled image with assembly attributes added and nothing else changed: every metadata row keeps
/// its number, every user string its offset, and method bodies, field data, resources and the debug directory are
/// copied as the compiler wrote them. So the IL needs no token patching and the portable PDB beside the image (which
/// names methods and types by row) stays valid as it is, byte for byte.
/// </summary>
/// <remarks>
/// Rewriting the image with Mono.Cecil instead resolved every token of every body and wrote the PDB again: about 40% of
/// the build step on a 500-file program. Images this cannot copy faithfully (strong-name signed, with native code,
/// edit-and-continue deltas) are left to Cecil, and <see cref="TryCopy"/> says so.
/// </remarks>
internal static class ImageCopier
{
    /// <summary>Copies <paramref name="image"/> with <paramref name="attributes"/> added to its assembly; false when the image is of a kind this does not copy.</summary>
    /// <param name="image">The compiler's image.</param>
    /// <param name="attributes">Adds the new rows: given the builder and the copied Holes assembly reference, returns the attributes' constructors and values.</param>
    /// <param name="output">Where the copy goes.</param>
    public static bool TryCopy(byte[] image, Func<MetadataBuilder, AssemblyReferenceHandle, IEnumerable<(EntityHandle Constructor, BlobHandle Value)>> attributes, Stream output)
    {
        // Shared, not copied: nothing writes to the image while it is read.
        using var pe = new PEReader(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(image));
        var headers = pe.PEHeaders;
        if (headers.CorHeader is not { } cor || headers.PEHeader is not { } peHeader ||
            (cor.Flags & (CorFlags.StrongNameSigned | CorFlags.NativeEntryPoint)) != 0 || (cor.Flags & CorFlags.ILOnly) == 0 ||
            cor.VtableFixupsDirectory.Size != 0 || peHeader.ThreadLocalStorageTableDirectory.Size != 0)
        {
            return false;
        }

        var reader = pe.GetMetadataReader();
        var holes = reader.AssemblyReferences.FirstOrDefault(r => reader.StringComparer.Equals(reader.GetAssemblyReference(r).Name, HoleUse.HolesAssembly));
        if (holes.IsNil || !TableCopier.CanCopy(reader))
        {
            return false;
        }

        var metadata = new MetadataBuilder();
        if (!CopyUserStrings(reader, pe.GetMetadata().GetContent(), metadata))
        {
            return false;
        }

        var il = new BlobBuilder();
        var bodies = CopyBodies(pe, reader, il);
        var fieldData = new BlobBuilder();
        var fieldOffsets = CopyFieldData(pe, reader, fieldData);
        if (fieldOffsets is null)
        {
            return false;
        }

        new TableCopier(reader, metadata, bodies, fieldOffsets).Copy();
        foreach (var (constructor, value) in attributes(metadata, holes))
        {
            metadata.AddCustomAttribute(EntityHandle.AssemblyDefinition, constructor, value);
        }

        var resources = new BlobBuilder();
        if (cor.ResourcesDirectory.Size > 0)
        {
            resources.WriteBytes(pe.GetSectionData(cor.ResourcesDirectory.RelativeVirtualAddress).GetContent(0, cor.ResourcesDirectory.Size));
        }

        var native = peHeader.ResourceTableDirectory.Size > 0 ? new NativeResources(pe, peHeader.ResourceTableDirectory) : null;
        var entryPoint = cor.EntryPointTokenOrRelativeVirtualAddress == 0
            ? default
            : (MethodDefinitionHandle)MetadataTokens.Handle(cor.EntryPointTokenOrRelativeVirtualAddress);

        var builder = new ManagedPEBuilder(
            Header(headers),
            new MetadataRootBuilder(metadata, reader.MetadataVersion),
            il,
            fieldData,
            resources,
            native,
            Debug(pe),
            strongNameSignatureSize: 0,
            entryPoint,
            cor.Flags,
            ContentId);
        var blob = new BlobBuilder();
        builder.Serialize(blob);
        blob.WriteContentTo(output);
        return true;
    }

    /// <summary>The same user strings in the same order, so every <c>ldstr</c> token keeps pointing at its string.</summary>
    private static bool CopyUserStrings(MetadataReader reader, ImmutableArray<byte> metadataBlock, MetadataBuilder metadata)
    {
        var start = reader.GetHeapMetadataOffset(HeapIndex.UserString);
        var size = reader.GetHeapSize(HeapIndex.UserString);
        for (var handle = MetadataTokens.UserStringHandle(1); MetadataTokens.GetHeapOffset(handle) is var offset && offset > 0 && offset < size;
             handle = reader.GetNextHandle(handle))
        {
            // The heap is padded to four bytes with zeros, which read as strings of no length: the strings end there.
            if (metadataBlock[start + offset] == 0)
            {
                break;
            }

            var copy = metadata.GetOrAddUserString(reader.GetUserString(handle));
            if (MetadataTokens.GetHeapOffset(copy) != offset)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each method body's bytes (header, IL, exception clauses) at an offset of the new IL stream; bodies the compiler shared stay shared.</summary>
    private static Dictionary<int, int> CopyBodies(PEReader pe, MetadataReader reader, BlobBuilder il)
    {
        var offsets = new Dictionary<int, int>();
        foreach (var handle in reader.MethodDefinitions)
        {
            var rva = reader.GetMethodDefinition(handle).RelativeVirtualAddress;
            if (rva == 0 || offsets.ContainsKey(rva))
            {
                continue;
            }

            var size = pe.GetMethodBody(rva).Size;
            var bytes = pe.GetSectionData(rva).GetContent(0, size);

            // A fat header (its low two bits 3) and the clauses after it are 4-byte aligned; a tiny header is not.
            if ((bytes[0] & 3) == 3)
            {
                il.Align(4);
            }

            offsets.Add(rva, il.Count);
            il.WriteBytes(bytes);
        }

        return offsets;
    }

    /// <summary>The data of fields with an RVA (array initializers), each at an aligned offset of the new block; null when a field's size cannot be told.</summary>
    private static Dictionary<int, int>? CopyFieldData(PEReader pe, MetadataReader reader, BlobBuilder data)
    {
        var offsets = new Dictionary<int, int>();
        foreach (var handle in reader.FieldDefinitions)
        {
            var field = reader.GetFieldDefinition(handle);
            var rva = field.GetRelativeVirtualAddress();
            if (rva == 0 || offsets.ContainsKey(rva))
            {
                continue;
            }

            if (FieldSize(reader, field) is not { } size)
            {
                return null;
            }

            // The compiler aligns mapped data to 8 bytes (and some types rely on it): so does the copy.
            data.Align(8);
            offsets.Add(rva, data.Count);
            data.WriteBytes(pe.GetSectionData(rva).GetContent(0, size));
        }

        return offsets;
    }

    private static int? FieldSize(MetadataReader reader, FieldDefinition field)
    {
        var signature = reader.GetBlobReader(field.Signature);
        if (signature.ReadSignatureHeader().Kind != SignatureKind.Field)
        {
            return null;
        }

        var code = signature.ReadSignatureTypeCode();
        switch (code)
        {
            case SignatureTypeCode.Boolean or SignatureTypeCode.SByte or SignatureTypeCode.Byte:
                return 1;
            case SignatureTypeCode.Char or SignatureTypeCode.Int16 or SignatureTypeCode.UInt16:
                return 2;
            case SignatureTypeCode.Int32 or SignatureTypeCode.UInt32 or SignatureTypeCode.Single:
                return 4;
            case SignatureTypeCode.Int64 or SignatureTypeCode.UInt64 or SignatureTypeCode.Double:
                return 8;
            case SignatureTypeCode.TypeHandle:
                var type = signature.ReadTypeHandle();
                if (type.Kind == HandleKind.TypeDefinition)
                {
                    var layout = reader.GetTypeDefinition((TypeDefinitionHandle)type).GetLayout();
                    return layout.IsDefault || layout.Size == 0 ? null : layout.Size;
                }

                return null;
            default:
                return null;
        }
    }

    private static PEHeaderBuilder Header(PEHeaders headers)
    {
        var pe = headers.PEHeader!;
        return new PEHeaderBuilder(
            headers.CoffHeader.Machine,
            pe.SectionAlignment,
            pe.FileAlignment,
            pe.ImageBase,
            pe.MajorLinkerVersion,
            pe.MinorLinkerVersion,
            pe.MajorOperatingSystemVersion,
            pe.MinorOperatingSystemVersion,
            pe.MajorImageVersion,
            pe.MinorImageVersion,
            pe.MajorSubsystemVersion,
            pe.MinorSubsystemVersion,
            pe.Subsystem,
            pe.DllCharacteristics,
            headers.CoffHeader.Characteristics,
            pe.SizeOfStackReserve,
            pe.SizeOfStackCommit,
            pe.SizeOfHeapReserve,
            pe.SizeOfHeapCommit);
    }

    /// <summary>The compiler's debug directory, unchanged: the PDB it names is the one beside the image, still valid.</summary>
    private static DebugDirectoryBuilder Debug(PEReader pe)
    {
        var debug = new DebugDirectoryBuilder();
        foreach (var entry in pe.ReadDebugDirectory())
        {
            switch (entry.Type)
            {
                case DebugDirectoryEntryType.CodeView:
                    var codeView = pe.ReadCodeViewDebugDirectoryData(entry);
                    debug.AddCodeViewEntry(codeView.Path, new BlobContentId(codeView.Guid, entry.Stamp), entry.MajorVersion, codeView.Age);
                    break;
                case DebugDirectoryEntryType.PdbChecksum:
                    var checksum = pe.ReadPdbChecksumDebugDirectoryData(entry);
                    debug.AddPdbChecksumEntry(checksum.AlgorithmName, checksum.Checksum);
                    break;
                case DebugDirectoryEntryType.Reproducible:
                    debug.AddReproducibleEntry();
                    break;
                case DebugDirectoryEntryType.EmbeddedPortablePdb:
                    debug.AddEmbeddedPortablePdbEntry(EmbeddedPdb(pe, entry), entry.MajorVersion);
                    break;
            }
        }

        return debug;
    }

    /// <summary>An embedded portable PDB's bytes: after the "MPDB" signature and the size, deflated.</summary>
    private static BlobBuilder EmbeddedPdb(PEReader pe, DebugDirectoryEntry entry)
    {
        var data = pe.GetSectionData(entry.DataRelativeVirtualAddress).GetContent(0, entry.DataSize);
        using var inflated = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(new MemoryStream(data.ToArray(), 8, data.Length - 8), System.IO.Compression.CompressionMode.Decompress))
        {
            deflate.CopyTo(inflated);
        }

        var builder = new BlobBuilder();
        builder.WriteBytes(inflated.ToArray());
        return builder;
    }

    /// <summary>Deterministic: the image's id is a hash of its content, as the compiler's is.</summary>
    private static BlobContentId ContentId(IEnumerable<Blob> content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var blob in content)
        {
            var bytes = blob.GetBytes();
            hash.AppendData(bytes.Array!, bytes.Offset, bytes.Count);
        }

        return BlobContentId.FromHash(hash.GetHashAndReset());
    }
}
