package dev.datamesh.trino;

import com.google.inject.Inject;
import dev.datamesh.descriptor.AssetFormat;
import dev.datamesh.registry.RegisteredAsset;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The reader of each format the mesh serves, as bound in {@link MeshModule}.
 */
public class MeshFormats
{
    private final Map<AssetFormat, MeshFormat> formats = new EnumMap<>(AssetFormat.class);

    @Inject
    public MeshFormats(Set<MeshFormat> formats)
    {
        for (MeshFormat format : formats) {
            checkArgument(this.formats.put(format.format(), format) == null, "two readers of %s", format.format());
        }
        checkArgument(this.formats.keySet().containsAll(Set.of(AssetFormat.values())), "a format without a reader: %s", this.formats.keySet());
    }

    public MeshFormat of(RegisteredAsset asset)
    {
        return formats.get(asset.asset().format());
    }
}
