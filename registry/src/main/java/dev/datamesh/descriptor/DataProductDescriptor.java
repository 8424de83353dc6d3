package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;
import dev.datamesh.policies.AccessGrant;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A data product as its owning domain describes it in a YAML descriptor file.
 */
public record DataProductDescriptor(
        Path file,
        String name,
        String domain,
        String owner,
        String version,
        Optional<String> description,
        ServiceLevel sla,
        List<DataAssetDescriptor> dataAssets,
        Optional<IcebergCatalogReference> icebergCatalog,
        List<AccessGrant> accessControl,
        Optional<String> storage)
{
    public DataProductDescriptor
    {
        requireNonNull(file, "file is null");
        requireNonNull(name, "name is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(version, "version is null");
        requireNonNull(description, "description is null");
        requireNonNull(sla, "sla is null");
        dataAssets = ImmutableList.copyOf(dataAssets);
        requireNonNull(icebergCatalog, "icebergCatalog is null");
        accessControl = ImmutableList.copyOf(accessControl);
        requireNonNull(storage, "storage is null");
    }
}
