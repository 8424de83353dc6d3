package dev.datamesh.trino.security;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;

import static java.util.concurrent.TimeUnit.SECONDS;

public class MeshGroupsConfig
{
    private Path groupsFile;
    private Duration refreshPeriod = new Duration(5, SECONDS);

    @NotNull
    public Path getGroupsFile()
    {
        return groupsFile;
    }

    @Config("mesh.groups.file")
    @ConfigDescription("Group file: one line per group, 'group:user1,user2'")
    public MeshGroupsConfig setGroupsFile(Path groupsFile)
    {
        this.groupsFile = groupsFile;
        return this;
    }

    @NotNull
    @MinDuration("1ms")
    public Duration getRefreshPeriod()
    {
        return refreshPeriod;
    }

    @Config("mesh.groups.refresh-period")
    @ConfigDescription("How often the group file is checked for changes")
    public MeshGroupsConfig setRefreshPeriod(Duration refreshPeriod)
    {
        this.refreshPeriod = refreshPeriod;
        return this;
    }
}
