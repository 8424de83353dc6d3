package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import io.airlift.bootstrap.Bootstrap;
import io.airlift.bootstrap.LifeCycleManager;
import io.airlift.units.Duration;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.filesystem.s3.S3FileSystemConfig;
import io.trino.spi.TrinoException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestMeshStorageModule
{
    @Test
    void testEachProfileGetsItsOwnProperties()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("s3.endpoint", "https://s3.eu-central-1.amazonaws.com")
                .put("s3.region", "eu-central-1")
                .put("s3.aws-access-key", "default-access-key")
                .put("mesh.storage.finance.s3.endpoint", "https://s3.us-east-1.amazonaws.com")
                .put("mesh.storage.finance.s3.region", "us-east-1")
                .put("mesh.storage.finance.s3.iam-role", "arn:aws:iam::210987654321:role/mesh-reader")
                .put("mesh.storage.finance.s3.external-id", "mesh")
                .put("mesh.storage.finance.s3.sts.endpoint", "https://sts.us-east-1.amazonaws.com")
                .put("mesh.storage.finance.s3.max-error-retries", "3")
                .put("mesh.storage.finance.s3.socket-read-timeout", "5s")
                .put("mesh.storage.eu_archive-2.s3.path-style-access", "true")
                .buildOrThrow();
        assertThat(MeshStorageModule.storageProfiles(properties)).containsExactlyInAnyOrder("finance", "eu_archive-2");

        Injector injector = new Bootstrap(
                new MeshStorageModule(MeshStorageModule.storageProfiles(properties)),
                binder -> binder.bind(OpenTelemetry.class).toInstance(OpenTelemetry.noop()))
                .doNotInitializeLogging()
                .quiet()
                .setRequiredConfigurationProperties(properties)
                .initialize();
        try {
            S3FileSystemConfig finance = injector.getInstance(Key.get(S3FileSystemConfig.class, Names.named("finance")));
            assertThat(finance.getEndpoint()).isEqualTo("https://s3.us-east-1.amazonaws.com");
            assertThat(finance.getRegion()).isEqualTo("us-east-1");
            assertThat(finance.getIamRole()).isEqualTo("arn:aws:iam::210987654321:role/mesh-reader");
            assertThat(finance.getExternalId()).isEqualTo("mesh");
            assertThat(finance.getStsEndpoint()).isEqualTo("https://sts.us-east-1.amazonaws.com");
            assertThat(finance.getMaxErrorRetries()).isEqualTo(3);
            assertThat(finance.getSocketReadTimeout()).contains(new Duration(5, SECONDS));
            // a profile takes nothing from the catalog's default S3 settings
            assertThat(finance.getAwsAccessKey()).isNull();
            S3FileSystemConfig archive = injector.getInstance(Key.get(S3FileSystemConfig.class, Names.named("eu_archive-2")));
            assertThat(archive.isPathStyleAccess()).isTrue();
            assertThat(archive.getEndpoint()).isNull();
            assertThat(archive.getRegion()).isNull();
            // nor does the default take anything from the profiles
            S3FileSystemConfig defaults = injector.getInstance(S3FileSystemConfig.class);
            assertThat(defaults.getEndpoint()).isEqualTo("https://s3.eu-central-1.amazonaws.com");
            assertThat(defaults.getAwsAccessKey()).isEqualTo("default-access-key");
            assertThat(defaults.getIamRole()).isNull();
            assertThat(defaults.getMaxErrorRetries()).isEqualTo(10);

            MeshStorage storage = injector.getInstance(MeshStorage.class);
            assertThat(storage.profileNames()).containsExactlyInAnyOrder("finance", "eu_archive-2");
            assertThat(storage.errorContext(Optional.of("finance"))).isEqualTo(new StorageFailures.Storage(
                    "storage profile 'finance'",
                    "mesh.storage.finance.",
                    Optional.of("arn:aws:iam::210987654321:role/mesh-reader"),
                    Optional.of("https://sts.us-east-1.amazonaws.com")));
            assertThat(storage.errorContext(Optional.empty())).isEqualTo(new StorageFailures.Storage("the catalog's default S3 storage", "", Optional.empty(), Optional.empty()));
        }
        finally {
            injector.getInstance(LifeCycleManager.class).stop();
        }
    }

    @Test
    void testManualExamplesAreCatalogProperties()
            throws IOException
    {
        Map<String, String> examples = DocPages.propertiesBlocks("docs/storage.md", name -> name.startsWith("s3.") || name.startsWith("mesh.storage."));
        // a '#' after a value is part of the value in a properties file
        assertThat(examples).containsKeys("s3.endpoint", "s3.max-error-retries", "mesh.storage.finance.s3.iam-role")
                .allSatisfy((name, value) -> assertThat(value).doesNotContain("#"));

        Injector injector = new Bootstrap(
                new MeshStorageModule(MeshStorageModule.storageProfiles(examples)),
                binder -> binder.bind(OpenTelemetry.class).toInstance(OpenTelemetry.noop()))
                .doNotInitializeLogging()
                .quiet()
                .setRequiredConfigurationProperties(examples)
                .initialize();
        try {
            assertThat(injector.getInstance(S3FileSystemConfig.class).getEndpoint()).isEqualTo("https://s3.eu-central-1.amazonaws.com");
            assertThat(injector.getInstance(Key.get(S3FileSystemConfig.class, Names.named("finance"))).getRegion()).isEqualTo("us-east-1");
        }
        finally {
            injector.getInstance(LifeCycleManager.class).stop();
        }
    }

    @Test
    void testPropertyNamingNoProfileIsRefused()
    {
        for (String property : new String[] {"mesh.storage.Finance.s3.endpoint", "mesh.storage.finance.endpoint", "mesh.storage..s3.endpoint", "mesh.storage.fin ance.s3.endpoint", "mesh.storage.finance"}) {
            assertThatThrownBy(() -> MeshStorageModule.storageProfiles(ImmutableMap.of(property, "https://s3.us-east-1.amazonaws.com")))
                    .isInstanceOf(TrinoException.class)
                    .hasMessage("Catalog property '%s' names no storage profile: write mesh.storage.<profile>.s3.<property>, with a property of Trino's S3 file system ".formatted(property) +
                            "and a profile name of lowercase letters, digits, '-' and '_', as descriptors name it in storage:");
        }
        assertThat(MeshStorageModule.storageProfiles(ImmutableMap.of("mesh.descriptors.directory", "/srv/mesh", "s3.region", "us-east-1"))).isEmpty();
    }
}
