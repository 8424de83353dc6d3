package dev.datamesh.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.MaxDataSize;
import io.airlift.units.MinDataSize;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;

import static io.airlift.units.DataSize.Unit.MEGABYTE;

public class MeshConfig
{
    private Path descriptorsDirectory;
    private DataSize maxSplitSize = DataSize.of(64, MEGABYTE);

    @NotNull
    public Path getDescriptorsDirectory()
    {
        return descriptorsDirectory;
    }

    @Config("mesh.descriptors.directory")
    @ConfigDescription("Folder of data product descriptor files (*.yaml, *.yml, searched recursively)")
    public MeshConfig setDescriptorsDirectory(Path descriptorsDirectory)
    {
        this.descriptorsDirectory = descriptorsDirectory;
        return this;
    }

    @NotNull
    @MinDataSize("1kB")
    @MaxDataSize("1GB")
    public DataSize getMaxSplitSize()
    {
        return maxSplitSize;
    }

    @Config("mesh.max-split-size")
    @ConfigDescription("Largest byte range of a data file read as one split; smaller splits spread one big file over more workers and cores")
    public MeshConfig setMaxSplitSize(DataSize maxSplitSize)
    {
        this.maxSplitSize = maxSplitSize;
        return this;
    }
}
