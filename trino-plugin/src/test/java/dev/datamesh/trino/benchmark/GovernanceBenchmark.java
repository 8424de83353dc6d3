package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.PolicyParser;
import dev.datamesh.descriptor.TrinoSqlSyntax;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.MeshRegistrySource;
import dev.datamesh.trino.PublishedRegistries;
import dev.datamesh.trino.RowFilteredTables;
import dev.datamesh.trino.audit.AuditTrail;
import dev.datamesh.trino.security.MeshAccessControl;
import dev.datamesh.trino.security.MeshSecurityConfig;
import io.airlift.units.Duration;
import io.trino.plugin.base.security.DefaultSystemAccessControl;
import io.trino.plugin.base.security.FileBasedSystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.security.ConnectorIdentity;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemSecurityContext;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.trino.SampleMeshDirectory.repositoryRoot;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.DAYS;

/**
 * How fast the mesh's access control lists what a user may see of 100,000 tables (what
 * filterTables does for SHOW TABLES, information_schema and DBeaver's navigator), against Trino's
 * own file-based access control deciding the same on the same tables in the same JVM. Run with
 * {@code bin/mesh benchmark}.
 */
public final class GovernanceBenchmark
{
    private static final int DOMAINS = 1_000;
    private static final int ASSETS_PER_DOMAIN = 100;
    private static final int RUNS = 15;

    private GovernanceBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        run(new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8));
    }

    public static void run(PrintStream out)
            throws Exception
    {
        // analysts may read the domains whose number ends in 0, 3, 6 or 9; data scientists all of them
        Path descriptors = Files.createTempDirectory("governance-benchmark");
        Files.createDirectories(descriptors.resolve("data"));
        Files.writeString(descriptors.resolve("schema.json"), """
                {"columns": [{"name": "id", "type": "bigint"}, {"name": "email", "type": "varchar", "tags": ["pii"]}]}
                """);
        for (int domain = 0; domain < DOMAINS; domain++) {
            DataProductYaml descriptor = dataProduct("product-" + domain, "domain-%03d".formatted(domain), "team-" + domain);
            for (int asset = 0; asset < ASSETS_PER_DOMAIN; asset++) {
                descriptor.asset(parquet("t_" + asset, "data").schema("schema.json"));
            }
            if (domain % 10 % 3 == 0) {
                descriptor.grantRead("analyst");
            }
            descriptor.grantRead("data-scientist").writeTo(descriptors.resolve("product-%s.yaml".formatted(domain)));
        }
        MeshRegistry registry = new MeshRegistryLoader(descriptors, new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("benchmark"))).load();
        if (!registry.problems().isEmpty() || registry.assets().size() != DOMAINS * ASSETS_PER_DOMAIN) {
            throw new IllegalStateException("benchmark descriptors did not load: " + registry.problems().stream().limit(3).toList());
        }
        PublishedRegistries registries = new PublishedRegistries();
        registries.publish("mesh", new MeshRegistrySource(descriptors, () -> registry, new Duration(1, DAYS)));
        GlobalPolicy policy = PolicyParser.parse(Optional.of(repositoryRoot().resolve("etc/mesh/roles.yaml")), Optional.of(repositoryRoot().resolve("etc/mesh/policies")), new TrinoSqlSyntax());
        PolicyEvaluator evaluator = new PolicyEvaluator(policy);
        SystemAccessControl meshControl = new MeshAccessControl(() -> evaluator, registries, new RowFilteredTables(), new MeshSecurityConfig(), new DefaultSystemAccessControl(), new AuditTrail(), ImmutableList.of());

        Path rules = Files.createTempFile("file-based-rules", ".json");
        Files.writeString(rules, """
                {
                  "schemas": [{"owner": false}],
                  "tables": [
                    {"group": "analysts", "catalog": "mesh", "schema": "domain_\\\\d\\\\d[0369]", "privileges": ["SELECT"]},
                    {"group": "data-science", "catalog": "mesh", "privileges": ["SELECT"]}
                  ]
                }
                """);
        SystemAccessControl fileBased = new FileBasedSystemAccessControl.Factory().create(ImmutableMap.of("security.config-file", rules.toString()), null);

        Set<SchemaTableName> tables = registry.assets().stream()
                .map(asset -> new SchemaTableName(asset.schemaName(), asset.tableName()))
                .collect(toImmutableSet());
        SystemSecurityContext alice = new SystemSecurityContext(Identity.forUser("alice").withGroups(ImmutableSet.of("analysts")).build(), QueryId.valueOf("benchmark"), Instant.now());
        int meshVisible = meshControl.filterTables(alice, "mesh", tables).size();
        int fileVisible = fileBased.filterTables(alice, "mesh", tables).size();
        if (meshVisible != fileVisible) {
            throw new IllegalStateException("the two controls disagree: %s and %s visible tables".formatted(meshVisible, fileVisible));
        }
        double meshMillis = median(() -> meshControl.filterTables(alice, "mesh", tables));
        double fileMillis = median(() -> fileBased.filterTables(alice, "mesh", tables));
        out.printf("filterTables over %,d tables (%,d visible to an analyst), median of %s runs:%n", tables.size(), meshVisible, RUNS);
        out.printf("  data_mesh access control  %8.1f ms%n", meshMillis);
        out.printf("  Trino file-based control  %8.1f ms%n", fileMillis);
        out.printf("  ratio mesh/file-based     %8.2f%n", meshMillis / fileMillis);
    }

    private static double median(Runnable action)
    {
        for (int i = 0; i < 5; i++) {
            action.run();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            action.run();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        return millis.get(RUNS / 2);
    }
}
