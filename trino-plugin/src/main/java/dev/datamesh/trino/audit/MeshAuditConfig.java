package dev.datamesh.trino.audit;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;

import static io.airlift.units.DataSize.Unit.MEGABYTE;

public class MeshAuditConfig
{
    private boolean enabled = true;
    private Path file = Path.of("var/log/mesh-audit.json");
    private DataSize maxFileSize = DataSize.of(100, MEGABYTE);
    private int maxHistory = 10;

    public boolean isEnabled()
    {
        return enabled;
    }

    @Config("mesh.audit.enabled")
    @ConfigDescription("Whether every query on the mesh is written to the audit file")
    public MeshAuditConfig setEnabled(boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    @NotNull
    public Path getFile()
    {
        return file;
    }

    @Config("mesh.audit.file")
    @ConfigDescription("Audit file, one JSON line per query; a relative path is under the server's data directory")
    public MeshAuditConfig setFile(Path file)
    {
        this.file = file;
        return this;
    }

    @NotNull
    @MinDataSize("1kB")
    public DataSize getMaxFileSize()
    {
        return maxFileSize;
    }

    @Config("mesh.audit.max-file-size")
    @ConfigDescription("Size at which the audit file is rotated (file.1, file.2, ...)")
    public MeshAuditConfig setMaxFileSize(DataSize maxFileSize)
    {
        this.maxFileSize = maxFileSize;
        return this;
    }

    @Min(1)
    @Max(1000)
    public int getMaxHistory()
    {
        return maxHistory;
    }

    @Config("mesh.audit.max-history")
    @ConfigDescription("How many rotated audit files are kept")
    public MeshAuditConfig setMaxHistory(int maxHistory)
    {
        this.maxHistory = maxHistory;
        return this;
    }
}
