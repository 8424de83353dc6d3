package dev.datamesh.descriptor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

public enum AssetFormat
{
    PARQUET,
    DELTA,
    ICEBERG;

    public String descriptorName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AssetFormat> fromDescriptorName(String name)
    {
        return Arrays.stream(values())
                .filter(format -> format.descriptorName().equals(name))
                .findFirst();
    }
}
