package dev.datamesh.trino.security;

import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.MeshRegistrySource;
import io.airlift.units.Duration;
import io.trino.spi.security.ConnectorIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.google.common.base.Preconditions.checkState;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static java.util.concurrent.TimeUnit.DAYS;

/**
 * Registries loaded by the real loader from descriptors written for a test, each asset's
 * location an empty folder beside its descriptor, served as a catalog's connector serves them.
 */
final class TestingRegistries
{
    /**
     * The sales domain's orders, granted to the analyst role.
     */
    static final String ORDERS_DESCRIPTOR = dataProduct("order-data-product", "sales", "sales-team")
            .asset(parquet("orders", "orders"))
            .grantRead("analyst")
            .yaml();

    private TestingRegistries() {}

    static MeshRegistrySource load(String... descriptors)
            throws IOException
    {
        Path folder = temporaryDirectory("descriptors");
        for (int i = 0; i < descriptors.length; i++) {
            Files.writeString(folder.resolve("product-%s.yaml".formatted(i)), descriptors[i]);
            for (String line : descriptors[i].lines().toList()) {
                if (line.strip().startsWith("location:")) {
                    Files.createDirectories(folder.resolve(line.strip().substring("location:".length()).strip()));
                }
            }
        }
        MeshRegistry registry = new MeshRegistryLoader(folder, new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("test"))).load();
        checkState(registry.problems().isEmpty(), "descriptors with problems: %s", registry.problems());
        return new MeshRegistrySource(folder, () -> registry, new Duration(1, DAYS));
    }
}
