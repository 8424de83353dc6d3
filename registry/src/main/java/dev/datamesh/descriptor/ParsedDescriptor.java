package dev.datamesh.descriptor;

import static java.util.Objects.requireNonNull;

/**
 * A valid descriptor together with the positions of its values, for problems that can only be
 * found later (a location that does not exist, a table name taken by another product).
 */
public record ParsedDescriptor(DataProductDescriptor descriptor, LocatedDocument document)
{
    public ParsedDescriptor
    {
        requireNonNull(descriptor, "descriptor is null");
        requireNonNull(document, "document is null");
    }

    public SourcePosition positionOfAsset(int assetIndex, String field)
    {
        return document.positionOf("/data_assets/" + assetIndex + "/" + field);
    }

    public SourcePosition positionOf(String field)
    {
        return document.positionOf("/" + field);
    }
}
