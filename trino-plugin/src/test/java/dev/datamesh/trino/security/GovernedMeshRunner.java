package dev.datamesh.trino.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Streams;
import dev.datamesh.trino.MeshPlugin;
import dev.datamesh.trino.MeshQueryRunner;
import io.trino.Session;
import io.trino.plugin.memory.MemoryPlugin;
import io.trino.spi.security.GroupProvider;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemAccessControl;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static com.google.common.collect.MoreCollectors.onlyElement;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static dev.datamesh.trino.SampleMeshDirectory.repositoryRoot;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * A query runner serving the sample mesh under its governance: the data_mesh access control and
 * group provider configured on copies of etc/mesh (roles, policies, groups) plus the given extra
 * policy files, a memory catalog beside the mesh, and the audit file in a temporary folder.
 */
public final class GovernedMeshRunner
{
    private final QueryRunner queryRunner;
    private final MeshAccessControl accessControl;
    private final GroupProvider groupProvider;
    private final Path policiesDirectory;
    private final Path rolesFile;
    private final Path groupsFile;
    private final Path auditFile;

    private GovernedMeshRunner(QueryRunner queryRunner, MeshAccessControl accessControl, GroupProvider groupProvider, Path policiesDirectory, Path rolesFile, Path groupsFile, Path auditFile)
    {
        this.queryRunner = requireNonNull(queryRunner, "queryRunner is null");
        this.accessControl = requireNonNull(accessControl, "accessControl is null");
        this.groupProvider = requireNonNull(groupProvider, "groupProvider is null");
        this.policiesDirectory = requireNonNull(policiesDirectory, "policiesDirectory is null");
        this.rolesFile = requireNonNull(rolesFile, "rolesFile is null");
        this.groupsFile = requireNonNull(groupsFile, "groupsFile is null");
        this.auditFile = requireNonNull(auditFile, "auditFile is null");
    }

    /**
     * @param products the descriptors folder (a copy of the sample's with data)
     * @param extraPolicies policy file name to content, added to the sample's policies
     * @param refreshPeriod how often the access control and the group provider look for changed files
     */
    public static GovernedMeshRunner create(Path products, Map<String, String> extraPolicies, String refreshPeriod)
            throws Exception
    {
        return create(products, extraPolicies, refreshPeriod, ImmutableList.of());
    }

    /**
     * @param otherControls access controls stacked after the mesh's, as access-control.config-files does
     */
    public static GovernedMeshRunner create(Path products, Map<String, String> extraPolicies, String refreshPeriod, List<SystemAccessControl> otherControls)
            throws Exception
    {
        return create(products, extraPolicies, "", refreshPeriod, otherControls, ImmutableMap.of(), ImmutableMap.of());
    }

    /**
     * @param extraRoles roles added to the sample's, as YAML entries of its roles: mapping
     * @param accessControlProperties added to the access control's properties
     * @param catalogProperties added to the mesh catalog's properties
     */
    public static GovernedMeshRunner create(Path products, Map<String, String> extraPolicies, String extraRoles, Map<String, String> accessControlProperties, Map<String, String> catalogProperties)
            throws Exception
    {
        return create(products, extraPolicies, extraRoles, "5s", ImmutableList.of(), accessControlProperties, catalogProperties);
    }

    private static GovernedMeshRunner create(
            Path products,
            Map<String, String> extraPolicies,
            String extraRoles,
            String refreshPeriod,
            List<SystemAccessControl> otherControls,
            Map<String, String> accessControlProperties,
            Map<String, String> catalogProperties)
            throws Exception
    {
        Path root = temporaryDirectory("governed-mesh");
        Path policies = Files.createDirectories(root.resolve("policies"));
        try (Stream<Path> files = Files.list(repositoryRoot().resolve("etc/mesh/policies"))) {
            for (Path file : files.toList()) {
                Files.copy(file, policies.resolve(file.getFileName()));
            }
        }
        for (Map.Entry<String, String> policy : extraPolicies.entrySet()) {
            Files.writeString(policies.resolve(policy.getKey()), policy.getValue());
        }
        Path roles = Files.writeString(root.resolve("roles.yaml"), Files.readString(repositoryRoot().resolve("etc/mesh/roles.yaml")).replaceFirst("(?m)^roles:\n", "roles:\n" + extraRoles));
        Path groups = Files.copy(repositoryRoot().resolve("etc/mesh/groups.txt"), root.resolve("groups.txt"));
        Path auditFile = root.resolve("audit/mesh-audit.json");

        // the access control governs the registries the plugin's connectors publish
        MeshPlugin plugin = new MeshPlugin();
        MeshAccessControl accessControl = (MeshAccessControl) Streams.stream(plugin.getSystemAccessControlFactories()).collect(onlyElement()).create(
                ImmutableMap.<String, String>builder()
                        .put("mesh.security.roles-file", roles.toString())
                        .put("mesh.security.policies-directory", policies.toString())
                        .put("mesh.audit.file", auditFile.toString())
                        .put("mesh.security.refresh-period", refreshPeriod)
                        .putAll(accessControlProperties)
                        .buildOrThrow(),
                null);
        GroupProvider groupProvider = new MeshGroupProviderFactory().create(ImmutableMap.of("mesh.groups.file", groups.toString(), "mesh.groups.refresh-period", refreshPeriod));

        DistributedQueryRunner queryRunner = MeshQueryRunner.builder(products)
                .setSystemAccessControls(ImmutableList.<SystemAccessControl>builder().add(accessControl).addAll(otherControls).build())
                .setEventListeners(ImmutableList.copyOf(accessControl.getEventListeners()))
                .setPlugin(plugin)
                // the sample's declaration of each domain's data, beside its descriptors
                .addCatalogProperty("mesh.domains-file", products.resolveSibling("domains.yaml").toString())
                .addCatalogProperties(catalogProperties)
                .setUp(runner -> {
                    runner.getGroupProvider().setConfiguredGroupProvider(groupProvider);
                    runner.installPlugin(new MemoryPlugin());
                    runner.createCatalog("memory", "memory", ImmutableMap.of());
                })
                .build();
        return new GovernedMeshRunner(queryRunner, accessControl, groupProvider, policies, roles, groups, auditFile);
    }

    public QueryRunner queryRunner()
    {
        return queryRunner;
    }

    /**
     * A session of the user with the groups the group provider gives it, as the server would
     * make for a client.
     */
    public Session sessionOf(String user)
    {
        return Session.builder(queryRunner.getDefaultSession())
                .setIdentity(Identity.forUser(user).withGroups(groupProvider.getGroups(user)).build())
                .build();
    }

    public MeshAccessControl accessControl()
    {
        return accessControl;
    }

    public Path policiesDirectory()
    {
        return policiesDirectory;
    }

    public Path rolesFile()
    {
        return rolesFile;
    }

    public Path groupsFile()
    {
        return groupsFile;
    }

    public Path auditFile()
    {
        return auditFile;
    }

    /**
     * The audit file's completed lines, once they hold what the test waits for or after 30
     * seconds: they are written as queries complete, a moment after their results reach the client.
     */
    public List<JsonNode> awaitAuditLines(Predicate<List<JsonNode>> complete)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (true) {
            List<JsonNode> lines = auditLines("completed");
            if (complete.test(lines) || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    /**
     * The audit file's lines of the event ({@code started} or {@code completed}) as they are now.
     */
    public List<JsonNode> auditLines(String event)
            throws IOException
    {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(auditFile)) {
            for (String line : Files.readAllLines(auditFile)) {
                JsonNode node = json.readTree(line);
                if (node.get("event").asText().equals(event)) {
                    lines.add(node);
                }
            }
        }
        return lines;
    }

    public static List<String> texts(JsonNode array)
    {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
