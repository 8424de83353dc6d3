package dev.datamesh.formats.delta;

import io.delta.kernel.types.StructField;

import java.util.Locale;
import java.util.Optional;

/**
 * How a Delta table's logical columns find their data: by name, by the physical name in the
 * field's metadata, or by Parquet field id.
 */
public enum DeltaColumnMapping
{
    NONE,
    NAME,
    ID;

    private static final String PHYSICAL_NAME_KEY = "delta.columnMapping.physicalName";

    public static DeltaColumnMapping fromTableProperty(Optional<String> mode)
    {
        return switch (mode.map(value -> value.toLowerCase(Locale.ROOT)).orElse("none")) {
            case "name" -> NAME;
            case "id" -> ID;
            default -> NONE;
        };
    }

    /**
     * The name of the field in the data files.
     */
    public String physicalName(StructField field)
    {
        if (this != NONE && field.getMetadata().contains(PHYSICAL_NAME_KEY)) {
            return field.getMetadata().getString(PHYSICAL_NAME_KEY);
        }
        return field.getName();
    }
}
