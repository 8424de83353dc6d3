package dev.datamesh.trino.security;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableSet;
import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static java.util.concurrent.TimeUnit.SECONDS;

public class MeshSecurityConfig
{
    public enum OtherCatalogs
    {
        /** as Trino's default access control: everything allowed */
        ALLOW,
        /** everything readable, nothing written */
        READ_ONLY,
        /** invisible and unreadable; the system catalog stays available */
        DENY,
    }

    private Path rolesFile;
    private Path policiesDirectory;
    private Set<String> meshCatalogs = ImmutableSet.of("mesh");
    private OtherCatalogs otherCatalogs = OtherCatalogs.ALLOW;
    private Duration refreshPeriod = new Duration(5, SECONDS);
    private Set<String> statisticsRoles = ImmutableSet.of();

    public Optional<Path> getRolesFile()
    {
        return Optional.ofNullable(rolesFile);
    }

    @Config("mesh.security.roles-file")
    @ConfigDescription("Role mapping file: which users and groups hold which roles, and their attributes; without it nobody holds a role")
    public MeshSecurityConfig setRolesFile(Path rolesFile)
    {
        this.rolesFile = rolesFile;
        return this;
    }

    public Optional<Path> getPoliciesDirectory()
    {
        return Optional.ofNullable(policiesDirectory);
    }

    @Config("mesh.security.policies-directory")
    @ConfigDescription("Folder of global policy files (*.yaml): denials, column masks, row filters, impersonation")
    public MeshSecurityConfig setPoliciesDirectory(Path policiesDirectory)
    {
        this.policiesDirectory = policiesDirectory;
        return this;
    }

    @NotEmpty
    public Set<String> getMeshCatalogs()
    {
        return meshCatalogs;
    }

    @Config("mesh.security.catalogs")
    @ConfigDescription("Comma-separated names of the catalogs that serve the mesh")
    public MeshSecurityConfig setMeshCatalogs(String meshCatalogs)
    {
        this.meshCatalogs = ImmutableSet.copyOf(Splitter.on(',').trimResults().omitEmptyStrings().split(meshCatalogs));
        return this;
    }

    @NotNull
    public OtherCatalogs getOtherCatalogs()
    {
        return otherCatalogs;
    }

    @Config("mesh.security.other-catalogs")
    @ConfigDescription("What users may do in catalogs other than the mesh: ALLOW (Trino's default), READ_ONLY or DENY")
    public MeshSecurityConfig setOtherCatalogs(OtherCatalogs otherCatalogs)
    {
        this.otherCatalogs = otherCatalogs;
        return this;
    }

    @NotNull
    @MinDuration("1ms")
    public Duration getRefreshPeriod()
    {
        return refreshPeriod;
    }

    @Config("mesh.security.refresh-period")
    @ConfigDescription("How often descriptor, role and policy files are checked for changes")
    public MeshSecurityConfig setRefreshPeriod(Duration refreshPeriod)
    {
        this.refreshPeriod = refreshPeriod;
        return this;
    }

    @NotNull
    public Set<String> getStatisticsRoles()
    {
        return statisticsRoles;
    }

    @Config("mesh.security.statistics-roles")
    @ConfigDescription("Comma-separated roles that may compute the statistics (ANALYZE) of every mesh table they read in full, besides each product's owner team")
    public MeshSecurityConfig setStatisticsRoles(String statisticsRoles)
    {
        this.statisticsRoles = ImmutableSet.copyOf(Splitter.on(',').trimResults().omitEmptyStrings().split(statisticsRoles));
        return this;
    }
}
