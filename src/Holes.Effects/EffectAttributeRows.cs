using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Holes.Effects;

/// <summary>The effect table's attributes (<see cref="EffectAttributes"/>) as metadata rows, for <see cref="ImageCopier"/>.</summary>
internal static class EffectAttributeRows
{
    /// <summary>
    /// The same attributes as metadata rows for <see cref="ImageCopier"/>: references to the three attribute types and
    /// their constructors in the Holes assembly the image references, and each attribute's value.
    /// </summary>
    public static IEnumerable<(EntityHandle Constructor, BlobHandle Value)> Rows(MetadataBuilder metadata, AssemblyReferenceHandle holes, EffectTableResult table)
    {
        var analyzed = RowConstructor(metadata, holes, "HoleEffectsAnalyzedAttribute", 0);
        var effect = RowConstructor(metadata, holes, "HoleEffectAttribute", 2);
        var free = RowConstructor(metadata, holes, "HoleEffectFreeAttribute", 1);

        var rows = new List<(EntityHandle, BlobHandle)> { (analyzed, Value(metadata, [])) };
        foreach (var (id, path) in table.Effects.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            rows.Add((effect, Value(metadata, [id, path])));
        }

        foreach (var id in table.EffectFree)
        {
            rows.Add((free, Value(metadata, [id])));
        }

        return rows;
    }

    private static MemberReferenceHandle RowConstructor(MetadataBuilder metadata, AssemblyReferenceHandle holes, string typeName, int strings)
    {
        var type = metadata.AddTypeReference(holes, metadata.GetOrAddString(EffectAttributes.Namespace), metadata.GetOrAddString(typeName));
        var signature = new BlobBuilder();
        new BlobEncoder(signature).MethodSignature(isInstanceMethod: true).Parameters(
            strings,
            returnType => returnType.Void(),
            parameters =>
            {
                for (var i = 0; i < strings; i++)
                {
                    parameters.AddParameter().Type().String();
                }
            });
        return metadata.AddMemberReference(type, metadata.GetOrAddString(".ctor"), metadata.GetOrAddBlob(signature));
    }

    private static BlobHandle Value(MetadataBuilder metadata, string[] arguments)
    {
        var value = new BlobBuilder();
        new BlobEncoder(value).CustomAttributeSignature(
            fixedArguments =>
            {
                foreach (var argument in arguments)
                {
                    fixedArguments.AddArgument().Scalar().Constant(argument);
                }
            },
            namedArguments => namedArguments.Count(0));
        return metadata.GetOrAddBlob(value);
    }
}
