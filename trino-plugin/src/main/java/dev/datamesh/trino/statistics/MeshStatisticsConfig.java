package dev.datamesh.trino.statistics;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;

import java.util.Optional;

public class MeshStatisticsConfig
{
    private String location;
    private String storageProfile;

    public Optional<String> getLocation()
    {
        return Optional.ofNullable(location);
    }

    @Config("mesh.statistics.location")
    @ConfigDescription("Folder the mesh keeps the statistics ANALYZE computes in: an absolute local path, file:// or s3:// URI of the platform's, never a domain's data location; without it ANALYZE is refused")
    public MeshStatisticsConfig setLocation(String location)
    {
        this.location = location;
        return this;
    }

    public Optional<String> getStorageProfile()
    {
        return Optional.ofNullable(storageProfile);
    }

    @Config("mesh.statistics.storage-profile")
    @ConfigDescription("Storage profile (mesh.storage.<profile>.s3.*) an s3:// statistics location is read and written with; without it, the catalog's default S3 storage")
    public MeshStatisticsConfig setStorageProfile(String storageProfile)
    {
        this.storageProfile = storageProfile;
        return this;
    }
}
